import type { AudioInfo, MediaInfo, VideoInfo } from '../probe/media-info.js';
import type { Range } from '../spec/profile.js';
import { shareDurations } from './duration-shares.js';
import type { FixPlan } from './fix-plan.js';
import { extendedLength, extendsPictures, TRIM_MARGIN_SECONDS, trimmedLength } from './video-needs.js';

/** One video or audio of a request as the cross-file plan counts it: by the length its own fix gives it. */
export interface TimedItem {
  /** Seconds the output lasts by its plan: cut under the cap, extended past the minimum, else as it is. */
  seconds: number;
  /** Seconds an encode may add past `seconds` (a trim ends on a whole frame, encoders pad audio): the margin when trimmed or extended, else 0. */
  slack: number;
  /** A cut can shorten it: it is not extended, and it lasts longer than a cut to the minimum would (re-encoded, with its slack). */
  cuttable: boolean;
}

/** Seconds an item may take in its request's total: its length and its slack. */
export function reservedSeconds(item: TimedItem): number {
  return item.seconds + item.slack;
}

/** The items' planned total, to the millisecond (2.2 + 6.4 + 6.4 is not more than 15). */
export function plannedTotal(items: readonly TimedItem[]): number {
  return Math.round(items.reduce((sum, item) => sum + reservedSeconds(item), 0) * 1000) / 1000;
}

/** The items at the least they can take: each cuttable one cut to the minimum (re-encoded, so with the margin), the rest as they are. */
export function leastItems(items: readonly TimedItem[], floor: number): TimedItem[] {
  return items.map((item) => (item.cuttable ? { seconds: floor, slack: TRIM_MARGIN_SECONDS, cuttable: false } : item));
}

/**
 * Pure: each item's share of `limit` (null where it is not cut). The items that cannot be cut (extended, short, or
 * URLs) keep what they take; the cuttable ones share what is left in proportion to their planned lengths, none below
 * `floor`, each leaving its margin. All null when the planned total already fits.
 */
export function shareItems(items: readonly TimedItem[], limit: number, floor: number): (number | null)[] {
  if (plannedTotal(items) <= limit) return items.map(() => null);
  const held = items.reduce((sum, item) => sum + (item.cuttable ? 0 : reservedSeconds(item)), 0);
  const cuttable = items.filter((item) => item.cuttable);
  const shares = shareDurations(cuttable.map((item) => item.seconds), limit - held - TRIM_MARGIN_SECONDS * cuttable.length, floor);
  let next = 0;
  return items.map((item) => (item.cuttable ? shares[next++]! : null));
}

/** A fixable file's item from its plan (null for an unfixable plan, an image, or no known length). */
export function plannedItem(plan: FixPlan, info: MediaInfo, range: Range): TimedItem | null {
  if (plan.type === 'unfixable' || plan.type === 'image' || info.kind === 'image' || info.duration === null) return null;
  const timed = plan.type === 'video' || plan.type === 'audio';
  const extended = timed && plan.extendBy > 0;
  const seconds = timed && plan.duration !== null ? plan.duration : info.duration;
  // a re-encode without a cut is planned at the presented length (the container's): that is no trim
  const trimmed = timed && plan.duration !== null && plan.duration !== presentedSeconds(info);
  return lengthItem(seconds, extended || trimmed, extended, range);
}

/** A URL's item: sent as it is, its length counts and nothing can cut it. */
export function heldItem(seconds: number): TimedItem {
  return { seconds, slack: 0, cuttable: false };
}

/**
 * A file's item from its probe alone, as its own fix will plan it (check and the report have no plan): over the cap,
 * cut under it; pictures (or sound) under the minimum, extended just past it; else as it is, with no slack.
 */
export function estimatedItem(info: MediaInfo, range: Range): TimedItem | null {
  if (info.kind === 'image' || info.duration === null) return null;
  return estimatedLength(info.duration, pictureSeconds(info)!, range, info.kind === 'video' ? extendsPictures(info, range) : undefined);
}

/** What a file's length rule reads: a video's pictures (its video track), an audio's sound; null for an image or no length. */
export function pictureSeconds(info: MediaInfo): number | null {
  if (info.kind === 'image' || info.duration === null) return null;
  return info.kind === 'video' ? (info.videoDuration ?? info.duration) : info.duration;
}

/** The item of a file lasting `seconds`, whose pictures (the sound, for audio) last `pictures`, by the rules of estimatedItem. */
export function estimatedLength(seconds: number, pictures: number, range: Range, extended = pictures < range.min): TimedItem {
  if (seconds > range.max) return lengthItem(trimmedLength(range), true, false, range);
  if (extended) return lengthItem(extendedLength(range), true, true, range);
  return lengthItem(seconds, false, false, range);
}

/**
 * The one rule of the margin, for check and fix alike: a file trimmed or extended ends on a whole frame (and its audio
 * is padded), so it may run up to TRIM_MARGIN_SECONDS past its target; a file kept at its length (copied, remuxed, or
 * re-encoded without a cut: the fps filter keeps the track's length) keeps that length, with no slack.
 */
function lengthItem(seconds: number, changed: boolean, extended: boolean, range: Range): TimedItem {
  const slack = changed ? TRIM_MARGIN_SECONDS : 0;
  // cutting what would take no more than a cut to the minimum saves nothing
  return { seconds, slack, cuttable: !extended && seconds + slack > range.min + TRIM_MARGIN_SECONDS + 1e-9 };
}

/** A video's presented length (its container's, when stated): what a re-encode without a cut keeps. */
function presentedSeconds(info: VideoInfo | AudioInfo): number | null {
  return (info.kind === 'video' ? info.containerDuration : null) ?? info.duration;
}
