import { fileArg } from '../shared/spawn.js';
import type { AudioPlan, ColorTags, PixelOrientation, VideoEncode, VideoPlan } from './fix-plan.js';

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
  const encode = plan.video === 'copy' ? null : plan.video;
  const args = [...COMMON, '-i', fileArg(input), '-map', `0:${plan.streams.video}`];
  if (plan.audio !== 'none' && plan.streams.audio !== null) args.push('-map', `0:${plan.streams.audio}`);
  if (!encode) {
    args.push('-c:v', 'copy');
  } else {
    const filters = videoFilters(encode, plan.extendBy);
    // every frame once, at its own time (vfr: never duplicated, dropped only on an equal timestamp): only an fps filter
    // changes the rate, never ffmpeg's constant-rate guess (from a Matroska millisecond clock it doubled a 30 fps WebM)
    args.push('-vf', filters.join(','), '-vsync', 'vfr', '-c:v', 'libx264', '-preset', X264_PRESET, '-pix_fmt', 'yuv420p');
    if (encode.bitrateKbps !== null) {
      const kbps = encode.bitrateKbps;
      // 1 s VBV buffer starting 10% full: x264 may spend the starting fill on top of rate × duration (default 90%)
      args.push('-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`, '-rc_init_occupancy', String(kbps * 100));
    } else {
      args.push('-crf', String(X264_CRF));
    }
    // written into the H.264 VUI: players read the pixels as what they are (BT.709 after tone mapping, else the source's)
    args.push('-color_primaries', encode.color.primaries, '-color_trc', encode.color.transfer, '-colorspace', encode.color.matrix, '-color_range', 'tv');
    // the pixels are upright now (ffmpeg's autorotate writes an identity matrix): no rotate tag either
    args.push('-metadata:s:v:0', 'rotate=0');
  }
  if (plan.audio === 'copy') args.push('-c:a', 'copy');
  if (plan.audio === 'aac') {
    if (plan.extendBy > 0) args.push('-af', 'apad');
    args.push('-c:a', 'aac', '-b:a', `${AAC_KBPS}k`);
  }
  if (plan.duration !== null) args.push('-t', seconds(plan.duration));
  // no chapters and no timecode track: the output holds exactly the two streams mapped above
  args.push('-map_chapters', '-1', '-write_tmcd', '0', '-movflags', '+faststart', '-f', 'mp4', fileArg(output));
  return args;
}

/**
 * Pure: the filter chain: finish turning upright, cut, scale, tone-map (at the output size: the float
 * conversion costs per pixel, a 4K phone clip is tone-mapped after it is scaled down), pad, then retime.
 */
export function videoFilters(encode: Pick<VideoEncode, 'orientation' | 'tonemap' | 'geometry' | 'fps'>, extendBy: number): string[] {
  const filters: string[] = [...orientationFilters(afterAutorotate(encode.orientation))];
  const { geometry, fps } = encode;
  if (geometry) {
    if (geometry.crop) filters.push(`crop=${geometry.crop.width}:${geometry.crop.height}`);
    // scaling to the displayed size with square pixels undoes an anamorphic sample aspect ratio
    filters.push(`scale=${geometry.contentWidth}:${geometry.contentHeight}:flags=bicubic`, 'setsar=1');
  }
  if (encode.tonemap) filters.push(...tonemapFilters(encode.tonemap));
  if (geometry) {
    if (geometry.contentWidth !== geometry.width || geometry.contentHeight !== geometry.height) {
      filters.push(`pad=${geometry.width}:${geometry.height}:(ow-iw)/2:(oh-ih)/2:color=black`);
    }
  }
  if (fps !== null) filters.push(`fps=${rateArg(fps)}`);
  // hold the last frame a little longer than needed; -t cuts the output at the exact length
  if (extendBy > 0) filters.push(`tpad=stop_mode=clone:stop_duration=${seconds(extendBy + 0.5)}`);
  filters.push('format=yuv420p');
  return filters;
}

/**
 * Pure: what is left to do after the bundled ffmpeg's autorotate, which turns the picture by the matrix's angle
 * (ffprobe's rotation) and ignores a mirror. That angle is the rotation, except for the two mirrors ffmpeg reads
 * as a half turn: a mirror alone (hflip) and an upside-down mirror (vflip). Autorotate also writes an identity matrix
 * on the output, which a filter-only orientation (-noautorotate) would leave as the source's matrix.
 */
export function afterAutorotate({ rotation, mirrored }: PixelOrientation): PixelOrientation {
  const angle = mirrored && (rotation === 0 || rotation === 180) ? (rotation + 180) % 360 : rotation;
  return { rotation: (((rotation - angle) % 360) + 360) % 360 as PixelOrientation['rotation'], mirrored };
}

/** Pure: rotate clockwise, then mirror, as one or two filters (a transpose is a quarter turn plus a mirror). */
export function orientationFilters({ rotation, mirrored }: PixelOrientation): string[] {
  switch (rotation) {
    case 90:
      return [mirrored ? 'transpose=cclock_flip' : 'transpose=clock'];
    case 270:
      return [mirrored ? 'transpose=clock_flip' : 'transpose=cclock'];
    case 180:
      return mirrored ? ['vflip'] : ['hflip', 'vflip'];
    default:
      return mirrored ? ['hflip'] : [];
  }
}

/**
 * Pure: HDR (HLG or PQ, BT.2020) → SDR BT.709 with zimg: to linear light, BT.709 primaries, Hable tone curve,
 * then BT.709 transfer and matrix in limited range. Exists in the bundled 2018 ffmpeg (zscale, tonemap).
 */
export function tonemapFilters(source: ColorTags): string[] {
  return [
    `zscale=tin=${source.transfer}:pin=${source.primaries}:min=${source.matrix}:t=linear:npl=100`,
    'format=gbrpf32le',
    'zscale=p=bt709',
    'tonemap=tonemap=hable:desat=0',
    'zscale=t=bt709:m=bt709:r=tv',
    'format=yuv420p',
  ];
}

/** Pure: an audio plan → the arguments of its one ffmpeg pass. */
export function audioArgs(plan: AudioPlan, input: string, output: string, source: { sampleRate: number | null; channels: number | null }): string[] {
  // -vn drops cover art, which ffprobe would count as a stream with its own duration
  const args = [...COMMON, '-i', fileArg(input), '-map', plan.stream === undefined ? '0:a:0' : `0:${plan.stream}`, '-vn'];
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

/** NTSC rates (n × 1000/1001, as 29.97 is written) are exact fractions; any other rate is written to the millisecond. */
const NTSC_BASES = [24, 30, 48, 60, 120];

/** Pure: a frame rate as ffmpeg takes it exactly: 30000/1001 for 29.97…, 24 for 24. */
export function rateArg(fps: number): string {
  const ntsc = NTSC_BASES.find((base) => Math.abs(fps - (base * 1000) / 1001) < 0.0005);
  if (ntsc !== undefined) return `${ntsc * 1000}/1001`;
  return String(Math.round(fps * 1000) / 1000);
}

function seconds(value: number): string {
  return value.toFixed(3).replace(/\.?0+$/, '');
}
