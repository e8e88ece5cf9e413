import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkMedia } from '../../src/check/file-rules.js';
import {
  lastFrameOnly,
  parseClock,
  parseFfprobe,
  parseFfprobeImage,
  parseRate,
  parseSeconds,
  type FfprobeStream,
  type FileFacts,
} from '../../src/probe/ffprobe-parse.js';
import type { MediaFormat } from '../../src/probe/media-info.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { ids } from '../helpers/media-info.js';

/**
 * Real ffprobe output for committed fixtures, captured once with the bundled binary:
 * node_modules/@ffprobe-installer/linux-x64/ffprobe -v error -print_format json -show_format -show_streams -i file:$PWD/fixtures/media/NAME
 * (the absolute path in "filename" replaced by the relative one).
 */
function captured(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./captured/${name}.json`, import.meta.url)), 'utf8');
}

function facts(path: string, format: MediaFormat, sizeBytes: number, extension = path.split('.').pop()!): FileFacts {
  return { path, format, extension, extensionMatches: true, sizeBytes };
}

/** A hand-written ffprobe document. */
function probe(streams: FfprobeStream[], format: Record<string, unknown> = { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '3.000000' }): string {
  return JSON.stringify({ streams, format });
}

const H264: FfprobeStream = { index: 0, codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, pix_fmt: 'yuv420p', r_frame_rate: '30/1', avg_frame_rate: '30/1', duration: '3.000000', disposition: { default: 1, attached_pic: 0 } };
const AAC: FfprobeStream = { index: 1, codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2, r_frame_rate: '0/0', avg_frame_rate: '0/0', duration: '3.000000', disposition: { default: 1, attached_pic: 0 } };
const MP4 = facts('phone.mp4', 'mp4', 1_000_000);

describe('parseFfprobe: captured output of the fixtures', () => {
  it('valid-854x480-30fps.mp4: H.264 + AAC, 3 s, 30 fps', () => {
    const f = facts('fixtures/media/valid-854x480-30fps.mp4', 'mp4', 150_465);
    const result = parseFfprobe(captured('valid-854x480-30fps.mp4'), f);
    expect(result).toEqual({
      ok: true,
      info: {
        ...f,
        kind: 'video',
        width: 854,
        height: 480,
        storedWidth: 854,
        storedHeight: 480,
        sampleAspectRatio: 1,
        rotation: 0,
        mirrored: false,
        videoCodec: 'h264',
        videoDecodable: true,
        pixelFormat: 'yuv420p',
        color: { primaries: null, transfer: null, matrix: null, range: null, bitDepth: 8, hdr: null },
        fps: 30,
        fpsSource: 'stated',
        variableFrameRate: false,
        duration: 3,
        containerDuration: 3,
        streamDuration: 3,
        videoDuration: 3,
        audioDuration: 3,
        hasAudio: true,
        audioCodec: 'aac',
        videoStreamIndex: 0,
        audioStreamIndex: 1,
        extraStreams: 0,
      },
      rateFromPackets: false,
    });
    expect(result.ok && checkMedia(result.info, SEED_PROFILE)).toEqual([]);
  });

  it('rotated-90-854x480.mp4: stored 854×480, displayed 480×854 by its display matrix', () => {
    const f = facts('fixtures/media/rotated-90-854x480.mp4', 'mp4', 128_136);
    const result = parseFfprobe(captured('rotated-90-854x480.mp4'), f);
    // ffprobe reports the matrix as "rotation": 90, counter-clockwise: 270° clockwise
    // (the bundled ffmpeg shows the same file with a rotate tag of 270)
    expect(result).toMatchObject({ ok: true, info: { kind: 'video', width: 480, height: 854, storedWidth: 854, storedHeight: 480, rotation: 270, fps: 30, duration: 3, hasAudio: false, audioCodec: null } });
    expect(result.ok && checkMedia(result.info, SEED_PROFILE)).toEqual([]);
  });

  it('vfr.mp4: average 17.05 fps against a base rate of 30: variable', () => {
    const f = facts('fixtures/media/vfr.mp4', 'mp4', 83_697);
    const result = parseFfprobe(captured('vfr.mp4'), f);
    expect(result).toMatchObject({ ok: true, info: { kind: 'video', fps: 375 / 22, variableFrameRate: true, duration: 2.933333, containerDuration: 2.933333, streamDuration: 2.933333, hasAudio: false } });
    expect(result.ok && ids(checkMedia(result.info, SEED_PROFILE))).toEqual(['video.fps:error', 'video.vfr:warning']);
  });

  it('delayed-audio.mp4: container 5 s, longest stream 3.02 s', () => {
    const f = facts('fixtures/media/delayed-audio.mp4', 'mp4', 149_389);
    const result = parseFfprobe(captured('delayed-audio.mp4'), f);
    expect(result).toMatchObject({ ok: true, info: { kind: 'video', duration: 4.999229, containerDuration: 4.999229, streamDuration: 3.02322, hasAudio: true, audioCodec: 'aac', fps: 30 } });
    const violations = result.ok ? checkMedia(result.info, SEED_PROFILE) : [];
    expect(ids(violations)).toEqual(['video.duration_mismatch:warning']);
    // against the video track (3 s), not the longest stream (the audio, 3.02 s)
    expect(violations[0]!.actual).toBe(1.999);
  });

  it('h264-in.mkv: stream durations from the Matroska DURATION tags', () => {
    const f = facts('fixtures/media/h264-in.mkv', 'mkv', 123_546);
    const result = parseFfprobe(captured('h264-in.mkv'), f);
    expect(result).toMatchObject({ ok: true, info: { kind: 'video', format: 'mkv', videoCodec: 'h264', audioCodec: 'aac', width: 854, height: 480, fps: 30, duration: 2.523, containerDuration: 2.523, streamDuration: 2.523 } });
    const violations = result.ok ? checkMedia(result.info, SEED_PROFILE) : [];
    expect(ids(violations)).toEqual(['video.format:error']);
    expect(violations[0]!.fix).toBe('remux into MP4 without re-encoding');
  });

  it('vp9.webm: VP9 + Opus, the longest stream tag wins', () => {
    const f = facts('fixtures/media/vp9.webm', 'webm', 58_395);
    const result = parseFfprobe(captured('vp9.webm'), f);
    expect(result).toMatchObject({ ok: true, info: { kind: 'video', videoCodec: 'vp9', audioCodec: 'opus', containerDuration: 2.508, streamDuration: 2.508, duration: 2.508 } });
    expect(result.ok && ids(checkMedia(result.info, SEED_PROFILE))).toEqual(['video.format:error', 'video.codec:error', 'video.audio_codec:warning']);
  });

  it('hevc.mp4 and prores.mov', () => {
    const hevc = parseFfprobe(captured('hevc.mp4'), facts('fixtures/media/hevc.mp4', 'mp4', 15_420));
    expect(hevc).toMatchObject({ ok: true, info: { videoCodec: 'hevc', duration: 2.5, hasAudio: false } });
    expect(hevc.ok && ids(checkMedia(hevc.info, SEED_PROFILE))).toEqual(['video.codec:warning']);
    const prores = parseFfprobe(captured('prores.mov'), facts('fixtures/media/prores.mov', 'mov', 214_534));
    expect(prores).toMatchObject({ ok: true, info: { videoCodec: 'prores', pixelFormat: 'yuv422p10le', fps: 24, duration: 2 } });
    expect(prores.ok && ids(checkMedia(prores.info, SEED_PROFILE))).toEqual(['video.codec:error']);
  });

  it('valid-3s.mp3: audio', () => {
    const f = facts('fixtures/media/valid-3s.mp3', 'mp3', 24_494);
    const result = parseFfprobe(captured('valid-3s.mp3'), f);
    expect(result).toEqual({
      ok: true,
      info: { ...f, kind: 'audio', audioCodec: 'mp3', duration: 3.030204, containerDuration: 3.030204, streamDuration: 3.030204, sampleRate: 44_100, channels: 1, hasAudio: true },
    });
    expect(result.ok && checkMedia(result.info, SEED_PROFILE)).toEqual([]);
  });

  it('valid-3s.wav: audio', () => {
    const f = facts('fixtures/media/valid-3s.wav', 'wav', 96_078);
    expect(parseFfprobe(captured('valid-3s.wav'), f)).toEqual({
      ok: true,
      info: { ...f, kind: 'audio', audioCodec: 'pcm_s16le', duration: 3, containerDuration: 3, streamDuration: 3, sampleRate: 16_000, channels: 1, hasAudio: true },
    });
  });

  it('audio-only.m4a: an MP4 container holding only audio is audio', () => {
    const f = facts('fixtures/media/audio-only.m4a', 'm4a', 20_919);
    const result = parseFfprobe(captured('audio-only.m4a'), f);
    expect(result).toEqual({
      ok: true,
      info: { ...f, kind: 'audio', audioCodec: 'aac', duration: 3, containerDuration: 3, streamDuration: 3, sampleRate: 44_100, channels: 1, hasAudio: true },
    });
    expect(result.ok && ids(checkMedia(result.info, SEED_PROFILE))).toEqual(['audio.format:error']);
  });
});

describe('parseFfprobe: hand-written cases', () => {
  it('duration "N/A" in the container: the stream duration is used', () => {
    const result = parseFfprobe(probe([H264], { format_name: 'mov', duration: 'N/A' }), MP4);
    expect(result).toMatchObject({ ok: true, info: { duration: 3, containerDuration: null, streamDuration: 3 } });
  });

  it('no duration anywhere', () => {
    const result = parseFfprobe(probe([{ ...H264, duration: 'N/A' }], {}), MP4);
    expect(result).toMatchObject({ ok: true, info: { duration: null, containerDuration: null, streamDuration: null } });
    expect(result.ok && ids(checkMedia(result.info, SEED_PROFILE))).toEqual(['video.duration:warning']);
  });

  it('r_frame_rate and avg_frame_rate "0/0": fps unknown, not variable', () => {
    const result = parseFfprobe(probe([{ ...H264, r_frame_rate: '0/0', avg_frame_rate: '0/0' }]), MP4);
    expect(result).toMatchObject({ ok: true, info: { fps: null, variableFrameRate: false } });
    expect(result.ok && ids(checkMedia(result.info, SEED_PROFILE))).toEqual(['video.fps:warning']);
  });

  it('avg_frame_rate "0/0" falls back to r_frame_rate', () => {
    expect(parseFfprobe(probe([{ ...H264, r_frame_rate: '25/1', avg_frame_rate: '0/0' }]), MP4)).toMatchObject({ ok: true, info: { fps: 25, variableFrameRate: false } });
  });

  it('NTSC rates: 30000/1001 is constant', () => {
    expect(parseFfprobe(probe([{ ...H264, r_frame_rate: '30000/1001', avg_frame_rate: '30000/1001' }]), MP4)).toMatchObject({ ok: true, info: { fps: 30000 / 1001, variableFrameRate: false } });
  });

  it('average within 2% of the base rate is constant; beyond is variable', () => {
    expect(parseFfprobe(probe([{ ...H264, r_frame_rate: '30/1', avg_frame_rate: '2960/100' }]), MP4)).toMatchObject({ ok: true, info: { variableFrameRate: false } });
    expect(parseFfprobe(probe([{ ...H264, r_frame_rate: '30/1', avg_frame_rate: '2900/100' }]), MP4)).toMatchObject({ ok: true, info: { variableFrameRate: true } });
  });

  it('a legacy rotate tag "90": displayed sideways', () => {
    const result = parseFfprobe(probe([{ ...H264, tags: { rotate: '90' } }]), MP4);
    expect(result).toMatchObject({ ok: true, info: { rotation: 90, width: 1080, height: 1920, storedWidth: 1920, storedHeight: 1080 } });
  });

  it('a Display Matrix rotation of -90 is 90° clockwise', () => {
    const result = parseFfprobe(probe([{ ...H264, side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }]), MP4);
    expect(result).toMatchObject({ ok: true, info: { rotation: 90, width: 1080, height: 1920, storedWidth: 1920, storedHeight: 1080 } });
  });

  it('a Display Matrix rotation of 180 keeps the frame\'s shape', () => {
    const result = parseFfprobe(probe([{ ...H264, side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] }]), MP4);
    expect(result).toMatchObject({ ok: true, info: { rotation: 180, width: 1920, height: 1080 } });
  });

  it('an MP3 with cover art (attached_pic) is audio', () => {
    // trimmed from ffprobe's output for an MP3 with an ID3 APIC frame
    const json = probe(
      [
        { index: 0, codec_name: 'mp3', codec_type: 'audio', sample_rate: '44100', channels: 1, r_frame_rate: '0/0', avg_frame_rate: '0/0', duration: '3.030204', disposition: { default: 0, attached_pic: 0 } },
        { index: 1, codec_name: 'mjpeg', codec_type: 'video', width: 1280, height: 720, pix_fmt: 'yuvj420p', r_frame_rate: '90000/1', avg_frame_rate: '0/0', duration: '3.030200', disposition: { default: 0, attached_pic: 1 }, tags: { title: 'Album cover', comment: 'Cover (front)' } },
      ],
      { format_name: 'mp3', duration: '3.030204', size: '30197' },
    );
    const f = facts('song.mp3', 'mp3', 30_197);
    expect(parseFfprobe(json, f)).toEqual({
      ok: true,
      info: { ...f, kind: 'audio', audioCodec: 'mp3', duration: 3.030204, containerDuration: 3.030204, streamDuration: 3.030204, sampleRate: 44_100, channels: 1, hasAudio: true },
    });
  });

  it('a video with cover art is judged by its real video stream', () => {
    const cover: FfprobeStream = { index: 0, codec_type: 'video', codec_name: 'png', width: 600, height: 600, disposition: { attached_pic: 1 } };
    expect(parseFfprobe(probe([cover, { ...H264, index: 1 }, { ...AAC, index: 2 }]), MP4)).toMatchObject({ ok: true, info: { kind: 'video', videoCodec: 'h264', width: 1920, height: 1080, hasAudio: true, audioCodec: 'aac' } });
  });

  it('the longest of the container and the streams', () => {
    const result = parseFfprobe(probe([{ ...H264, duration: '4.000000' }, { ...AAC, duration: '4.500000' }], { duration: '4.200000' }), MP4);
    expect(result).toMatchObject({ ok: true, info: { duration: 4.5, containerDuration: 4.2, streamDuration: 4.5 } });
  });

  it('missing codec names, sample rate and channels', () => {
    expect(parseFfprobe(probe([{ codec_type: 'video', width: 640, height: 640 }]), MP4)).toMatchObject({ ok: true, info: { videoCodec: 'unknown', pixelFormat: null, fps: null } });
    expect(parseFfprobe(probe([{ codec_type: 'audio', codec_name: 'pcm_s16le' }], { duration: '3.0' }), facts('x.wav', 'wav', 10))).toMatchObject({ ok: true, info: { kind: 'audio', audioCodec: 'pcm_s16le', sampleRate: null, channels: null, duration: 3 } });
  });

  // issue 20, item 4: Dolby Vision is HDR only when its base layer is (compatibility id 1 HDR10, 4 HLG, 0 none; 2 is SDR)
  it.each([
    [8, 1, 'dolby-vision'], [8, 4, 'dolby-vision'], [5, 0, 'dolby-vision'], [7, 6, 'dolby-vision'], [8, 2, null], [9, 2, null], [9, undefined, null],
  ] as const)('Dolby Vision profile %s, compatibility id %s: hdr %s', (profile, compatibility, hdr) => {
    const dovi = { side_data_type: 'DOVI configuration record', dv_profile: profile, ...(compatibility !== undefined && { dv_bl_signal_compatibility_id: compatibility }) };
    expect(parseFfprobe(probe([{ ...H264, side_data_list: [dovi] }]), MP4)).toMatchObject({ ok: true, info: { color: { hdr } } });
  });

  // issue 20, item 4: an average off the base rate by at most one frame's duration is the last frame's, not the rate's
  it.each([
    [18000 / 299, 60, 300, 60], [60.3, 60, 300, 60.3], [60, 60, 300, 60], [29.5, 30, 20, 30], [29.5, 30, 61, 30], [29.5, 30, 100, 29.5], [25, null, 100, 25], [null, 30, 100, null], [61, 60, 1, 61], [61, 60, Number.NaN, 61],
  ] as const)('lastFrameOnly(%s, %s, %s frames) = %s', (average, base, frames, rate) => {
    expect(lastFrameOnly(average, base, frames)).toBe(rate);
  });

  // issue 20, item 3: the first stream that decodes is kept; an audio file whose audio does not decode is not fixable
  const DECODERS = new Set(['h264', 'aac']);
  const at = (stream: FfprobeStream, index: number): FfprobeStream => ({ ...stream, index });
  const chosen: Array<[string, string, Array<'external' | 'no-samples' | 'no-sample-description' | null>, unknown]> = [
    ['an AAC without a sample description before a good one', probe([H264, { index: 1, codec_type: 'audio', codec_tag_string: '[0][0][0][0]' }, at(AAC, 2)]), [], { ok: true, info: { videoStreamIndex: 0, audioStreamIndex: 2, hasAudio: true } }],
    ['an audio track the boxes say is empty', probe([H264, AAC, at(AAC, 2)]), [null, 'no-samples', null], { ok: true, info: { audioStreamIndex: 2 } }],
    ['a fake first video (no samples)', probe([H264, at(H264, 1), at(AAC, 2)]), ['no-samples', null, null], { ok: true, info: { videoStreamIndex: 1, audioStreamIndex: 2 } }],
    ['a codec without a decoder here: audio dropped', probe([H264, { codec_type: 'audio', codec_name: 'opus' }]), [], { ok: true, info: { hasAudio: false, audioStreamIndex: null, extraStreams: 1 } }],
    ['a video without a decoder is still kept (it can be remuxed)', probe([{ ...H264, codec_name: 'prores' }]), [], { ok: true, info: { videoCodec: 'prores', videoDecodable: false } }],
    ['a reference movie', probe([H264, AAC]), ['external', 'external'], { ok: false, detail: "the video's frames are in another file (a QuickTime reference movie)", undecodable: { stream: 'video', reason: 'external', codec: 'h264' } }],
    ['cover art and an AAC without its sample description', probe([{ codec_type: 'audio', codec_tag_string: '[0][0][0][0]' }, { codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, disposition: { attached_pic: 1 } }]), [], { ok: false, detail: 'its audio track has no sample description (stsd), so nothing says how to decode it', undecodable: { stream: 'audio', reason: 'no-sample-description', codec: null } }],
    ['an audio file whose codec has no decoder', probe([{ codec_type: 'audio', codec_name: 'opus' }]), [], { ok: false, detail: 'the ffmpeg in use has no decoder for its audio (opus)', undecodable: { stream: 'audio', reason: 'no-decoder', codec: 'opus' } }],
    ['a later audio stream kept in an audio file', probe([{ index: 0, codec_type: 'audio', codec_tag_string: '[0][0][0][0]' }, AAC]), [], { ok: true, info: { kind: 'audio', audioCodec: 'aac', audioStreamIndex: 1 } }],
  ];
  it.each(chosen)('%s', (_name, json, problems, expected) => {
    expect(parseFfprobe(json, MP4, false, DECODERS, problems)).toMatchObject(expected as object);
  });

  const failures: Array<[string, string, string]> = [
    ['no streams', probe([]), 'it holds no audio or video stream'],
    ['no "streams" key', JSON.stringify({ format: { duration: '3.0' } }), 'it holds no audio or video stream'],
    ['only a data stream', probe([{ codec_type: 'data', codec_name: 'bin_data' }]), 'it holds no audio or video stream'],
    ['only cover art', probe([{ codec_type: 'video', codec_name: 'mjpeg', width: 500, height: 500, disposition: { attached_pic: 1 } }]), 'it holds no audio or video stream'],
    ['a video stream without a size', probe([{ ...H264, width: 0, height: 0 }]), 'the video stream has no frame size'],
    ['a video stream without width', probe([{ codec_type: 'video', codec_name: 'h264', height: 480 }]), 'the video stream has no frame size'],
    ['output that is not JSON', 'Invalid data found when processing input', 'ffprobe printed output that is not JSON'],
    ['empty output', '', 'ffprobe printed output that is not JSON'],
  ];
  it.each(failures)('%s', (_name, json, detail) => {
    expect(parseFfprobe(json, MP4)).toEqual({ ok: false, detail });
  });
});

describe('parseFfprobeImage', () => {
  const BMP = facts('fixtures/media/image.bmp', 'bmp', 121_078);

  it('image.bmp (captured)', () => {
    const info = parseFfprobeImage(captured('image.bmp'), BMP);
    expect(info).toEqual({ ...BMP, kind: 'image', width: 400, height: 300, storedWidth: 400, storedHeight: 300, orientation: 1, hasAlpha: false, frames: 1 });
    expect(ids(checkMedia(info!, SEED_PROFILE))).toEqual(['image.format:error']);
  });

  const alpha: Array<[string, boolean]> = [
    ['pal8', false], ['bgr24', false], ['yuv420p', false], ['gray', false],
    ['rgba', true], ['bgra', true], ['argb', true], ['abgr', true], ['ya8', true], ['yuva420p', true], ['gbrap', true], ['rgba64le', true],
  ];
  it.each(alpha)('pix_fmt %s → alpha %s', (pixFmt, hasAlpha) => {
    expect(parseFfprobeImage(probe([{ codec_type: 'video', codec_name: 'bmp', width: 320, height: 320, pix_fmt: pixFmt }]), BMP)?.hasAlpha).toBe(hasAlpha);
  });

  const none: Array<[string, string]> = [
    ['not JSON', '<html>'],
    ['no streams', probe([])],
    ['only audio', probe([AAC])],
    ['no size', probe([{ codec_type: 'video', codec_name: 'bmp' }])],
    ['zero width', probe([{ codec_type: 'video', codec_name: 'bmp', width: 0, height: 300 }])],
  ];
  it.each(none)('%s → null', (_name, json) => {
    expect(parseFfprobeImage(json, BMP)).toBeNull();
  });
});

describe('parseRate', () => {
  const cases: Array<[string | undefined, number | null]> = [
    ['30/1', 30],
    ['30000/1001', 30000 / 1001],
    ['375/22', 375 / 22],
    ['25', 25],
    ['0/0', null],
    ['0/1', null],
    ['30/0', null],
    ['N/A', null],
    ['', null],
    [undefined, null],
    ['-30/1', null],
    ['abc/1', null],
  ];
  it.each(cases)('%s → %s', (rate, expected) => {
    expect(parseRate(rate)).toBe(expected);
  });
});

describe('parseSeconds', () => {
  const cases: Array<[string | undefined, number | null]> = [
    ['12.345000', 12.345],
    ['3.000000', 3],
    ['0.000000', 0],
    ['N/A', null],
    [undefined, null],
    ['-0.023220', null],
    ['abc', null],
    ['Infinity', null],
  ];
  it.each(cases)('%s → %s', (value, expected) => {
    expect(parseSeconds(value)).toBe(expected);
  });
});

describe('parseClock', () => {
  const cases: Array<[string | undefined, number | null]> = [
    ['00:00:05.021000000', 5.021],
    ['00:00:02.523000000', 2.523],
    ['01:02:03.5', 3723.5],
    ['1:00:00', 3600],
    ['00:00:15', 15],
    ['00:05.0', null],
    ['5.021', null],
    ['N/A', null],
    [undefined, null],
  ];
  it.each(cases)('%s → %s', (value, expected) => {
    expect(parseClock(value)).toBe(expected);
  });
});

describe('parseFfprobe: real-shaped traits (fixtures made with Debian ffmpeg, fixtures/make-video-fixtures.sh)', () => {
  const parse = (name: string, format: MediaFormat, decoders: ReadonlySet<string> | null = null) => {
    const result = parseFfprobe(captured(name), facts(`fixtures/media/${name}`, format, 1000), false, decoders);
    if (!result.ok) throw new Error(result.detail);
    return result;
  };

  it('hdr-hlg-640x360.mp4: 10-bit BT.2020 HLG', () => {
    const { info } = parse('hdr-hlg-640x360.mp4', 'mp4');
    expect(info).toMatchObject({ videoCodec: 'hevc', pixelFormat: 'yuv420p10le', color: { primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc', range: 'tv', bitDepth: 10, hdr: 'hlg' } });
    expect(ids(checkMedia(info, SEED_PROFILE))).toEqual(['video.codec:warning', 'video.hdr:warning', 'video.pixels:error']);
  });

  it('hdr-pq-640x360.mp4: 10-bit BT.2020 PQ', () => {
    expect(parse('hdr-pq-640x360.mp4', 'mp4').info).toMatchObject({ color: { transfer: 'smpte2084', bitDepth: 10, hdr: 'pq' } });
  });

  it('anamorphic-sar2-640x360.mp4: stored 640×360 at SAR 2:1 is shown 1280×360', () => {
    const { info } = parse('anamorphic-sar2-640x360.mp4', 'mp4');
    expect(info).toMatchObject({ width: 1280, height: 360, storedWidth: 640, storedHeight: 360, sampleAspectRatio: 2 });
    expect(ids(checkMedia(info, SEED_PROFILE))).toEqual(['video.aspect_ratio:error']);
  });

  it('rotate90-mirror-640x360.mp4: a transpose, shown 360×640', () => {
    expect(parse('rotate90-mirror-640x360.mp4', 'mp4').info).toMatchObject({ width: 360, height: 640, rotation: 90, mirrored: true });
  });

  it('fps-1000-stated-30-real.mkv: the stated 1000/1 is implausible, so the rate is measured from packets', () => {
    const result = parse('fps-1000-stated-30-real.mkv', 'mkv');
    expect(result.rateFromPackets).toBe(true);
    expect(result.info).toMatchObject({ fps: 1000, fpsSource: 'stated' });
  });

  it('video-1.875s-audio-2.005s.mp4: each stream keeps its own duration', () => {
    const { info } = parse('video-1.875s-audio-2.005s.mp4', 'mp4');
    expect(info).toMatchObject({ containerDuration: 2.005011, streamDuration: 2.005011, videoDuration: 1.875, audioDuration: 2.005011 });
    expect(ids(checkMedia(info, SEED_PROFILE))).toEqual(['video.duration:error', 'video.duration_mismatch:warning']);
  });

  it('vvc-no-decoder.mp4: a vvc1 sample entry is VVC; with the decoders of the 2018 ffmpeg it cannot be decoded', () => {
    const { info } = parse('vvc-no-decoder.mp4', 'mp4', new Set(['h264', 'hevc']));
    expect(info).toMatchObject({ videoCodec: 'vvc', videoDecodable: false });
    expect(checkMedia(info, SEED_PROFILE).map((v) => [v.rule, v.fixable])).toEqual([['video.codec', false]]);
  });

  it('extra-streams.mp4: first video and audio kept, five others counted (a second video, three timecode tracks, cover art)', () => {
    expect(parse('extra-streams.mp4', 'mp4').info).toMatchObject({ videoStreamIndex: 0, audioStreamIndex: 1, extraStreams: 5 });
  });

  it('mpeg2-program-stream.mpg: MPEG-2 video with MP2 audio', () => {
    const { info } = parse('mpeg2-program-stream.mpg', 'mpegps');
    expect(info).toMatchObject({ videoCodec: 'mpeg2video', audioCodec: 'mp2', width: 720, height: 480 });
    expect(ids(checkMedia(info, SEED_PROFILE))).toEqual(['video.format:error', 'video.codec:error', 'video.audio_codec:warning', 'video.pixels:error']);
  });
});
