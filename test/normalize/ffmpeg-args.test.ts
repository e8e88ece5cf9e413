import { describe, expect, it } from 'vitest';
import { audioArgs, imageDecodeArgs, videoArgs, videoFilters } from '../../src/normalize/ffmpeg-args.js';
import type { AudioPlan, VideoPlan } from '../../src/normalize/fix-plan.js';

const COMMON = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1'];
const base = { source: 'in.mkv', kind: 'video' as const, extension: 'mp4', actions: [], duration: null, extendBy: 0 };

describe('videoArgs', () => {
  it('a remux copies every stream into MP4 with faststart', () => {
    const plan: VideoPlan = { ...base, type: 'video', mode: 'remux', video: 'copy', audio: 'copy' };
    expect(videoArgs(plan, '-odd name:1.mkv', '/out/x.mp4')).toEqual([
      ...COMMON, '-i', 'file:-odd name:1.mkv', '-map', '0:v:0', '-map', '0:a:0', '-c:v', 'copy', '-c:a', 'copy', '-movflags', '+faststart', '-f', 'mp4', 'file:/out/x.mp4',
    ]);
  });

  it('a re-encode: filters, x264 at CRF 18, upright pixels, AAC, trimmed', () => {
    const plan: VideoPlan = { ...base, type: 'video', mode: 'reencode', video: { geometry: { width: 854, height: 480, crop: null, contentWidth: 854, contentHeight: 480 }, fps: 24, bitrateKbps: null }, audio: 'aac', duration: 14.9 };
    expect(videoArgs(plan, 'in.webm', 'out.mp4')).toEqual([
      ...COMMON, '-i', 'file:in.webm', '-map', '0:v:0', '-map', '0:a:0',
      '-vf', 'scale=854:480:flags=bicubic,setsar=1,fps=24,format=yuv420p', '-c:v', 'libx264', '-preset', 'fast', '-pix_fmt', 'yuv420p', '-crf', '18', '-metadata:s:v:0', 'rotate=0',
      '-c:a', 'aac', '-b:a', '128k', '-t', '14.9', '-movflags', '+faststart', '-f', 'mp4', 'file:out.mp4',
    ]);
  });

  it('a size fix sets a bitrate with a capped rate; no audio track maps none', () => {
    const plan: VideoPlan = { ...base, type: 'video', mode: 'reencode', video: { geometry: null, fps: null, bitrateKbps: 4000 }, audio: 'none' };
    expect(videoArgs(plan, 'a.mp4', 'b.mp4')).toEqual([
      ...COMMON, '-i', 'file:a.mp4', '-map', '0:v:0',
      '-vf', 'format=yuv420p', '-c:v', 'libx264', '-preset', 'fast', '-pix_fmt', 'yuv420p', '-b:v', '4000k', '-maxrate', '4000k', '-bufsize', '4000k', '-rc_init_occupancy', '400000', '-metadata:s:v:0', 'rotate=0',
      '-movflags', '+faststart', '-f', 'mp4', 'file:b.mp4',
    ]);
  });

  it('extending holds the last frame and pads the audio; -t cuts at the exact length', () => {
    const plan: VideoPlan = { ...base, type: 'video', mode: 'reencode', video: { geometry: null, fps: null, bitrateKbps: null }, audio: 'aac', duration: 2, extendBy: 1 };
    const args = videoArgs(plan, 'a.mp4', 'b.mp4');
    expect(args.slice(args.indexOf('-vf'), args.indexOf('-vf') + 2)).toEqual(['-vf', 'tpad=stop_mode=clone:stop_duration=1.5,format=yuv420p']);
    expect(args.slice(args.indexOf('-af'), args.indexOf('-af') + 2)).toEqual(['-af', 'apad']);
    expect(args.slice(args.indexOf('-t'), args.indexOf('-t') + 2)).toEqual(['-t', '2']);
  });
});

describe('videoFilters', () => {
  it.each([
    ['pad', { width: 1280, height: 512, crop: null, contentWidth: 1280, contentHeight: 400 }, ['scale=1280:400:flags=bicubic', 'setsar=1', 'pad=1280:512:(ow-iw)/2:(oh-ih)/2:color=black', 'format=yuv420p']],
    ['crop', { width: 1012, height: 406, crop: { width: 1000, height: 400 }, contentWidth: 1012, contentHeight: 406 }, ['crop=1000:400', 'scale=1012:406:flags=bicubic', 'setsar=1', 'format=yuv420p']],
  ] as const)('%s', (_name, geometry, expected) => {
    expect(videoFilters(geometry, null, 0)).toEqual(expected);
  });
});

describe('audioArgs', () => {
  const audio = { source: 'a.flac', kind: 'audio' as const, actions: [], duration: null, extendBy: 0 };
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

it('imageDecodeArgs decodes the first frame to PNG', () => {
  expect(imageDecodeArgs('x.bmp', 'y.png')).toEqual([...COMMON, '-i', 'file:x.bmp', '-frames:v', '1', '-c:v', 'png', '-f', 'image2', 'file:y.png']);
});
