const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Natural name order: 2.jpg before 10.jpg. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
