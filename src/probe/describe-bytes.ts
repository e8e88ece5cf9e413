/** How many bytes of the head are shown, as text or as hex. */
const TEXT_SAMPLE_BYTES = 64;
const TEXT_SHOWN_CHARS = 24;
const HEX_SHOWN_BYTES = 8;

/**
 * A short hint of what unknown bytes are, for the unknown-format message: the head as text when it is valid UTF-8
 * of printable characters (a note, an HTML error page), else its first bytes in hex: never mojibake such as "ޭ��".
 */
export function describeBytes(head: Uint8Array): string {
  const sample = head.subarray(0, TEXT_SAMPLE_BYTES);
  const text = printableText(sample)?.replace(/\s+/g, ' ').trim();
  if (text) return `it looks like text: "${Array.from(text).slice(0, TEXT_SHOWN_CHARS).join('')}…"`;
  return `first bytes ${Buffer.from(sample.subarray(0, HEX_SHOWN_BYTES)).toString('hex').replace(/(..)(?!$)/g, '$1 ')}`;
}

/** The bytes as text when they are UTF-8 of printable characters and whitespace only; null otherwise. */
function printableText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    // stream: a character cut off by the end of the sample is left out, not an error
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
  return /^[\P{C}\t\n\r]*$/u.test(text) ? text : null;
}
