/**
 * Pure: shares a total duration across files in proportion to their lengths, none cut below `floor`
 * (a file already shorter than the floor keeps its length). Results are rounded down to 0.01 s so their
 * sum never exceeds the total. Returns the durations unchanged when they already fit.
 */
export function shareDurations(durations: readonly number[], total: number, floor: number): number[] {
  const sum = durations.reduce((a, b) => a + b, 0);
  if (sum <= total) return [...durations];
  const fixed = new Map<number, number>();
  // water-filling: files whose proportional share would fall under the floor are held at it, the rest share what is left
  for (;;) {
    const free = durations.map((d, i) => (fixed.has(i) ? null : d));
    const left = total - [...fixed.values()].reduce((a, b) => a + b, 0);
    const freeSum = free.reduce<number>((a, d) => a + (d ?? 0), 0);
    const factor = freeSum > 0 ? left / freeSum : 0;
    let changed = false;
    free.forEach((d, i) => {
      if (d !== null && d * factor < floor) {
        fixed.set(i, Math.min(d, floor));
        changed = true;
      }
    });
    if (!changed) return durations.map((d, i) => floor2(fixed.get(i) ?? d * factor));
  }
}

function floor2(seconds: number): number {
  return Math.floor(seconds * 100 + 1e-9) / 100;
}
