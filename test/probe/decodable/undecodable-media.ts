import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEBIAN_FFMPEG } from '../../helpers/make-media.js';
import { boxPath, emptyTrack, renameBox, replaceBox } from './mp4-edit.js';

/**
 * Files whose streams do not all decode (issue 20, item 3), made by Debian's ffmpeg (20 fps, so fix must re-encode
 * to 24 fps and map streams), then one box edited (mp4-edit.ts): a sample description renamed 'free', a track's
 * sample tables emptied, a data reference pointing at another file.
 */
const run = promisify(execFile);
const STSD = (trak: number) => ['moov', `trak#${trak}`, 'mdia', 'minf', 'stbl', 'stsd'];

async function debianFfmpeg(args: string[]): Promise<void> {
  await run(DEBIAN_FFMPEG, ['-hide_banner', '-v', 'error', '-y', ...args]);
}

const clip = ['-f', 'lavfi', '-i', 'testsrc2=size=720x720:rate=20'];
const tone = (hz: number) => ['-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=48000`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

type Sources = Record<'twoAudio' | 'twoVideo' | 'cover' | 'mov', Buffer>;

/** Each file: how it is made from the sources writeUndecodable writes first. */
const EDITS: Record<string, (sources: Sources) => Buffer> = {
  // the first of two AAC tracks has no sample description (ffprobe: codec unknown)
  'broken-first-audio.mp4': (s) => renameBox(s.twoAudio, STSD(1), 'free'),
  // the first of two AAC tracks lists no samples
  'empty-first-audio.mp4': (s) => emptyTrack(s.twoAudio, 1),
  // a 360×360 video track with its headers and no samples before the real one: a fake auxiliary track (square, as the
  // real one is: the independent checker compares shapes on the first video stream)
  // neither AAC track has a sample description: the video is kept and its sound dropped, which fix says
  'no-audio-description.mp4': (s) => renameBox(renameBox(s.twoAudio, STSD(1), 'free'), STSD(2), 'free'),
  'fake-first-video.mp4': (s) => emptyTrack(s.twoVideo, 0),
  'no-video-description.mp4': (s) => renameBox(s.twoAudio, STSD(0), 'free'),
  'empty-video.mp4': (s) => emptyTrack(s.twoAudio, 0),
  // cover art (MJPEG, attached picture) and an AAC track without its sample description
  'cover-art-broken-aac.m4a': (s) => renameBox(s.cover, STSD(0), 'free'),
  // ftyp and moov only, its data reference a 'url ' entry without the self-contained flag naming frames.mov
  'reference.mov': (s) => referenceMovie(s.mov),
};

export const UNDECODABLE: readonly string[] = Object.keys(EDITS);

/** Writes the sources (two-audio.mp4, two-video.mp4, cover.m4a, frames.mov) and every file of UNDECODABLE into `dir`. */
export async function writeUndecodable(dir: string): Promise<void> {
  const made = (name: string) => join(dir, name);
  await debianFfmpeg([...clip, ...tone(440), ...tone(660), '-map', '0:v', '-map', '1:a', '-map', '2:a', '-t', '3', ...h264, '-c:a', 'aac', made('two-audio.mp4')]);
  await debianFfmpeg([...['-f', 'lavfi', '-i', 'testsrc=size=360x360:rate=20'], ...clip, ...tone(440), '-map', '0:v', '-map', '1:v', '-map', '2:a', '-t', '3', ...h264, '-c:a', 'aac', made('two-video.mp4')]);
  await debianFfmpeg([...tone(440), '-f', 'lavfi', '-i', 'color=red:size=300x300', '-map', '0:a', '-map', '1:v', '-frames:v', '1', '-t', '4', '-c:a', 'aac', '-c:v', 'mjpeg', '-disposition:v', 'attached_pic', made('cover.m4a')]);
  await debianFfmpeg([...clip, '-t', '3', ...h264, '-f', 'mov', made('frames.mov')]);
  const sources: Sources = { twoAudio: await readFile(made('two-audio.mp4')), twoVideo: await readFile(made('two-video.mp4')), cover: await readFile(made('cover.m4a')), mov: await readFile(made('frames.mov')) };
  for (const [name, edit] of Object.entries(EDITS)) await writeFile(made(name), edit(sources));
}

/** A reference movie of `mov`: its index alone, every sample left in frames.mov, which the data reference names. */
function referenceMovie(mov: Buffer): Buffer {
  const url = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('frames.mov\0', 'latin1')]);
  const entry = Buffer.concat([Buffer.alloc(4), Buffer.from('url ', 'latin1'), url]);
  entry.writeUInt32BE(entry.length, 0);
  const edited = replaceBox(mov, ['moov', 'trak#0', 'mdia', 'minf', 'dinf', 'dref', 'url '], entry);
  const ftyp = boxPath(edited, ['ftyp'])[0]!;
  const moov = boxPath(edited, ['moov'])[0]!;
  return Buffer.concat([edited.subarray(ftyp.at, ftyp.at + ftyp.size), edited.subarray(moov.at, moov.at + moov.size)]);
}
