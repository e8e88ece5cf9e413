import type { Violation } from '../check/violation.js';
import type { FixMode } from './fix-targets.js';

/** A file as the reader judges it now: failing, passing, or fixed (the tool wrote a changed copy that conforms). */
export type FileStatus = 'failing' | 'fixed' | 'passing';

/** What of a fix decides whether it counts as fixed (FixedFileReport and the report's FixView both have it). */
export interface FixFacts {
  ok: boolean;
  output: string | null;
  mode: FixMode;
  actions: readonly unknown[];
  interrupted?: 'stopped' | 'not started';
}

/**
 * Pure: the one test of "fixed", for every count of fixed files: a conforming copy was written, and it is not the
 * source's bytes copied as they are (re-encoded, remuxed, converted, or renamed to its format's extension).
 */
export function isRewritten(fix: FixFacts): boolean {
  return fix.ok && fix.output !== null && changesFile(fix);
}

/** Pure: the fix (done or planned) changes the file: anything but the bytes copied under their own name. */
export function changesFile(fix: Pick<FixFacts, 'mode' | 'actions'>): boolean {
  return fix.mode !== 'copy' || fix.actions.length > 0;
}

/** Pure: a file's status from what it broke and what its fix did (a fix that failed leaves it failing; one Ctrl-C stopped changes nothing). */
export function fileStatus(violations: readonly Violation[], fix: FixFacts | null): FileStatus {
  if (fix && isRewritten(fix)) return 'fixed';
  if (fix && !fix.ok && !fix.interrupted) return 'failing';
  // a copy that was verified conforms, whatever its source broke (nothing had to change)
  if (fix?.ok && fix.output !== null) return 'passing';
  return violations.some((v) => v.severity === 'error') ? 'failing' : 'passing';
}
