import type { Profile } from '../spec/profile.js';
import { estimatedLength, shareItems } from '../normalize/planned-lengths.js';
import type { Budget } from './report-model.js';

export interface TimedMedia {
  kind: 'video' | 'audio';
  name: string;
  target: string | null;
  seconds: number;
  /** What its length rule reads (a video's pictures: pictureSeconds), when it differs from `seconds`; absent: `seconds`. */
  pictures?: number;
  /** What a fix plan cut it to (null: not planned, or not cut). */
  plannedSeconds: number | null;
}

/**
 * Pure: the 15 s budgets of a request's videos and audio. A planned cut (fix, run) is shown as planned; without one
 * (check), the cut `fix` would make: each file at the length its own fix gives it (cut under the cap, extended past the
 * minimum), and, when those are over the cap together, shared in proportion, none below the minimum (as fix plans it).
 */
export function durationBudgets(media: readonly TimedMedia[], profile: Profile): Budget[] {
  const groups = [
    { kind: 'video' as const, limit: profile.request.totalVideoSeconds.value, range: profile.video.duration.value },
    { kind: 'audio' as const, limit: profile.request.totalAudioSeconds.value, range: profile.audio.duration.value },
  ];
  const budgets: Budget[] = [];
  for (const group of groups) {
    const items = media.filter((m) => m.kind === group.kind);
    if (items.length === 0) continue;
    const planned = items.some((m) => m.plannedSeconds !== null);
    const estimates = items.map((m) => estimatedLength(m.seconds, m.pictures ?? m.seconds, group.range));
    const shares = planned ? null : shareItems(estimates, group.limit, group.range.min);
    budgets.push({
      kind: group.kind,
      limitSeconds: group.limit,
      items: items.map((m, i) => {
        const kept = planned ? m.plannedSeconds : (shares![i] ?? estimates[i]!.seconds);
        return { name: m.name, target: m.target, seconds: m.seconds, keptSeconds: kept !== null && kept < m.seconds - 0.005 ? kept : null };
      }),
    });
  }
  return budgets;
}
