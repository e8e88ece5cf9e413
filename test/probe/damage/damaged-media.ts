/**
 * Damaged files made at test time from conforming ones the bundled ffmpeg writes: cut at 10/50/90 % with the index in
 * front (+faststart) or at the end, sizes and offsets corrupted, lying Xing/STREAMINFO/RIFF headers, impossible values.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpeg } from '../../helpers/make-media.js';

/** The conforming files every damaged one is made from. */
export async function writeBases(dir: string): Promise<Record<'mp4' | 'faststart' | 'wav' | 'mp3' | 'mp3Short' | 'flac' | 'jpeg' | 'png', string>> {
  const p = (name: string) => join(dir, name);
  const clip = ['-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=24:duration=5', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=5', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '48k', '-shortest'];
  await ffmpeg([...clip, '-f', 'mp4', `file:${p('base.mp4')}`]);
  await ffmpeg([...clip, '-movflags', '+faststart', '-f', 'mp4', `file:${p('base-faststart.mp4')}`]);
  const sine = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`];
  await ffmpeg([...sine(5), '-ac', '2', '-c:a', 'pcm_s16le', '-f', 'wav', `file:${p('base.wav')}`]);
  await ffmpeg([...sine(40), '-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3', `file:${p('base.mp3')}`]);
  await ffmpeg([...sine(10.7), '-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3', `file:${p('base-10.7s.mp3')}`]);
  await ffmpeg([...sine(1.95), '-c:a', 'flac', '-f', 'flac', `file:${p('base.flac')}`]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=1:duration=1', '-frames:v', '1', '-q:v', '3', '-f', 'image2', `file:${p('base.jpg')}`]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=1:duration=1', '-frames:v', '1', '-f', 'image2', `file:${p('base.png')}`]);
  return { mp4: p('base.mp4'), faststart: p('base-faststart.mp4'), wav: p('base.wav'), mp3: p('base.mp3'), mp3Short: p('base-10.7s.mp3'), flac: p('base.flac'), jpeg: p('base.jpg'), png: p('base.png') };
}

type Bases = Awaited<ReturnType<typeof writeBases>>;

export interface DamagedCase {
  name: string;
  /** The damaged bytes, from the conforming files. */
  make: (bases: Bases) => Promise<Buffer>;
}

const cut = (bytes: Buffer, fraction: number) => bytes.subarray(0, Math.floor(bytes.length * fraction));

/** Offset of the first occurrence of a four-character code (a box type) at or after `from`. */
export function findBox(bytes: Buffer, type: string, from = 0): number {
  const at = bytes.indexOf(type, from, 'latin1');
  if (at < 4) throw new Error(`no ${type} box`);
  return at - 4;
}

/** Every stco entry moved by `by` bytes. */
function shiftChunkOffsets(bytes: Buffer, by: number): Buffer {
  const out = Buffer.from(bytes);
  for (let at = out.indexOf('stco', 0, 'latin1'); at >= 0; at = out.indexOf('stco', at + 4, 'latin1')) {
    const entries = out.readUInt32BE(at + 8);
    for (let i = 0; i < entries; i++) out.writeUInt32BE(out.readUInt32BE(at + 12 + i * 4) + by, at + 12 + i * 4);
  }
  return out;
}

/** WAV fmt fields by offset in a plain 44-byte-header ffmpeg WAV (ffmpeg writes a LIST chunk first: found by name). */
function patchWav(bytes: Buffer, patch: (out: Buffer, fmt: number, data: number) => void): Buffer {
  const out = Buffer.from(bytes);
  patch(out, out.indexOf('fmt ', 12, 'latin1') + 8, out.indexOf('data', 12, 'latin1'));
  return out;
}

/** The Xing/Info frame count (LAME writes flags 0x0F: frames, bytes, TOC, quality). */
function patchXingFrames(bytes: Buffer, frames: number): Buffer {
  const out = Buffer.from(bytes);
  const tag = Math.max(out.indexOf('Xing', 0, 'latin1'), out.indexOf('Info', 0, 'latin1'));
  out.writeUInt32BE(frames, tag + 8);
  return out;
}

export const DAMAGED: readonly DamagedCase[] = [
  ...[10, 50, 90].flatMap((percent) => [
    { name: `faststart-cut-${percent}.mp4`, make: async (b: Bases) => cut(await readFile(b.faststart), percent / 100) },
    { name: `moov-at-end-cut-${percent}.mp4`, make: async (b: Bases) => cut(await readFile(b.mp4), percent / 100) },
  ]),
  // every chunk offset moved past the end of the file
  { name: 'offsets-past-end.mp4', make: async (b) => { const bytes = await readFile(b.faststart); return shiftChunkOffsets(bytes, bytes.length); } },
  // a 64-byte free box inserted before the media without the offsets moved: they point 64 bytes early, inside the file
  {
    name: 'offsets-shifted.mp4',
    make: async (b) => {
      const bytes = await readFile(b.faststart);
      const mdat = findBox(bytes, 'mdat');
      const free = Buffer.alloc(64);
      free.writeUInt32BE(64, 0);
      free.write('free', 4, 'latin1');
      return Buffer.concat([bytes.subarray(0, mdat), free, bytes.subarray(mdat)]);
    },
  },
  // the movie header's duration set to 2³²−1 (the "lasts 0 s" clip)
  { name: 'mvhd-all-ones.mp4', make: async (b) => { const out = Buffer.from(await readFile(b.mp4)); const mvhd = findBox(out, 'mvhd'); out.writeUInt32BE(0xffffffff, mvhd + 8 + 16); return out; } },
  // the movie header says 35 s over 5 s of samples
  { name: 'mvhd-35s.mp4', make: async (b) => { const out = Buffer.from(await readFile(b.mp4)); const mvhd = findBox(out, 'mvhd'); out.writeUInt32BE(35 * out.readUInt32BE(mvhd + 8 + 12), mvhd + 8 + 16); return out; } },
  { name: 'channels-65535.wav', make: async (b) => patchWav(await readFile(b.wav), (out, fmt) => out.writeUInt16LE(65535, fmt + 2)) },
  { name: 'rate-0.wav', make: async (b) => patchWav(await readFile(b.wav), (out, fmt) => out.writeUInt32LE(0, fmt + 4)) },
  { name: 'block-align-3.wav', make: async (b) => patchWav(await readFile(b.wav), (out, fmt) => out.writeUInt16LE(3, fmt + 12)) },
  ...[10, 50].map((percent) => ({ name: `wav-cut-${percent}.wav`, make: async (b: Bases) => cut(await readFile(b.wav), percent / 100) })),
  // a streaming writer's placeholders: not damage (ffmpeg reads to the end)
  { name: 'streaming-ffffffff.wav', make: async (b) => patchWav(await readFile(b.wav), (out, _fmt, data) => { out.writeUInt32LE(0xffffffff, data + 4); out.writeUInt32LE(0xffffffff, 4); }) },
  { name: 'streaming-zero.wav', make: async (b) => patchWav(await readFile(b.wav), (out, _fmt, data) => { out.writeUInt32LE(0, data + 4); out.writeUInt32LE(0, 4); }) },
  // 3 stereo samples (68 µs at 44.1 kHz), with a true header
  {
    name: 'three-samples.wav',
    make: async (b) => {
      const out = patchWav(await readFile(b.wav), (bytes, _fmt, data) => bytes.writeUInt32LE(12, data + 4));
      const end = out.indexOf('data', 12, 'latin1') + 8 + 12;
      out.writeUInt32LE(end - 8, 4);
      return out.subarray(0, end);
    },
  },
  // a 40 s MP3 cut to its first 0.2 s: the Xing header still says 40 s
  { name: 'mp3-cut-0.2s.mp3', make: async (b) => cut(await readFile(b.mp3), 0.2 / 40) },
  // 10.7 s of frames whose Xing header says 37.5 s
  { name: 'mp3-xing-37.5s.mp3', make: async (b) => patchXingFrames(await readFile(b.mp3Short), Math.round((37.5 * 44100) / 1152)) },
  // 1.95 s of FLAC whose STREAMINFO says 271.8 s
  { name: 'flac-streaminfo-271.8s.flac', make: async (b) => { const out = Buffer.from(await readFile(b.flac)); const total = Math.round(271.8 * 44100); out[21] = (out[21]! & 0xf0) | Math.floor(total / 2 ** 32); out.writeUInt32BE(total >>> 0, 22); return out; } },
  ...[50, 90].map((percent) => ({ name: `jpeg-cut-${percent}.jpg`, make: async (b: Bases) => cut(await readFile(b.jpeg), percent / 100) })),
  // the scan cut after 5 % of its bytes and closed with an EOI: whole by its markers, 95 % grey when decoded
  {
    name: 'jpeg-scan-cut-eoi.jpg',
    make: async (b) => {
      const bytes = await readFile(b.jpeg);
      const sos = bytes.indexOf(Buffer.from([0xff, 0xda]));
      let cutAt = sos + Math.floor((bytes.length - sos) * 0.05);
      if (bytes[cutAt - 1] === 0xff) cutAt--; // never leave half a marker
      return Buffer.concat([bytes.subarray(0, cutAt), Buffer.from([0xff, 0xd9])]);
    },
  },
  ...[50, 90].map((percent) => ({ name: `png-cut-${percent}.png`, make: async (b: Bases) => cut(await readFile(b.png), percent / 100) })),
  // a PNG whose image data was cut short and closed with an IEND chunk: its end looks whole
  { name: 'png-idat-cut-iend.png', make: async (b) => { const bytes = await readFile(b.png); return Buffer.concat([cut(bytes, 0.5), bytes.subarray(bytes.length - 12)]); } },
];

/** Writes every damaged case (or those named) into `dir`, bases in `dir/bases`. */
export async function writeDamaged(dir: string, bases: Bases): Promise<void> {
  for (const c of DAMAGED) await writeFile(join(dir, c.name), await c.make(bases));
}
