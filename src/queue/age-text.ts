/** Ages as flags take them ("7d", "1h30m") and as messages say them ("7 s", "3 min"). */

const UNIT_MS = new Map<string, number>([
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
]);

/** Beyond this an age means nothing to a queue (and would lose precision as ms): about 27 years. */
export const MAX_AGE_MS = 10_000 * 24 * 3600_000;

export const AGE_RULE = 'a whole number with a unit, s, m, h, d or w (e.g. 7d, 12h, 30m, 1h30m; 0s for any age)';

/** "7d", "1h30m", "45s" → ms; null for anything else (a bare number, a decimal, an unknown unit, a unit twice). */
export function parseAge(text: string): number | null {
  const compact = text.trim().toLowerCase();
  if (!/^(\d+[wdhms])+$/.test(compact)) return null;
  let ms = 0;
  const seen = new Set<string>();
  for (const [, digits, unit] of compact.matchAll(/(\d+)([wdhms])/g)) {
    if (seen.has(unit!)) return null;
    seen.add(unit!);
    ms += Number(digits) * UNIT_MS.get(unit!)!;
  }
  return ms <= MAX_AGE_MS ? ms : null;
}

/** ms → how a sentence says it: "7 s", "3 min", "5 h", "2 d" (whole units, rounded down). */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}
