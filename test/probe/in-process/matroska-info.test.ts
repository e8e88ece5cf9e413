import { describe, expect, it } from 'vitest';
import type { FileFacts } from '../../../src/probe/ffprobe-parse.js';
import { FallbackSignal } from '../../../src/probe/in-process/fallback.js';
import type { MkvIndex, MkvTrack } from '../../../src/probe/in-process/matroska-index.js';
import { matroskaMediaInfo } from '../../../src/probe/in-process/matroska-info.js';
import type { AudioTrackFacts } from '../../../src/probe/in-process/mp4-info.js';
import type { Vp9Header } from '../../../src/probe/in-process/vp9-header.js';
import type { VideoInfo } from '../../../src/probe/media-info.js';

const facts: FileFacts = { path: '/m/clip.webm', format: 'webm', extension: 'webm', extensionMatches: true, sizeBytes: 1000 };
const opus: AudioTrackFacts = { codec: 'opus', codecString: 'opus', sampleRate: 48_000, channels: 1 };
/** The first key frame of fixtures/media/vp9.webm (libvpx, profile 0). */
const vp9: Vp9Header = { profile: 0, bitDepth: 8, colorSpace: 0, fullRange: false, subsamplingX: true, subsamplingY: true, width: 854, height: 480 };

function video(overrides: Partial<MkvTrack> = {}): MkvTrack {
  return { number: 1, type: 1, uid: '01', codecId: 'V_VP9', codecPrivate: null, defaultDurationNs: 33_333_333, video: { pixelWidth: 854, pixelHeight: 480, displayWidth: null, displayHeight: null, displayUnit: 0, colour: null, unread: [] }, ...overrides };
}
function audio(overrides: Partial<MkvTrack> = {}): MkvTrack {
  return { number: 2, type: 2, uid: '02', codecId: 'A_OPUS', codecPrivate: null, defaultDurationNs: null, video: null, ...overrides };
}
function index(tracks: MkvTrack[], overrides: Partial<MkvIndex> = {}): MkvIndex {
  return { timestampScale: 1_000_000, duration: 2508, tracks, hasAttachments: false, durationTags: new Map([['01', '00:00:02.507000000'], ['02', '00:00:02.508000000']]), ...overrides };
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

describe('matroskaMediaInfo: what ffprobe would print', () => {
  it('VP9 + Opus: the size and colour from the key frame, the rate from DefaultDuration, stream lengths from DURATION tags', () => {
    const info = matroskaMediaInfo(facts, index([video(), audio()]), opus, { vp9 }, null) as VideoInfo;
    expect(info).toMatchObject({ width: 854, height: 480, videoCodec: 'vp9', pixelFormat: 'yuv420p', color: { primaries: null, transfer: null, matrix: null, range: 'tv', bitDepth: 8, hdr: null }, containerDuration: 2.508, videoDuration: 2.507, audioDuration: 2.508, audioCodec: 'opus', extraStreams: 0 });
    expect(info.fps).toBeCloseTo(30, 5);
  });

  it('a track without a DURATION tag has no length of its own, as ffprobe shows it', () => {
    const info = matroskaMediaInfo(facts, index([video(), audio()], { durationTags: new Map() }), opus, { vp9 }, null) as VideoInfo;
    expect([info.videoDuration, info.audioDuration, info.streamDuration, info.duration]).toEqual([null, null, null, 2.508]);
  });

  it('a subtitle track counts as an extra stream', () => {
    const info = matroskaMediaInfo(facts, index([video(), audio(), audio({ type: 17, uid: '03', codecId: 'S_TEXT/UTF8' })]), opus, { vp9 }, null) as VideoInfo;
    expect([info.extraStreams, info.audioStreamIndex]).toEqual([1, 1]);
  });
});

describe('matroskaMediaInfo: what it hands to ffprobe, and why', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['attachments', () => matroskaMediaInfo(facts, index([video()], { hasAttachments: true }), null, { vp9 }, null), 'trait: attachments (ffprobe lists each as a stream; cover art as a picture)'],
    ['no segment duration (a live recording)', () => matroskaMediaInfo(facts, index([video()], { duration: null }), null, { vp9 }, null), 'estimated-duration: the segment states no duration'],
    ['no DefaultDuration', () => matroskaMediaInfo(facts, index([video({ defaultDurationNs: null })]), null, { vp9 }, null), 'trait: no DefaultDuration: ffprobe guesses the frame rate from the packets'],
    ['a 1 ms DefaultDuration', () => matroskaMediaInfo(facts, index([video({ defaultDurationNs: 1_000_000 })]), null, { vp9 }, null), 'trait: a stated rate of 1000 fps (a timebase, not a frame rate): the packets are measured'],
    ['a Projection element (a 360° or rotated picture)', () => matroskaMediaInfo(facts, index([video({ video: { pixelWidth: 854, pixelHeight: 480, displayWidth: null, displayHeight: null, displayUnit: 0, colour: null, unread: ['Projection'] } })]), null, { vp9 }, null), 'trait: Projection in the track header'],
    ['an HDR transfer in Colour', () => matroskaMediaInfo(facts, index([video({ video: { pixelWidth: 854, pixelHeight: 480, displayWidth: null, displayHeight: null, displayUnit: 0, colour: { primaries: 9, transfer: 16, matrix: 9, fullRange: false }, unread: [] } })]), null, { vp9 }, null), 'trait: transfer code 16 (HDR or rare colour tags are read by ffprobe)'],
    ['an anamorphic display size', () => matroskaMediaInfo(facts, index([video({ video: { pixelWidth: 854, pixelHeight: 480, displayWidth: 1708, displayHeight: 480, displayUnit: 0, colour: null, unread: [] } })]), null, { vp9 }, null), 'trait: a display size that is not the pixel size (anamorphic)'],
    ['10-bit 4:4:4 VP9', () => matroskaMediaInfo(facts, index([video()]), null, { vp9: { ...vp9, profile: 3, bitDepth: 10, subsamplingX: false, subsamplingY: false } }, null), 'trait: VP9 profile 3 (10-bit, not 4:2:0 YUV)'],
    ['AV1', () => matroskaMediaInfo(facts, index([video({ codecId: 'V_AV1' })]), null, { vp9: null }, null), 'codec: video codec V_AV1 (H.264, H.265 and VP9 are read in-process)'],
    ['a first VP9 frame that is not a key frame', () => matroskaMediaInfo(facts, index([video()]), null, { vp9: null }, null), 'parse-error: the first VP9 frame is not a readable key frame'],
  ];
  it.each(cases)('%s', (_name, run, expected) => {
    expect(fallbackOf(run)).toBe(expected);
  });
});
