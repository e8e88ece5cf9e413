/** What a file's bytes fail to hold of what its headers promise: the probe's verdict, as data. */

/**
 * - `truncated`: the header points at bytes the file does not have (it was cut off, or never finished writing).
 * - `impossible`: a header value no real file has (65,535 channels, a rate of 0, a duration of 2³²−1).
 * - `header_mismatch`: the header's length disagrees with what the data holds, though nothing points past the end.
 * - `fragment`: complete, but too little to be a recording (a WAV of a few samples).
 */
export type DamageKind = 'truncated' | 'impossible' | 'header_mismatch' | 'fragment';

export interface Damage {
  kind: DamageKind;
  /** The length the header states (seconds); null when it states none or the damage is not about length. */
  headerSays: number | null;
  /** The length that decodes (seconds); null when nothing can be said to decode. */
  decodes: number | null;
  /** Share of the header's media that is in the file (0–1), when it can be told. */
  fraction: number | null;
  /** What is wrong, in words: "the sample tables point 1,203,456 bytes past the end of the file". */
  detail: string;
}

/** A header length this close to what the data holds (seconds) is not damage: writers round, and the duration rules have the same tolerance. */
export const LENGTH_TOLERANCE_SECONDS = 0.1;

/** More than the tolerance apart, compared to the millisecond (0.3 − 0.2 is 0.09999999999999998 in floating point). */
export function beyondTolerance(a: number, b: number): boolean {
  return Math.round(Math.abs(a - b) * 1000) / 1000 > LENGTH_TOLERANCE_SECONDS;
}

/** Random access to a file's bytes: the damage checks read only the headers, tables and last bytes they need. */
export interface ByteSource {
  size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Uint8Array;
}

/** A source over bytes in memory (tests, and files read whole). */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)) };
}

/** "1,234,567" */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** Seconds to three places at most: 0.068 → "0.068", 247.93 → "247.93". */
export function seconds(value: number): string {
  return `${Math.round(value * 1000) / 1000} s`;
}
