/** Pure: a WAV (or RF64) whose format chunk states impossible values or whose data chunk promises more than the file holds. */
import { count, beyondTolerance, seconds, type ByteSource, type Damage } from './damage.js';

/** The most channels a WAV has in practice (WAVE_FORMAT_EXTENSIBLE names 18 speaker positions; 32 leaves room). */
export const MAX_WAV_CHANNELS = 32;
/** Sample rates outside this range are no recording (8 kHz telephony to 768 kHz studio formats). */
export const WAV_RATE_RANGE = { min: 1000, max: 768_000 } as const;
/** Less audio than this (seconds) is a fragment, not a recording: 441 samples at 44.1 kHz. */
export const FRAGMENT_SECONDS = 0.01;
/** Streaming writers (ffmpeg to a pipe, recorders) leave the data size at this or 0; readers then read to the end of the file. */
const SIZE_PLACEHOLDERS: ReadonlySet<number> = new Set([0xffffffff, 0]);
const PCM_TAGS: ReadonlySet<number> = new Set([1, 3]);

export interface WaveFormat {
  formatTag: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  dataStart: number | null;
  dataSize: number | null;
}

/** Walks the chunks (reading only their headers) to the fmt and data chunks; null when it is not a RIFF/RF64 WAVE. */
export function readWaveFormat(source: ByteSource): WaveFormat | null {
  const head = source.read(0, 12);
  const riff = ascii(head, 0);
  if (head.length < 12 || (riff !== 'RIFF' && riff !== 'RF64') || ascii(head, 8) !== 'WAVE') return null;
  let format: Omit<WaveFormat, 'dataStart' | 'dataSize'> | null = null;
  let ds64DataSize: number | null = null;
  let at = 12;
  while (at + 8 <= source.size) {
    const header = source.read(at, 8);
    const id = ascii(header, 0);
    const size = view(header).getUint32(4, true);
    if (id === 'fmt ' && size >= 16) {
      const fmt = view(source.read(at + 8, Math.min(size, 40)));
      let formatTag = fmt.getUint16(0, true);
      // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of its sub-format GUID
      if (formatTag === 0xfffe && fmt.byteLength >= 26) formatTag = fmt.getUint16(24, true);
      format = { formatTag, channels: fmt.getUint16(2, true), sampleRate: fmt.getUint32(4, true), byteRate: fmt.getUint32(8, true), blockAlign: fmt.getUint16(12, true), bitsPerSample: fmt.getUint16(14, true) };
    }
    if (id === 'ds64' && size >= 16) ds64DataSize = Number(view(source.read(at + 8, 16)).getBigUint64(8, true));
    if (id === 'data') {
      const dataSize = riff === 'RF64' && size === 0xffffffff && ds64DataSize !== null ? ds64DataSize : size;
      return format && { ...format, dataStart: at + 8, dataSize };
    }
    at += 8 + size + (size % 2); // chunks are padded to even sizes
  }
  return format && { ...format, dataStart: null, dataSize: null };
}

export function assessWav(source: ByteSource): Damage | null {
  const wave = readWaveFormat(source);
  if (!wave) return null;
  const impossible = impossibleFormat(wave);
  if (impossible) return { kind: 'impossible', headerSays: null, decodes: null, fraction: null, detail: impossible };
  if (wave.dataStart === null || wave.dataSize === null) return null;
  const held = Math.max(0, source.size - wave.dataStart);
  const bytesPerSecond = PCM_TAGS.has(wave.formatTag) ? wave.sampleRate * wave.blockAlign : wave.byteRate;
  if (bytesPerSecond <= 0) return null;
  const decodes = held / bytesPerSecond;
  // a placeholder size is a stream's, not a promise: readers take the data to the end of the file (ffmpeg does)
  if (!SIZE_PLACEHOLDERS.has(wave.dataSize) && wave.dataSize > held) {
    const headerSays = wave.dataSize / bytesPerSecond;
    if (beyondTolerance(headerSays, decodes)) {
      return { kind: 'truncated', headerSays, decodes, fraction: held / wave.dataSize, detail: `its data chunk promises ${count(wave.dataSize)} bytes (${seconds(headerSays)}) but the file holds ${count(held)} (${seconds(decodes)})` };
    }
  }
  const present = SIZE_PLACEHOLDERS.has(wave.dataSize) ? held : Math.min(held, wave.dataSize);
  const frames = PCM_TAGS.has(wave.formatTag) ? Math.floor(present / wave.blockAlign) : null;
  const length = present / bytesPerSecond;
  if (present > 0 && length < FRAGMENT_SECONDS) {
    const what = frames === null ? count(present) + ' bytes of audio' : `${count(frames)} sample${frames === 1 ? '' : 's'}`;
    return { kind: 'fragment', headerSays: length, decodes: length, fraction: 1, detail: `it holds only ${what} (${Math.round(length * 1e6)} µs of sound)` };
  }
  return null;
}

/** The first impossible value of the format chunk, in words; null when every value can be. */
function impossibleFormat(wave: WaveFormat): string | null {
  if (wave.channels === 0 || wave.channels > MAX_WAV_CHANNELS) return `it says ${count(wave.channels)} channels, where a WAV has 1–${MAX_WAV_CHANNELS}`;
  if (wave.sampleRate < WAV_RATE_RANGE.min || wave.sampleRate > WAV_RATE_RANGE.max) return `it says a sample rate of ${count(wave.sampleRate)} Hz, where recordings use ${count(WAV_RATE_RANGE.min)}–${count(WAV_RATE_RANGE.max)} Hz`;
  if (PCM_TAGS.has(wave.formatTag)) {
    if (wave.bitsPerSample === 0 || wave.bitsPerSample > 64) return `it says ${count(wave.bitsPerSample)} bits per sample`;
    const expected = wave.channels * Math.ceil(wave.bitsPerSample / 8);
    if (wave.blockAlign !== expected) return `it says a block of ${count(wave.blockAlign)} bytes, where ${wave.channels} channel${wave.channels === 1 ? '' : 's'} of ${wave.bitsPerSample} bits take ${expected}`;
  } else if (wave.blockAlign === 0) return 'it says a block of 0 bytes';
  return null;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function ascii(bytes: Uint8Array, at: number): string {
  return at + 4 <= bytes.length ? String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!) : '';
}
