import { fileArg } from '../shared/spawn.js';
import type { AudioPlan, Geometry, VideoPlan } from './fix-plan.js';

/** x264 settings for re-encodes: near-transparent quality (SSIM ≥ 0.98) at a speed close to a hand-tuned command. */
const X264_PRESET = 'fast';
const X264_CRF = 18;
export const AAC_KBPS = 128;
/** Highest sample rate an MP3 can carry. */
const MP3_MAX_SAMPLE_RATE = 48_000;
/** Below 32 kHz an MP3's frames and encoder delay add up to 0.2 s (8 kHz): a trim to the cap would end over it. */
const MP3_MIN_SAMPLE_RATE = 32_000;
const MP3_UPSAMPLE_RATE = 44_100;

const COMMON = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1'];


/** Pure: a video plan → the arguments of its one ffmpeg pass. */
export function videoArgs(plan: VideoPlan, input: string, output: string): string[] {
  const args = [...COMMON, '-i', fileArg(input), '-map', '0:v:0'];
  if (plan.audio !== 'none') args.push('-map', '0:a:0');
  if (plan.video === 'copy') {
    args.push('-c:v', 'copy');
  } else {
    const filters = videoFilters(plan.video.geometry, plan.video.fps, plan.extendBy);
    args.push('-vf', filters.join(','), '-c:v', 'libx264', '-preset', X264_PRESET, '-pix_fmt', 'yuv420p');
    if (plan.video.bitrateKbps !== null) {
      const kbps = plan.video.bitrateKbps;
      // 1 s VBV buffer starting 10% full: x264 may spend the starting fill on top of rate × duration (default 90%)
      args.push('-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`, '-rc_init_occupancy', String(kbps * 100));
    } else {
      args.push('-crf', String(X264_CRF));
    }
    // the decoder has turned the pixels upright: the output must not carry the source's rotation again
    args.push('-metadata:s:v:0', 'rotate=0');
  }
  if (plan.audio === 'copy') args.push('-c:a', 'copy');
  if (plan.audio === 'aac') {
    if (plan.extendBy > 0) args.push('-af', 'apad');
    args.push('-c:a', 'aac', '-b:a', `${AAC_KBPS}k`);
  }
  if (plan.duration !== null) args.push('-t', seconds(plan.duration));
  args.push('-movflags', '+faststart', '-f', 'mp4', fileArg(output));
  return args;
}

/** Pure: the filter chain, in the order that keeps quality: cut, scale, pad, then retime. */
export function videoFilters(geometry: Geometry | null, fps: number | null, extendBy: number): string[] {
  const filters: string[] = [];
  if (geometry) {
    if (geometry.crop) filters.push(`crop=${geometry.crop.width}:${geometry.crop.height}`);
    filters.push(`scale=${geometry.contentWidth}:${geometry.contentHeight}:flags=bicubic`, 'setsar=1');
    if (geometry.contentWidth !== geometry.width || geometry.contentHeight !== geometry.height) {
      filters.push(`pad=${geometry.width}:${geometry.height}:(ow-iw)/2:(oh-ih)/2:color=black`);
    }
  }
  if (fps !== null) filters.push(`fps=${fps}`);
  // hold the last frame a little longer than needed; -t cuts the output at the exact length
  if (extendBy > 0) filters.push(`tpad=stop_mode=clone:stop_duration=${seconds(extendBy + 0.5)}`);
  filters.push('format=yuv420p');
  return filters;
}

/** Pure: an audio plan → the arguments of its one ffmpeg pass. */
export function audioArgs(plan: AudioPlan, input: string, output: string, source: { sampleRate: number | null; channels: number | null }): string[] {
  // -vn drops cover art, which ffprobe would count as a stream with its own duration
  const args = [...COMMON, '-i', fileArg(input), '-map', '0:a:0', '-vn'];
  if (plan.extendBy > 0) args.push('-af', 'apad');
  if (plan.codec === 'copy') args.push('-c:a', 'copy');
  if (plan.codec === 'mp3') {
    args.push('-c:a', 'libmp3lame', '-b:a', `${plan.bitrateKbps}k`);
    if (source.sampleRate !== null && source.sampleRate > MP3_MAX_SAMPLE_RATE) args.push('-ar', String(MP3_MAX_SAMPLE_RATE));
    if (source.sampleRate !== null && source.sampleRate < MP3_MIN_SAMPLE_RATE) args.push('-ar', String(MP3_UPSAMPLE_RATE));
    // MP3 carries at most two channels
    if (source.channels !== null && source.channels > 2) args.push('-ac', '2');
  }
  if (plan.codec === 'pcm_s16le') args.push('-c:a', 'pcm_s16le');
  if (plan.duration !== null) args.push('-t', seconds(plan.duration));
  args.push('-f', plan.extension === 'wav' ? 'wav' : 'mp3', fileArg(output));
  return args;
}

/** Pure: decode the first frame of an image libvips cannot read (BMP) into a lossless PNG for sharp. */
export function imageDecodeArgs(input: string, output: string): string[] {
  return [...COMMON, '-i', fileArg(input), '-frames:v', '1', '-c:v', 'png', '-f', 'image2', fileArg(output)];
}

function seconds(value: number): string {
  return value.toFixed(3).replace(/\.?0+$/, '');
}
