let collator: Intl.Collator | undefined;

/** Natural name order: 2.jpg before 10.jpg. */
export function naturalCompare(a: string, b: string): number {
  // created on first use: building a collator loads ICU data, which a check of loose files never needs
  collator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
