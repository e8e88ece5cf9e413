/** The file.damaged rule: a file whose bytes do not hold what its headers promise, fixable only when what decodes is usable. */
import { damagedProblem } from '../probe/damage/describe-damage.js';
import type { Damage, MediaInfo } from '../probe/media-info.js';
import type { Profile, Range } from '../spec/profile.js';
import { ruleSource } from '../spec/rule-sources.js';
import { formatValue } from './format-value.js';
import type { ViolationInit } from './make-violation.js';

type Emit = (init: Omit<ViolationInit, 'subject' | 'bytesPerMB'>) => void;

/** Less than this decodes (seconds): nothing worth sending, whatever a fix adds. */
export const USABLE_MIN_SECONDS = 1;
/** At least this share of what fix writes must be real content: an extension may not be mostly padding. */
export const USABLE_REAL_SHARE = 0.5;
/** What fix adds past the minimum when it extends (the plan's trim margin): the output of an extension lasts this much over the minimum. */
const EXTEND_MARGIN_SECONDS = 0.1;

/**
 * A damaged file is fixable when what decodes is usable after a re-encode writes a true header: at least 1 s decodes,
 * and at least half of fix's output is real content (a file extended to the 2 s minimum, written as 2.1 s, needs
 * 1.05 s). Images and files with no decodable length are never fixable: export them again.
 */
export function usableDecodes(decodes: number | null, range: Range | null): boolean {
  if (decodes === null || range === null) return false;
  const written = decodes < range.min ? range.min + EXTEND_MARGIN_SECONDS : decodes;
  return decodes >= USABLE_MIN_SECONDS && decodes >= USABLE_REAL_SHARE * written;
}

/** Emits file.damaged for a damaged file; true when nothing usable decodes (the other rules would then judge a file that does not hold its content). */
export function checkDamage(info: MediaInfo, profile: Profile, emit: Emit): boolean {
  const damage = info.damage;
  if (!damage) return false;
  const range = info.kind === 'video' ? profile.video.duration.value : info.kind === 'audio' ? profile.audio.duration.value : null;
  const usable = usableDecodes(damage.decodes, range);
  emit({
    rule: 'file.damaged',
    actual: damage.kind,
    problem: damagedProblem(damage),
    fix: usable ? `re-encode the ${formatValue(damage.decodes!, 's')} that decode${damage.decodes === 1 ? 's' : ''}, which writes a true header` : unusableFix(damage),
    fixable: usable,
    source: ruleSource('file.damaged'),
  });
  return !usable;
}

function unusableFix(damage: Damage): string {
  const decodes = damage.decodes;
  if (decodes === null || damage.kind === 'impossible' || damage.kind === 'fragment' || decodes <= 0) return 'export it again';
  // rounded down: 0.9996 s is "0.99 s", never the "1 s" it falls short of
  if (decodes < USABLE_MIN_SECONDS) return `export it again (${formatValue(Math.floor(decodes * 100) / 100, 's')} is too little to extend: fix needs at least ${USABLE_MIN_SECONDS} s that decodes)`;
  return `export it again (extended, ${formatValue(decodes, 's')} would be mostly padding)`;
}
