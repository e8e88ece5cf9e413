import type { LimitSpec, Unit } from './violation.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const twoPlaces = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A value in its unit, as a person reads it: 31,500,000 bytes → "31.5 MB". */
export function formatValue(value: number | string | boolean | null, unit: Unit, bytesPerMB = 1_000_000): string {
  if (value === null) return 'unknown';
  if (typeof value !== 'number') return typeof value === 'string' ? JSON.stringify(value) : String(value);
  switch (unit) {
    case 'bytes':
      // below a tenth of a MB, kilobytes say more than "0.01 MB"
      return value < bytesPerMB / 10 ? `${twoPlaces.format(value / (bytesPerMB / 1000))} KB` : `${twoPlaces.format(value / bytesPerMB)} MB`;
    case 's':
      return `${twoPlaces.format(value)} s`;
    case 'fps':
      return `${twoPlaces.format(value)} fps`;
    case 'px':
      return `${integer.format(value)} px`;
    case 'pixels':
      return `${integer.format(value)} pixels`;
    case 'ratio':
      return twoPlaces.format(value);
    case 'count':
    case 'value':
      return twoPlaces.format(value);
    default:
      return `${integer.format(value)} ${unit}`;
  }
}

/** A limit as a person reads it: "24–60 fps", "at most 30 MB", "one of jpeg, png, webp". */
export function formatLimit(limit: LimitSpec, bytesPerMB = 1_000_000): string {
  if (limit.oneOf) return `one of ${limit.oneOf.join(', ')}`;
  const f = (v: number) => formatValue(v, limit.unit, bytesPerMB);
  if (limit.min !== undefined && limit.max !== undefined) {
    const [low, high] = [f(limit.min), f(limit.max)];
    const unitSuffix = high.replace(/^[\d.,]+/, '');
    return `${low.replace(unitSuffix, '')}–${high}`;
  }
  if (limit.max !== undefined) return `at most ${f(limit.max)}`;
  if (limit.min !== undefined) return `at least ${f(limit.min)}`;
  return 'no limit';
}
