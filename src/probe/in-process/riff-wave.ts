/** Pure: the chunks of a RIFF WAVE header that say whether its data chunk is complete. */

export interface WaveLayout {
  formatTag: number;
  /** Offset of the data chunk's payload and the size its header states. */
  dataStart: number;
  dataSize: number;
}

/** Walks the chunks of the first bytes of a WAV; null when it is not a RIFF WAVE or no data chunk starts within them. */
export function readWaveLayout(bytes: Uint8Array): WaveLayout | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return null;
  let formatTag: number | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 10 <= bytes.length) formatTag = view.getUint16(at + 8, true);
    if (id === 'data') return formatTag === null ? null : { formatTag, dataStart: at + 8, dataSize: size };
    at += 8 + size + (size % 2); // chunks are padded to even sizes
  }
  return null;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}
