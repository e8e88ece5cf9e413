/**
 * The Damerau–Levenshtein distance between two strings, by code point: the fewest insertions, deletions,
 * substitutions and swaps of two adjacent characters that turn one into the other (the unrestricted form, a true
 * metric: a swapped pair may be edited further, so "ca" → "abc" is 2). Pure.
 */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const infinity = s.length + t.length;
  // d[i + 1][j + 1] is the distance between s[0..i) and t[0..j); row and column 0 hold the sentinel
  const d: number[][] = Array.from({ length: s.length + 2 }, () => new Array<number>(t.length + 2).fill(0));
  d[0]![0] = infinity;
  for (let i = 0; i <= s.length; i++) {
    d[i + 1]![0] = infinity;
    d[i + 1]![1] = i;
  }
  for (let j = 0; j <= t.length; j++) {
    d[0]![j + 1] = infinity;
    d[1]![j + 1] = j;
  }
  // the last row in which each character was seen in s
  const lastRow = new Map<string, number>();
  for (let i = 1; i <= s.length; i++) {
    let lastMatchColumn = 0;
    for (let j = 1; j <= t.length; j++) {
      const k = lastRow.get(t[j - 1]!) ?? 0;
      const l = lastMatchColumn;
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      if (cost === 0) lastMatchColumn = j;
      d[i + 1]![j + 1] = Math.min(
        d[i]![j]! + cost,
        d[i + 1]![j]! + 1,
        d[i]![j + 1]! + 1,
        d[k]![l]! + (i - k - 1) + 1 + (j - l - 1),
      );
    }
    lastRow.set(s[i - 1]!, i);
  }
  return d[s.length + 1]![t.length + 1]!;
}

/** Whether `distance` edits to `name` are a slip of the keyboard: at most 2, or at most a third of the name's length. */
export function isCloseEnough(distance: number, name: string): boolean {
  return distance <= Math.max(2, Math.floor(Array.from(name).length / 3));
}

/**
 * The candidate `name` most likely means, or null when none is close (see isCloseEnough). Case is ignored
 * ("aspectRatio" is 2 edits from "aspect_ratio"); of equally close candidates the first one given wins. Pure.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | null {
  const folded = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(folded, candidate.toLowerCase());
    if (distance < bestDistance && isCloseEnough(distance, folded)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
