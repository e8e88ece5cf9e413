import type { LimitSpec, Unit } from './violation.js';

/**
 * en-US grouping with at most `fractionDigits` decimals, trailing zeros dropped: 2086876.5 → "2,086,876.5".
 * Hand-rolled rather than Intl.NumberFormat, whose ICU data cost ~15 ms of every check's start-up.
 */
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
      return value < bytesPerMB / 10 ? `${formatNumber(value / (bytesPerMB / 1000), 2)} KB` : `${formatNumber(value / bytesPerMB, 2)} MB`;
    case 's':
      return `${formatNumber(value, 2)} s`;
    case 'fps':
      return `${formatNumber(value, 2)} fps`;
    case 'px':
      return `${formatNumber(value, 0)} px`;
    case 'pixels':
      return `${formatNumber(value, 0)} pixels`;
    case 'ratio':
      return formatNumber(value, 2);
    case 'count':
    case 'value':
      return formatNumber(value, 2);
    default:
      return `${formatNumber(value, 0)} ${unit}`;
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
