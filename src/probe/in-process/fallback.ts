/** Why the in-process reader handed a file to ffprobe: kept as data for doctor, the bench and debugging. */
export type FallbackCode =
  /** The container is not one the in-process reader takes (MPEG-TS, AVI, AIFF, …). */
  | 'container'
  /** A codec whose ffprobe facts (name, pixel format) it cannot give exactly. */
  | 'codec'
  /** The toolkit or our own box reading failed. */
  | 'parse-error'
  /** The header only estimates the length. */
  | 'estimated-duration'
  /** The header and the data disagree: the file may be cut short. */
  | 'maybe-truncated'
  /** A trait ffprobe reads that the in-process reading cannot reproduce exactly. */
  | 'trait';

export interface Fallback {
  code: FallbackCode;
  /** One line naming what was found, e.g. "colour tags in a colr box". */
  detail: string;
}

/** Thrown inside the in-process reader and caught at its edge, where it becomes a Fallback record. */
export class FallbackSignal extends Error {
  constructor(readonly fallback: Fallback) {
    super(`${fallback.code}: ${fallback.detail}`);
  }
}

export function fallBack(code: FallbackCode, detail: string): never {
  throw new FallbackSignal({ code, detail });
}
