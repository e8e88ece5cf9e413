import { execFile } from 'node:child_process';
import { mkdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXIFTOOL } from '../helpers/independent-check.js';

/** Real-shaped files the invariant test makes at run time with Debian's ffmpeg (too large, or too many, to commit). */

export const DEBIAN_FFMPEG = '/usr/bin/ffmpeg';
export const HEIF_ENC = '/usr/bin/heif-enc';

const run = promisify(execFile);
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', 'yuv420p'];
const aac = ['-c:a', 'aac', '-b:a', '64k'];
const picture = (size: string, rate: string, seconds: number) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`];
const tone = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`];

interface Generated {
  name: string;
  /** Debian ffmpeg's arguments after the global ones; the output path is appended. */
  ffmpeg: string[];
  /** exiftool's arguments run on the output afterwards. */
  exiftool?: string[];
  /** Keep only this many bytes of the output: a download or copy cut short. */
  keepBytes?: number;
  /** ffmpeg (and exiftool) write a JPEG that libheif's heif-enc then encodes to HEIC, as an iPhone stores photos. */
  heic?: boolean;
}

export const GENERATED: readonly Generated[] = [
  // stored 640×360 with square-ish pixels claimed 2:1: displayed 1280×360 (ratio 3.56), like anamorphic camcorder DV
  { name: 'anamorphic-sar2-640x360.mp4', ffmpeg: [...picture('640x360', '30', 3), '-vf', 'setsar=2', ...x264] },
  // a phone's 1440p clip: 3,686,400 pixels, over the 2,086,876 cap
  { name: 'qhd-2560x1440-30fps.mp4', ffmpeg: [...picture('2560x1440', '30', 2.5), ...tone(2.5), ...x264, ...aac, '-shortest'] },
  // NTSC film rate 24000/1001, just under 24
  { name: 'ntsc-23.976fps.mp4', ffmpeg: [...picture('854x480', '24000/1001', 3), ...tone(3), ...x264, ...aac, '-shortest'] },
  // a 20 s QuickTime with sound: trimmed
  { name: 'long-20s-audio.mov', ffmpeg: [...picture('854x480', '30', 20), ...tone(20), ...x264, ...aac, '-shortest'] },
  // a panorama wider than 6000 px and than 2.5:1
  { name: 'panorama-7000x2000.jpg', ffmpeg: [...picture('7000x2000', '1', 1), '-frames:v', '1', '-q:v', '8'] },
  // stored landscape 2000×600 with EXIF orientation 6: displayed 600×2000 (ratio 0.3), as a phone held upright writes it
  { name: 'exif-6-2000x600.jpg', ffmpeg: [...picture('2000x600', '1', 1), '-frames:v', '1', '-q:v', '8'], exiftool: ['-Orientation#=6', '-overwrite_original'] },
  // ADTS AAC behind an ID3v2 tag, named .mp3, as some taggers and download sites leave it
  { name: 'id3-adts-aac.mp3', ffmpeg: ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3', '-c:a', 'aac', '-b:a', '64k', '-f', 'adts', '-write_id3v2', '1', '-metadata', 'title=Song'] },
  // 1.875 s of picture with 2.005 s of sound: the container lasts long enough, the video does not
  { name: 'video-1.875s-audio-2.005s.mp4', ffmpeg: [...picture('854x480', '24', 1.875), ...tone(2.005), ...x264, ...aac] },
  // a VBR MP3 whose Xing header says 20 s, cut after 6,000 bytes: it plays about 1.4 s
  { name: 'truncated-vbr-xing-20s.mp3', ffmpeg: ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=20', '-c:a', 'libmp3lame', '-q:a', '4'], keepBytes: 6_000 },
  // an iPhone-style HEIC photo held upright: EXIF orientation 6 on 1600×1200
  { name: 'phone-orientation-6.heic', ffmpeg: [...picture('1600x1200', '1', 1), '-frames:v', '1', '-q:v', '4'], exiftool: ['-Orientation#=6', '-overwrite_original'], heic: true },
  // 1.2 s of 44.1 kHz WAV: extended to 2 s
  { name: 'short-1.2s.wav', ffmpeg: ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=1.2', '-c:a', 'pcm_s16le'] },
];

/** Writes the generated files (all, or those named) into `dir`. */
export async function writeGenerated(dir: string, names?: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const g of GENERATED.filter((g) => !names || names.includes(g.name))) {
    const final = join(dir, g.name);
    const path = g.heic ? `${final}.jpg` : final;
    await run(DEBIAN_FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...g.ffmpeg, path], { timeout: 120_000 });
    if (g.exiftool) await run(EXIFTOOL, [...g.exiftool, path], { timeout: 60_000 });
    if (g.heic) await run(HEIF_ENC, ['-q', '50', '-o', final, path], { timeout: 120_000 });
    if (g.keepBytes !== undefined) await truncate(final, g.keepBytes);
  }
}
