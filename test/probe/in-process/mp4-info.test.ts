import { describe, expect, it } from 'vitest';
import type { FileFacts } from '../../../src/probe/ffprobe-parse.js';
import { FallbackSignal } from '../../../src/probe/in-process/fallback.js';
import type { Mp4Index, Mp4Track } from '../../../src/probe/in-process/mp4-boxes.js';
import { mp4MediaInfo, type AudioTrackFacts } from '../../../src/probe/in-process/mp4-info.js';
import type { VideoInfo } from '../../../src/probe/media-info.js';

const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
/** avcC of fixtures/media/valid-854x480-30fps.mp4 (baseline 854×480). */
const AVCC = Buffer.from('0142c01fffe10019' + '6742c01fda0360f79bc044000003000400000300f03c60ca80' + '010004' + '68ce3c80', 'hex');
const facts: FileFacts = { path: '/m/clip.mp4', format: 'mp4', extension: 'mp4', extensionMatches: true, sizeBytes: 1000 };
const aac: AudioTrackFacts = { codec: 'aac', codecString: 'mp4a.40.2', sampleRate: 44_100, channels: 1 };

/** 3 s of 30 fps H.264 and 3 s of AAC with its 1024 priming samples cut by an edit, as ffmpeg writes them. */
function video(overrides: Partial<Mp4Track> = {}): Mp4Track {
  return { trackId: 1, handler: 'vide', timescale: 15_360, mediaDuration: 46_080, edits: [{ segmentDuration: 3000, mediaTime: 0 }], sampleDeltas: [{ count: 90, delta: 512 }], matrix: IDENTITY, sampleEntry: 'avc1', codecConfig: AVCC, entryBoxes: ['avcC', 'pasp'], pixelAspect: { h: 1, v: 1 }, colour: null, ...overrides };
}
function audio(overrides: Partial<Mp4Track> = {}): Mp4Track {
  return { trackId: 2, handler: 'soun', timescale: 44_100, mediaDuration: 133_324, edits: [{ segmentDuration: 3000, mediaTime: 1024 }], sampleDeltas: [{ count: 130, delta: 1024 }, { count: 1, delta: 204 }], matrix: IDENTITY, sampleEntry: 'mp4a', codecConfig: null, entryBoxes: [], pixelAspect: null, colour: null, ...overrides };
}
function index(tracks: Mp4Track[], overrides: Partial<Mp4Index> = {}): Mp4Index {
  return { timescale: 1000, duration: 3024, matrix: IDENTITY, fragmented: false, coverArt: false, tracks, ...overrides };
}

function fallbackOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FallbackSignal) return `${error.fallback.code}: ${error.fallback.detail}`;
    throw error;
  }
  return 'read in-process';
}

describe('mp4MediaInfo: what ffprobe would print', () => {
  it('reads H.264 + AAC: durations from the edits (not the movie header), the rate from the sample durations', () => {
    const info = mp4MediaInfo(facts, index([video(), audio()]), aac, null) as VideoInfo;
    expect(info).toMatchObject({ width: 854, height: 480, videoCodec: 'h264', pixelFormat: 'yuv420p', fps: 30, duration: 3, containerDuration: 3, videoDuration: 3, audioDuration: 3, audioCodec: 'aac', videoStreamIndex: 0, audioStreamIndex: 1, extraStreams: 0 });
  });

  it('a delay (empty edit) moves the audio: the container runs from the first start to the last end', () => {
    const delayed = audio({ edits: [{ segmentDuration: 1976, mediaTime: -1 }, { segmentDuration: 3024, mediaTime: 0 }] });
    const info = mp4MediaInfo(facts, index([video(), delayed], { duration: 5000 }), aac, null) as VideoInfo;
    expect([info.containerDuration, info.audioDuration, info.streamDuration]).toEqual([4.999229, 3.02322, 3.02322]);
  });

  const rotations: Array<[string, number[], { rotation: number; mirrored: boolean }]> = [
    // the matrices of fixtures/media/rotated-90-854x480.mp4, hflip-640x360.mp4 and rotate90-mirror-640x360.mp4
    ['rotate=90 as ffmpeg writes it (ffprobe: rotation -90 counter-clockwise)', [0, -0x10000, 0, 0x10000, 0, 0, 0, 0, 0x40000000], { rotation: 270, mirrored: false }],
    ['a mirror alone', [-0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000], { rotation: 0, mirrored: true }],
    ['a transpose', [0, 0x10000, 0, 0x10000, 0, 0, 0, 0, 0x40000000], { rotation: 90, mirrored: true }],
  ];
  it.each(rotations)('orientation: %s', (_name, matrix, expected) => {
    const info = mp4MediaInfo(facts, index([video({ matrix })]), null, null) as VideoInfo;
    expect({ rotation: info.rotation, mirrored: info.mirrored }).toEqual(expected);
  });

  // the SPS above has no video signal type: the container's codes stand, as the decoder starts from them
  const colours: Array<[string, Mp4Track['colour'], Pick<VideoInfo, 'pixelFormat'> & { range: string | null; matrix: string | null }]> = [
    ['no colr box', null, { pixelFormat: 'yuv420p', range: null, matrix: null }],
    ['an nclx colr box, BT.709 studio range', { primaries: 1, transfer: 1, matrix: 1, fullRange: false }, { pixelFormat: 'yuv420p', range: 'tv', matrix: 'bt709' }],
    ['an nclx colr box, BT.601 full range: the "j" pixel format', { primaries: 6, transfer: 1, matrix: 6, fullRange: true }, { pixelFormat: 'yuvj420p', range: 'pc', matrix: 'smpte170m' }],
    ["QuickTime's nclc: no range", { primaries: 1, transfer: 1, matrix: 1, fullRange: null }, { pixelFormat: 'yuv420p', range: null, matrix: 'bt709' }],
  ];
  it.each(colours)('colour: %s', (_name, colour, expected) => {
    const info = mp4MediaInfo(facts, index([video({ colour })]), null, null) as VideoInfo;
    expect({ pixelFormat: info.pixelFormat, range: info.color.range, matrix: info.color.matrix }).toEqual(expected);
  });

  it('a timecode track is one more stream', () => {
    const timecode = video({ handler: 'tmcd', sampleEntry: 'tmcd', codecConfig: null, entryBoxes: [], sampleDeltas: [{ count: 1, delta: 46_080 }] });
    const info = mp4MediaInfo(facts, index([video(), audio(), timecode]), aac, null) as VideoInfo;
    expect([info.extraStreams, info.containerDuration]).toEqual([1, 3]);
  });

  it('the container pixel aspect (pasp) wins over the stream one', () => {
    const info = mp4MediaInfo(facts, index([video({ pixelAspect: { h: 4, v: 3 } })]), null, null) as VideoInfo;
    expect([info.sampleAspectRatio, info.width, info.height]).toEqual([4 / 3, 1139, 480]);
  });
});

describe('mp4MediaInfo: what it hands to ffprobe, and why', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['fragmented', () => mp4MediaInfo(facts, index([video()], { fragmented: true }), null, null), 'trait: a fragmented MP4: its fragments, not the index, hold the samples'],
    ['cover art', () => mp4MediaInfo(facts, index([video()], { coverArt: true }), null, null), 'trait: cover art (ffprobe lists it as a stream)'],
    ['ProRes', () => mp4MediaInfo(facts, index([video({ sampleEntry: 'apch' })]), null, null), 'codec: video sample entry apch (H.264 and H.265 are read in-process)'],
    ['an HDR transfer in the colr box', () => mp4MediaInfo(facts, index([video({ colour: { primaries: 9, transfer: 16, matrix: 9, fullRange: false } })]), null, null), 'trait: transfer code 16 (HDR or rare colour tags are read by ffprobe)'],
    ['a subtitle track', () => mp4MediaInfo(facts, index([video(), audio({ handler: 'sbtl' })]), aac, null), 'trait: a sbtl track (text, metadata or hint)'],
    ['Dolby Vision', () => mp4MediaInfo(facts, index([video({ entryBoxes: ['avcC', 'dvcC'] })]), null, null), 'trait: a Dolby Vision configuration'],
    ['variable frame durations', () => mp4MediaInfo(facts, index([video({ sampleDeltas: [{ count: 30, delta: 512 }, { count: 20, delta: 1536 }, { count: 1, delta: 512 }] })]), null, null), 'trait: sample durations vary (3 runs): ffprobe guesses the base rate and the packets are measured'],
    ['a 1000 fps clock', () => mp4MediaInfo(facts, index([video({ timescale: 1000, mediaDuration: 3000, sampleDeltas: [{ count: 3000, delta: 1 }], edits: null })]), null, null), 'trait: stated rate 1000 is implausible or disagrees with the base rate 1000: the packets are measured'],
    ['an edit that trims', () => mp4MediaInfo(facts, index([video({ edits: [{ segmentDuration: 2000, mediaTime: 0 }] })]), null, null), 'trait: an edit of 2 s over 3 s of media (a trim)'],
    ['two media edits', () => mp4MediaInfo(facts, index([video({ edits: [{ segmentDuration: 1000, mediaTime: 0 }, { segmentDuration: 2000, mediaTime: 15_360 }] })]), null, null), 'trait: an edit list of 2 edits that is not a delay then one media segment'],
    ['a scaling matrix', () => mp4MediaInfo(facts, index([video({ matrix: [0x20000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000] })]), null, null), 'trait: a display matrix that scales or skews'],
    ['HE-AAC', () => mp4MediaInfo(facts, index([video(), audio()]), { ...aac, codecString: 'mp4a.40.5' }, null), 'codec: HE-AAC (ffprobe reports the decoded rate and channels)'],
    ['AAC at 22.05 kHz alone (SBR the config may not state)', () => mp4MediaInfo(facts, index([audio({ timescale: 22_050, edits: null })]), { ...aac, sampleRate: 22_050 }, null), "codec: AAC at 22050 Hz: it may carry SBR, which ffprobe's decoder reports at twice the rate"],
    ['an audio codec the toolkit does not name', () => mp4MediaInfo(facts, index([audio()]), { ...aac, codec: null }, null), 'codec: audio codec unknown to the toolkit'],
  ];
  it.each(cases)('%s', (_name, run, expected) => {
    expect(fallbackOf(run)).toBe(expected);
  });
});
