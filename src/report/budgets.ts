import type { Profile } from '../spec/profile.js';
import { shareDurations } from '../normalize/duration-shares.js';
import { TRIM_MARGIN_SECONDS } from '../normalize/plan-fix.js';
import type { Budget } from './report-model.js';

export interface TimedMedia {
  kind: 'video' | 'audio';
  name: string;
  target: string | null;
  seconds: number;
  /** What a fix plan cut it to (null: not planned, or not cut). */
  plannedSeconds: number | null;
}

/**
 * Pure: the 15 s budgets of a request's videos and audio. A planned cut (fix, run) is shown as planned; without one
 * (check), a request over its cap shows the cut `fix` would make: in proportion, none below the minimum duration.
 */
export function durationBudgets(media: readonly TimedMedia[], profile: Profile): Budget[] {
  const groups = [
    { kind: 'video' as const, limit: profile.request.totalVideoSeconds.value, floor: profile.video.duration.value.min ?? 0 },
    { kind: 'audio' as const, limit: profile.request.totalAudioSeconds.value, floor: profile.audio.duration.value.min ?? 0 },
  ];
  const budgets: Budget[] = [];
  for (const group of groups) {
    const items = media.filter((m) => m.kind === group.kind);
    if (items.length === 0) continue;
    const total = items.reduce((sum, m) => sum + m.seconds, 0);
    const planned = items.some((m) => m.plannedSeconds !== null);
    const proposed = !planned && total > group.limit ? shareDurations(items.map((m) => m.seconds), group.limit - TRIM_MARGIN_SECONDS * items.length, group.floor) : null;
    budgets.push({
      kind: group.kind,
      limitSeconds: group.limit,
      items: items.map((m, i) => {
        const kept = m.plannedSeconds ?? proposed?.[i] ?? null;
        return { name: m.name, target: m.target, seconds: m.seconds, keptSeconds: kept !== null && kept < m.seconds - 0.005 ? kept : null };
      }),
    });
  }
  return budgets;
}
