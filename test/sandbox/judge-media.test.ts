import { describe, expect, it } from 'vitest';
import type { MediaInfo } from '../../src/probe/media-info.js';
import { judgeMedia, judgeTotals } from '../../src/sandbox/judge-media.js';
import { audio, image, video } from '../helpers/media-info.js';

const text = (param: string, kind: 'image' | 'video' | 'audio', info: MediaInfo | null) => judgeMedia(param, kind, info)?.text ?? null;

describe("judgeMedia: the sandbox's own table, in its own words", () => {
  it.each([
    ['a conforming 854×480 30 fps 3 s video', 'video', video(), null],
    ['200×200, 2 s', 'video', video({ width: 200, height: 200, duration: 2, containerDuration: 2 }), 'width and height must be 300-6000 px, got 200x200'],
    ['a side above 6000', 'video', video({ width: 6002, height: 300 }), 'width and height must be 300-6000 px, got 6002x300'],
    ['1280×400: aspect 3.2', 'video', video({ width: 1280, height: 400 }), 'aspect ratio (width/height) must be 0.4-2.5, got 3.20 (1280x400)'],
    ['640×360: too few pixels', 'video', video({ width: 640, height: 360 }), 'pixel count (width x height) must be 409600-2086876, got 230400 (640x360)'],
    ['1920×1088: too many pixels', 'video', video({ width: 1920, height: 1088 }), 'pixel count (width x height) must be 409600-2086876, got 2088960 (1920x1088)'],
    ['2206×946: the largest frame the documents allow', 'video', video({ width: 2206, height: 946 }), null],
    ['15 fps', 'video', video({ fps: 15 }), 'frame rate must be 24-60 FPS, got 15'],
    ['119.88 fps', 'video', video({ fps: 119.88 }), 'frame rate must be 24-60 FPS, got 119.88'],
    ['16 s', 'video', video({ duration: 16, containerDuration: 16 }), 'duration must be 2-15 seconds, got 16.0'],
    // the server reads the header: a clip whose container says 0.3 s is refused though its streams last 4 s
    ['container says 0.3 s, streams 4 s', 'video', video({ duration: 4, containerDuration: 0.3, streamDuration: 4 }), 'duration must be 2-15 seconds, got 0.3'],
    ['a WebM', 'video', video({ format: 'webm' }), 'unsupported video format webm; supported formats: mp4, mov'],
    ['a MOV', 'video', video({ format: 'mov' }), null],
    ['50,000,001 bytes', 'video', video({ sizeBytes: 50_000_001 }), 'file size 50000001 bytes exceeds the 50MB limit (50000000 bytes)'],
        ['an image given as a video', 'video', image(), 'expected a video, got an image (jpeg)'],
    ['unreadable', 'video', null, 'the file could not be decoded as a video'],
    ['a conforming JPEG', 'image', image(), null],
    ['a 200×200 PNG', 'image', image({ format: 'png', width: 200, height: 200 }), 'width and height must be 300-6000 px, got 200x200'],
    ['3000×1000: aspect 3.0', 'image', image({ width: 3000, height: 1000 }), 'aspect ratio (width/height) must be 0.4-2.5, got 3.00 (3000x1000)'],
    ['a GIF', 'image', image({ format: 'gif' }), 'unsupported image format gif; supported formats: jpeg, png, webp'],
    ['31 MB', 'image', image({ sizeBytes: 31_000_000 }), 'file size 31000000 bytes exceeds the 30MB limit (30000000 bytes)'],
    ['a conforming MP3', 'audio', audio(), null],
    ['a FLAC', 'audio', audio({ format: 'flac' }), 'unsupported audio format flac; supported formats: wav, mp3'],
    ['1 s of audio', 'audio', audio({ duration: 1, containerDuration: 1 }), 'duration must be 2-15 seconds, got 1.0'],
    ['audio with no readable duration', 'audio', audio({ duration: null, containerDuration: null }), 'the duration could not be determined'],
  ] as const)('%s', (_name, kind, info, expected) => {
    expect(text(`${kind}_urls[0]`, kind, info)).toBe(expected);
  });

  it('names the parameter and the kind, which decides the error code', () => {
    expect(judgeMedia('image_urls[2]', 'image', image({ width: 200 }))).toEqual({ param: 'image_urls[2]', kind: 'image', text: 'width and height must be 300-6000 px, got 200x720' });
  });

  it('never speaks of the project’s rule ids', () => {
    const texts = [video({ fps: 15 }), video({ width: 200, height: 200 }), video({ format: 'webm' })].map((info) => text('video_urls[0]', 'video', info));
    for (const t of texts) expect(t).not.toMatch(/rule|video\.(fps|dimensions|format)/);
  });
});

describe('judgeTotals', () => {
  const clip = (seconds: number) => ({ field: 'video_urls', info: video({ duration: seconds, containerDuration: seconds }) });
  it.each([
    ['8 s + 7 s of video', [clip(8), clip(7)], null],
    ['8 s + 7.5 s of video', [clip(8), clip(7.5)], { param: 'video_urls', kind: 'video', text: 'total duration must be at most 15 seconds, got 15.5' }],
    ['10 s + 6 s of audio', [{ field: 'audio_urls', info: audio({ duration: 10, containerDuration: 10 }) }, { field: 'audio_urls', info: audio({ duration: 6, containerDuration: 6 }) }], { param: 'audio_urls', kind: 'audio', text: 'total duration must be at most 15 seconds, got 16.0' }],
    ['two 29 MB images and a 10 MB video: 68 MB', [{ field: 'image_urls', info: image({ sizeBytes: 29_000_000 }) }, { field: 'image_urls', info: image({ sizeBytes: 29_000_000 }) }, { field: 'video_urls', info: video({ sizeBytes: 10_000_000 }) }], { param: 'request', kind: null, text: 'the referenced files total 68000000 bytes, over the 64MB limit (64000000 bytes)' }],
  ] as const)('%s', (_name, files, expected) => {
    expect(judgeTotals(files)).toEqual(expected);
  });
});
