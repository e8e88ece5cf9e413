/** How much of the head decides what kind of bytes a file holds. */
const SAMPLE_BYTES = 512;

/**
 * What unknown bytes are, for the unknown-format message: their kind ("UTF-8 text", "binary data", "zero bytes") and
 * the file's size, never the bytes themselves: the file may be anything (a key file behind a media name), and messages
 * land in terminals, JSON, JUnit and reports.
 */
export function describeBytes(head: Uint8Array, sizeBytes: number): string {
  const sample = head.subarray(0, SAMPLE_BYTES);
  return `${kindOfBytes(sample)}, ${formatSize(sizeBytes)}`;
}

/** Pure: the kind of a sample of bytes. */
export function kindOfBytes(sample: Uint8Array): 'UTF-8 text' | 'zero bytes' | 'binary data' {
  if (sample.length > 0 && sample.every((b) => b === 0)) return 'zero bytes';
  return isPrintableText(sample) ? 'UTF-8 text' : 'binary data';
}

function formatSize(bytes: number): string {
  return bytes === 1 ? '1 byte' : `${bytes.toLocaleString('en-US')} bytes`;
}

/** True when the bytes are UTF-8 of printable characters and whitespace, with something besides whitespace. */
function isPrintableText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    // stream: a character cut off by the end of the sample is left out, not an error
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return false;
  }
  return /\S/u.test(text) && /^[\P{C}\t\n\r]*$/u.test(text);
}
