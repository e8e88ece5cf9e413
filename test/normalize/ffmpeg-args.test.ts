import { describe, expect, it } from 'vitest';
import { afterAutorotate, audioArgs, imageDecodeArgs, orientationFilters, rateArg, tonemapFilters, videoArgs, videoFilters } from '../../src/normalize/ffmpeg-args.js';
import type { AudioPlan, VideoEncode, VideoPlan } from '../../src/normalize/fix-plan.js';

const COMMON = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1'];
const TAIL = ['-map_chapters', '-1', '-write_tmcd', '0', '-movflags', '+faststart', '-f', 'mp4'];
const BT709 = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' };
const BT709_TAGS = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-color_range', 'tv'];
const base = { source: 'in.mkv', kind: 'video' as const, extension: 'mp4', actions: [], duration: null, extendBy: 0, streams: { video: 0, audio: 1 } };
const encode = (overrides: Partial<VideoEncode> = {}): VideoEncode => ({ orientation: { rotation: 0, mirrored: false }, tonemap: null, geometry: null, fps: null, bitrateKbps: null, color: BT709, ...overrides });

describe('videoArgs', () => {
  it('a remux copies the kept video and audio streams into MP4 with faststart, nothing else', () => {
    const plan: VideoPlan = { ...base, type: 'video', mode: 'remux', video: 'copy', audio: 'copy' };
    expect(videoArgs(plan, '-odd name:1.mkv', '/out/x.mp4')).toEqual([
      ...COMMON, '-i', 'file:-odd name:1.mkv', '-map', '0:0', '-map', '0:1', '-c:v', 'copy', '-c:a', 'copy', ...TAIL, 'file:/out/x.mp4',
    ]);
  });

  it('maps streams by index: cover art first and a timecode track are left out', () => {
    const plan: VideoPlan = { ...base, type: 'video', mode: 'remux', video: 'copy', audio: 'copy', streams: { video: 2, audio: 5 } };
    const args = videoArgs(plan, 'a.mov', 'b.mp4');
    expect(args.filter((_, i) => args[i - 1] === '-map')).toEqual(['0:2', '0:5']);
  });

  it('a re-encode: filters, x264 at CRF 18, colour tags, AAC, trimmed', () => {
    const plan: VideoPlan = { ...base, type: 'video', mode: 'reencode', video: encode({ geometry: { width: 854, height: 480, crop: null, contentWidth: 854, contentHeight: 480 }, fps: 24 }), audio: 'aac', duration: 14.9 };
    expect(videoArgs(plan, 'in.webm', 'out.mp4')).toEqual([
      ...COMMON, '-i', 'file:in.webm', '-map', '0:0', '-map', '0:1',
      '-vf', 'scale=854:480:flags=bicubic,setsar=1,fps=24,format=yuv420p', '-vsync', 'vfr', '-c:v', 'libx264', '-preset', 'fast', '-pix_fmt', 'yuv420p', '-crf', '18', ...BT709_TAGS, '-metadata:s:v:0', 'rotate=0',
      '-c:a', 'aac', '-b:a', '128k', '-t', '14.9', ...TAIL, 'file:out.mp4',
    ]);
  });

  it('a size fix sets a bitrate with a capped rate; no audio track maps none; BT.601 stays tagged BT.601', () => {
    const bt601 = { primaries: 'smpte170m', transfer: 'smpte170m', matrix: 'smpte170m' };
    const plan: VideoPlan = { ...base, type: 'video', mode: 'reencode', video: encode({ bitrateKbps: 4000, color: bt601 }), audio: 'none', streams: { video: 0, audio: null } };
    expect(videoArgs(plan, 'a.mp4', 'b.mp4')).toEqual([
      ...COMMON, '-i', 'file:a.mp4', '-map', '0:0',
      '-vf', 'format=yuv420p', '-vsync', 'vfr', '-c:v', 'libx264', '-preset', 'fast', '-pix_fmt', 'yuv420p', '-b:v', '4000k', '-maxrate', '4000k', '-bufsize', '4000k', '-rc_init_occupancy', '400000',
      '-color_primaries', 'smpte170m', '-color_trc', 'smpte170m', '-colorspace', 'smpte170m', '-color_range', 'tv', '-metadata:s:v:0', 'rotate=0',
      ...TAIL, 'file:b.mp4',
    ]);
  });

  it('extending holds the last frame and pads the audio; -t cuts at the exact length', () => {
    const plan: VideoPlan = { ...base, type: 'video', mode: 'reencode', video: encode(), audio: 'aac', duration: 2.1, extendBy: 1.1 };
    const args = videoArgs(plan, 'a.mp4', 'b.mp4');
    expect(args.slice(args.indexOf('-vf'), args.indexOf('-vf') + 2)).toEqual(['-vf', 'tpad=stop_mode=clone:stop_duration=1.6,format=yuv420p']);
    expect(args.slice(args.indexOf('-af'), args.indexOf('-af') + 2)).toEqual(['-af', 'apad']);
    expect(args.slice(args.indexOf('-t'), args.indexOf('-t') + 2)).toEqual(['-t', '2.1']);
  });
});

describe('videoFilters', () => {
  it.each([
    ['pad', { width: 1280, height: 512, crop: null, contentWidth: 1280, contentHeight: 400 }, ['scale=1280:400:flags=bicubic', 'setsar=1', 'pad=1280:512:(ow-iw)/2:(oh-ih)/2:color=black', 'format=yuv420p']],
    ['crop', { width: 1012, height: 406, crop: { width: 1000, height: 400 }, contentWidth: 1012, contentHeight: 406 }, ['crop=1000:400', 'scale=1012:406:flags=bicubic', 'setsar=1', 'format=yuv420p']],
  ] as const)('%s', (_name, geometry, expected) => {
    expect(videoFilters(encode({ geometry }), 0)).toEqual(expected);
  });

  it('finishes turning upright (the mirror autorotate leaves), scales, then tone-maps at the output size', () => {
    const hlg = { primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc' };
    const filters = videoFilters(encode({ orientation: { rotation: 90, mirrored: true }, tonemap: hlg, geometry: { width: 854, height: 480, crop: null, contentWidth: 854, contentHeight: 480 } }), 0);
    expect(filters).toEqual(['hflip', 'scale=854:480:flags=bicubic', 'setsar=1', ...tonemapFilters(hlg), 'format=yuv420p']);
  });
});

describe('afterAutorotate: the part of the display matrix the 2018 autorotate leaves undone', () => {
  it.each([
    [0, false, 0, false],
    [90, false, 0, false],
    [270, false, 0, false],
    [180, false, 0, false],
    [90, true, 0, true], // autorotate turns 90°; a mirror remains
    [270, true, 0, true],
    [0, true, 180, true], // a mirror alone reads as 180°: undo the half turn and mirror = vflip
    [180, true, 180, true], // an upside-down mirror reads as 0°
  ] as const)('%s° mirrored %s → %s° mirrored %s', (rotation, mirrored, left, leftMirrored) => {
    expect(afterAutorotate({ rotation, mirrored })).toEqual({ rotation: left, mirrored: leftMirrored });
  });
});

describe('orientationFilters: rotate clockwise, then mirror', () => {
  it.each([
    [0, false, []],
    [0, true, ['hflip']],
    [90, false, ['transpose=clock']],
    [90, true, ['transpose=cclock_flip']],
    [180, false, ['hflip', 'vflip']],
    [180, true, ['vflip']],
    [270, false, ['transpose=cclock']],
    [270, true, ['transpose=clock_flip']],
  ] as const)('%s° mirrored %s', (rotation, mirrored, expected) => {
    expect(orientationFilters({ rotation, mirrored })).toEqual(expected);
  });
});

it('tonemapFilters: linear light from the source tags, BT.709 primaries, Hable, BT.709 limited range', () => {
  expect(tonemapFilters({ primaries: 'bt2020', transfer: 'smpte2084', matrix: 'bt2020nc' })).toEqual([
    'zscale=tin=smpte2084:pin=bt2020:min=bt2020nc:t=linear:npl=100', 'format=gbrpf32le', 'zscale=p=bt709', 'tonemap=tonemap=hable:desat=0', 'zscale=t=bt709:m=bt709:r=tv', 'format=yuv420p',
  ]);
});

describe('audioArgs', () => {
  const audio = { source: 'a.flac', kind: 'audio' as const, actions: [], duration: null, extendBy: 0, mode: 'reencode' as const };
  it('FLAC → MP3 at 192 kb/s, cover art dropped, 96 kHz brought to 48 kHz, 6 channels to 2', () => {
    const plan: AudioPlan = { ...audio, type: 'audio', extension: 'mp3', codec: 'mp3', bitrateKbps: 192 };
    expect(audioArgs(plan, 'a.flac', 'b.mp3', { sampleRate: 96_000, channels: 6 })).toEqual([
      ...COMMON, '-i', 'file:a.flac', '-map', '0:a:0', '-vn', '-c:a', 'libmp3lame', '-b:a', '192k', '-ar', '48000', '-ac', '2', '-f', 'mp3', 'file:b.mp3',
    ]);
  });

  it('a 1 s WAV padded to 2 s stays PCM', () => {
    const plan: AudioPlan = { ...audio, type: 'audio', extension: 'wav', codec: 'pcm_s16le', bitrateKbps: null, duration: 2, extendBy: 1 };
    expect(audioArgs(plan, 'a.wav', 'b.wav', { sampleRate: 44_100, channels: 1 })).toEqual([
      ...COMMON, '-i', 'file:a.wav', '-map', '0:a:0', '-vn', '-af', 'apad', '-c:a', 'pcm_s16le', '-t', '2', '-f', 'wav', 'file:b.wav',
    ]);
  });
});

describe('audioArgs: the audio stream kept', () => {
  it('a later stream when an earlier one cannot be decoded (issue 20, item 3)', () => {
    const plan: AudioPlan = { source: 'a.m4a', kind: 'audio', actions: [], duration: null, extendBy: 0, mode: 'reencode', type: 'audio', extension: 'mp3', codec: 'mp3', bitrateKbps: 192, stream: 1 };
    expect(audioArgs(plan, 'a.m4a', 'b.mp3', { sampleRate: 48_000, channels: 2 }).slice(COMMON.length, COMMON.length + 5)).toEqual(['-i', 'file:a.m4a', '-map', '0:1', '-vn']);
  });
});

describe('rateArg: a frame rate ffmpeg takes exactly (issue 20, item 4)', () => {
  it.each([
    [24, '24'], [60, '60'], [30000 / 1001, '30000/1001'], [24000 / 1001, '24000/1001'], [60000 / 1001, '60000/1001'], [29.97, '30000/1001'], [23.5, '23.5'], [8.305, '8.305'], [25.0000003, '25'],
  ])('%s fps → %s', (fps, arg) => {
    expect(rateArg(fps)).toBe(arg);
  });
  it('the fps filter takes it', () => {
    expect(videoFilters({ orientation: { rotation: 0, mirrored: false }, tonemap: null, geometry: null, fps: 30000 / 1001 }, 0)).toEqual(['fps=30000/1001', 'format=yuv420p']);
  });
});

it('imageDecodeArgs decodes the first frame to PNG', () => {
  expect(imageDecodeArgs('x.bmp', 'y.png')).toEqual([...COMMON, '-i', 'file:x.bmp', '-frames:v', '1', '-c:v', 'png', '-f', 'image2', 'file:y.png']);
});
