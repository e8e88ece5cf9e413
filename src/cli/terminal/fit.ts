import stringWidth from 'string-width';

/** Pure helpers that fit progress text into a terminal's columns (a CJK character or an emoji takes two). */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text's characters as the terminal shows them (an emoji with its modifiers is one), each with the columns it takes. */
function cells(text: string): { text: string; width: number }[] {
  return [...graphemes.segment(text)].map(({ segment }) => ({ text: segment, width: stringWidth(segment) }));
}

/** The leading characters that fit in `width` columns. */
function head(parts: readonly { text: string; width: number }[], width: number): string {
  let out = '';
  for (const part of parts) {
    if (part.width > width) break;
    width -= part.width;
    out += part.text;
  }
  return out;
}

/** The trailing characters that fit in `width` columns. */
function tail(parts: readonly { text: string; width: number }[], width: number): string {
  let out = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i]!.width > width) break;
    width -= parts[i]!.width;
    out = parts[i]!.text + out;
  }
  return out;
}

/** The text cut to `width` columns in its middle, where a path's least telling part is: "jobs/sh…/clip.webm". */
export function truncateMiddle(text: string, width: number): string {
  if (columns(text) <= width) return text;
  const parts = cells(text);
  if (width <= 1) return head(parts, Math.max(0, width));
  const end = tail(parts, Math.ceil((width - 1) / 2));
  return `${head(parts, width - 1 - columns(end))}…${end}`;
}

/** The text cut to `width` columns at its end. */
export function truncateEnd(text: string, width: number): string {
  if (columns(text) <= width) return text;
  const parts = cells(text);
  if (width <= 1) return head(parts, Math.max(0, width));
  return `${head(parts, width - 1)}…`;
}

/** Columns the text takes on a terminal (escapes take none). */
export function columns(text: string): number {
  return stringWidth(text);
}

/** The rows lines take on a screen `width` columns wide: a line wider than the screen wraps (an empty line takes one). */
export function screenRows(lines: readonly string[], width: number): number {
  let rows = 0;
  for (const line of lines) rows += Math.max(1, Math.ceil(columns(line) / Math.max(1, width)));
  return rows;
}

/** "0:07", "12:03", "1:02:03": a duration in whole seconds as a clock shows it; rounded up (a time left) or down (a time spent). */
export function clock(ms: number, round: 'up' | 'down' = 'up'): string {
  // whole milliseconds first: an estimate of 1000.0000001 ms is one second, not two
  const total = Math.max(0, (round === 'up' ? Math.ceil : Math.floor)(Math.round(ms) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "42%": a fraction (0–1) as a whole percent, never 100% before it is whole. */
export function percent(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  return `${clamped < 1 ? Math.min(99, Math.floor(clamped * 100)) : 100}%`;
}
