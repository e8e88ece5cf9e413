/** Pure helpers that fit progress text into a terminal's columns (one column per code point: names are rarely wide). */

/** The text cut to `width` columns in its middle, where a path's least telling part is: "jobs/sh…/clip.webm". */
export function truncateMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join('');
  const tail = Math.ceil((width - 1) / 2);
  const head = width - 1 - tail;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** The text cut to `width` columns at its end. */
export function truncateEnd(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Columns the text takes. */
export function columns(text: string): number {
  return [...text].length;
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
