/** Runs the damage check that fits a probed file's format: cheap reads first, a bounded decode only when they are unsure. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { id3TagEnd } from '../detect-format.js';
import type { MediaFormat } from '../media-info.js';
import { runTool } from '../binaries.js';
import { fileArg, ProcessError } from '../../shared/spawn.js';
import { readProgress, type ProgressState } from '../../normalize/ffmpeg-progress.js';
import { beyondTolerance, seconds, type ByteSource, type Damage } from './damage.js';
import { assessFlac, type StreamInfo } from './flac-damage.js';
import { assessJpeg, assessJpegScan, jpegUnsure } from './jpeg-damage.js';
import { loadSharp } from '../image-probe.js';
import { DECODE_PIXEL_LIMIT } from '../image-decoders.js';
import { assessMp3 } from './mp3-damage.js';
import { assessMp4 } from './mp4-damage.js';
import { assessPng } from './png-damage.js';
import { assessWav } from './wav-damage.js';

/** Longest a bounded decode may take: past it the file gets no damage verdict (ffmpeg decodes FLAC at 100× real time or more). */
const DECODE_TIMEOUT_MS = 15_000;

export interface DamageOptions {
  signal?: AbortSignal;
}

/** The file's damage, or null when its bytes hold what its headers say (or no check applies to its format). Never throws for a bad file. */
export async function assessDamage(path: string, format: MediaFormat, options: DamageOptions = {}): Promise<Damage | null> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const source = fileSource(fd);
    switch (format) {
      case 'jpeg':
        return assessJpeg(source) ?? (await sparseJpeg(path, source));
      case 'png':
        return assessPng(source);
      case 'wav':
      case 'rf64':
        return assessWav(source);
      case 'mp4':
      case 'mov':
      case 'm4a':
      case '3gp':
        return assessMp4(source);
      case 'mp3':
        return assessMp3(source, id3TagEnd(source.read(0, 10)) ?? 0);
      case 'flac': {
        const verdict = assessFlac(source);
        if (!('damage' in verdict)) return await decodedFlac(path, verdict.unsure, verdict.reason, options);
        return verdict.damage && verdict.through !== undefined ? await exactFlac(path, verdict.damage, verdict.through, options) : verdict.damage;
      }
      default:
        return null;
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'CancelledError') throw error;
    return null; // a reading this check does not follow gives no verdict; the probe's own readers judged the file
  } finally {
    closeSync(fd);
  }
}

/** Reads of an open file, sized now. */
export function fileSource(fd: number): ByteSource {
  // the size now, not the sniff's: the bytes present are what is judged
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const wanted = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.alloc(wanted);
      return buffer.subarray(0, wanted > 0 ? readSync(fd, buffer, 0, wanted, offset) : 0);
    },
  };
}

/** libjpeg's warning when the entropy data ends (at a marker) before every block of the picture is decoded. */
const PREMATURE_END = /premature end of data segment/i;

/** A JPEG with few bytes a pixel: its scan's codes are counted (baseline), else it is decoded small; a dense one is taken as whole. */
async function sparseJpeg(path: string, source: ByteSource): Promise<Damage | null> {
  const unsure = jpegUnsure(source);
  if (!unsure) return null;
  // sparse: under 0.02 bytes a pixel, so at most 2 MB within the decoding bound
  const counted = unsure.width * unsure.height <= DECODE_PIXEL_LIMIT ? assessJpegScan(source.read(0, source.size)) : null;
  return counted === 'unsure' ? decodedJpeg(path, unsure) : counted;
}

/** A sparse JPEG decoded small (shrink-on-load), stopping at libjpeg's first warning: a scan cut short and closed with an EOI. */
async function decodedJpeg(path: string, unsure: ReturnType<typeof jpegUnsure>): Promise<Damage | null> {
  if (!unsure || unsure.width * unsure.height > DECODE_PIXEL_LIMIT) return null;
  const sharp = await loadSharp();
  try {
    await sharp(path, { failOn: 'warning', limitInputPixels: DECODE_PIXEL_LIMIT }).resize(32, 32, { fit: 'inside' }).raw().toBuffer();
    return null;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    if (!PREMATURE_END.test(message)) return null; // other warnings (extraneous bytes, odd SOS parameters) are common and harmless
    return { kind: 'truncated', headerSays: null, decodes: null, fraction: null, detail: `its image data ends before the picture does, and the rest decodes as grey (${message.replace(/^VipsJpeg: /, '')})` };
  }
}

/** Decodes the audio to nothing with a time bound and reads how much came out from ffmpeg's progress. */
async function decodedFlac(path: string, info: StreamInfo, reason: string, options: DamageOptions): Promise<Damage | null> {
  const decoded = await decodedSeconds(path, options);
  if (decoded === null) return null;
  const headerSays = info.totalSamples / info.sampleRate;
  if (decoded >= headerSays || !beyondTolerance(headerSays, decoded)) return null;
  return { kind: 'header_mismatch', headerSays, decodes: decoded, fraction: decoded / headerSays, detail: `its STREAMINFO says ${seconds(headerSays)} of samples, ${seconds(decoded)} decodes (${reason})` };
}

/** Found damaged by its last frame: a decode tells whether that frame is whole (a lying header) or cut (a cut file), and the exact length. */
async function exactFlac(path: string, damage: Damage, through: number, options: DamageOptions): Promise<Damage> {
  const decoded = await decodedSeconds(path, options);
  if (decoded === null) return damage;
  const whole = decoded >= through - 0.001;
  const detail = `its STREAMINFO says ${seconds(damage.headerSays!)} of samples, its frames decode to ${seconds(decoded)}`;
  return { ...damage, kind: whole ? 'header_mismatch' : 'truncated', decodes: decoded, fraction: decoded / damage.headerSays!, detail };
}

export async function decodedSeconds(path: string, options: DamageOptions): Promise<number | null> {
  const state: ProgressState = { outSeconds: 0, frames: 0, done: false };
  let pending = '';
  try {
    await runTool('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-nostats', '-i', fileArg(resolve(path)), '-map', '0:a:0', '-f', 'null', '-progress', 'pipe:1', '-'], {
      signal: options.signal, timeoutMs: DECODE_TIMEOUT_MS, discardStdout: true, onStdout: (chunk) => { pending = readProgress(state, pending, chunk); },
    });
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    if (error.timedOut) return null;
  }
  return state.done ? state.outSeconds : null;
}
