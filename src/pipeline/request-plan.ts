import type { CheckInput, FileReport, JobMedia, JobReport } from '../check/job.js';
import { unreachableTotal } from '../check/aggregate-rules.js';
import { pixelBudgetFor } from '../check/file-rules.js';
import type { Violation } from '../check/violation.js';
import type { FitMode, FixPlan } from '../normalize/fix-plan.js';
import { planFix } from '../normalize/plan-fix.js';
import { heldItem, plannedItem, plannedTotal, reservedSeconds, shareItems, type TimedItem } from '../normalize/planned-lengths.js';
import type { Profile } from '../spec/profile.js';

import { remainingAfterPlan, type RemainingViolations } from './remaining-plan.js';

export interface JobPlan extends RequestPlan {
  /** The job's local files, each path once, in request order, with their reports: what `plans` are for. */
  local: JobMedia[];
  reports: FileReport[];
  remaining: RemainingViolations;
}

/** Pure: one checked job → every local file's plan (the request's combined caps shared, see planRequest) and what they leave. */
export function planJob(input: CheckInput, report: JobReport, profile: Profile, options: { fit: FitMode; audioFormat: 'mp3' | 'wav' }): JobPlan {
  const local = uniqueLocal(input.media);
  const reports = local.map((media) => report.files.find((f) => f.path === media.path)!);
  // reference videos for 480p/720p output (the default) are scaled into the smaller pixel budget
  const pixelBudget = input.request ? pixelBudgetFor(input.request.quality, profile) : null;
  const planOne = (media: JobMedia, durationShare?: number) =>
    planFix(media.probe!, reports[local.indexOf(media)]!.violations, profile, { ...options, durationShare, pixelBudget: media.field === 'video_urls' ? pixelBudget : null });
  const { plans, over } = planRequest(input, local, planOne, profile);
  const remaining = remainingAfterPlan(plans.map((plan, i) => ({ path: reports[i]!.path, plan, violations: reports[i]!.violations })), report.request.violations, over);
  return { local, reports, plans, over, remaining };
}

/** Local media of a job, each path once, in request order. */
function uniqueLocal(media: readonly JobMedia[]): JobMedia[] {
  const seen = new Set<string>();
  return media.filter((m) => m.path !== null && m.probe !== null && !seen.has(m.path) && (seen.add(m.path), true));
}

/** One local file planned alone (no share), or with its share of the request's combined cap. */
export type PlanOne = (media: JobMedia, durationShare?: number) => FixPlan;

export interface RequestPlan {
  /** One plan per local file, in the order given. */
  plans: FixPlan[];
  /** The combined durations the plans still leave over a cap (unfixable: no cut can fit), found before any encode. */
  over: Violation[];
}

/**
 * Pure: the plans of one job's local files such that one fix makes the request's combined durations conform. Each file
 * is planned alone first, to learn the length its own fix gives it (extended past the minimum, cut under the cap); the
 * cap is then shared over those lengths (extended files and URLs held at theirs), the cut files planned again with
 * their shares, and the planned total checked before anything is encoded. Unfixable files are left out of the total:
 * they keep the request from being written anyway.
 */
export function planRequest(input: CheckInput, local: readonly JobMedia[], planOne: PlanOne, profile: Profile): RequestPlan {
  const alone = local.map((media) => planOne(media));
  if (!input.request) return { plans: alone, over: [] };
  const groups = timedGroups(input, local, alone, profile);
  const shares = new Map<string, number>();
  for (const group of groups) {
    shareItems(group.entries.map((e) => e.item), group.limit, group.range.min).forEach((share, i) => {
      const path = group.entries[i]!.media.path;
      if (share !== null && path !== null) shares.set(path, Math.min(shares.get(path) ?? Infinity, share));
    });
  }
  const plans = local.map((media, i) => (shares.has(media.path!) ? planOne(media, shares.get(media.path!)) : alone[i]!));
  const over = timedGroups(input, local, plans, profile).flatMap((group) => {
    const items = group.entries.map((e) => e.item);
    if (plannedTotal(items) <= group.limit) return [];
    const files = group.entries.map((e) => ({ name: e.media.path ?? e.media.ref, seconds: reservedSeconds(e.item), url: e.media.path === null }));
    return [unreachableTotal(group.kind, files, group.range.min, { max: group.limit, source: group.source }, input.label, profile.bytesPerMB.value)];
  });
  return { plans, over };
}

interface TimedGroup {
  kind: 'video' | 'audio';
  limit: number;
  source: string;
  range: { min: number; max: number };
  entries: { media: JobMedia; item: TimedItem }[];
}

/** The request's videos and audio, each entry with the length its plan gives it (a URL as it is; unfixable files left out). */
function timedGroups(input: CheckInput, local: readonly JobMedia[], plans: readonly FixPlan[], profile: Profile): TimedGroup[] {
  const groups = [
    { kind: 'video', field: 'video_urls', cap: profile.request.totalVideoSeconds, range: profile.video.duration.value },
    { kind: 'audio', field: 'audio_urls', cap: profile.request.totalAudioSeconds, range: profile.audio.duration.value },
  ] as const;
  return groups.map(({ kind, field, cap, range }) => ({
    kind,
    limit: cap.value,
    source: cap.source,
    range,
    entries: input.media.flatMap((media) => {
      if (media.field !== field || !media.probe?.ok || media.probe.info.kind !== kind || media.probe.info.duration === null) return [];
      const { info } = media.probe;
      const at = local.findIndex((m) => m.path !== null && m.path === media.path);
      // a URL is sent as it is: its length counts, and nothing can cut it
      const item = at < 0 ? heldItem(info.duration!) : plannedItem(plans[at]!, info, range);
      return item ? [{ media, item }] : [];
    }),
  }));
}
