/** A damage verdict in words, for check's message and for a probe failure the damage explains. */
import { formatValue } from '../../check/format-value.js';
import type { Damage } from './damage.js';

/** "damaged: the header says 247.07 s but 0.37 s decodes: the file was cut off; its Info header states …" */
export function damagedProblem(damage: Damage): string {
  const lengths = (damage.kind === 'truncated' || damage.kind === 'header_mismatch') && damage.headerSays !== null && damage.decodes !== null ? `the header says ${formatValue(damage.headerSays, 's')} but ${formatValue(damage.decodes, 's')} decodes: ` : '';
  const what = { truncated: 'the file was cut off', impossible: 'its header is impossible', header_mismatch: 'its header does not match its data', fragment: 'the file is a fragment' }[damage.kind];
  return `damaged: ${lengths}${what}; ${damage.detail}`;
}
