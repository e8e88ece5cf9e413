import type { LimitSpec, Unit } from './violation.js';

// hand-rolled rather than Intl.NumberFormat: creating one loads ICU data, ~15 ms of every check's startup
const integer = { format: (value: number) => formatNumber(value, 0) };
const twoPlaces = { format: (value: number) => formatNumber(value, 2) };

/** en-US grouping with at most `fractionDigits` decimals, trailing zeros dropped: 2086876.5 → "2,086,876.5". */
export function formatNumber(value: number, fractionDigits: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [whole = '0', fraction = ''] = Math.abs(value).toFixed(fractionDigits).split('.');
  const decimals = fraction.replace(/0+$/, '');
  const digits = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${decimals ? `.${decimals}` : ''}`;
  return value < 0 && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

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
