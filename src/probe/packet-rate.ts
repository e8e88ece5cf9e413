/** Frame rates cameras and editors use; a measured rate this close to one is that rate (timestamps are rounded). */
const COMMON_RATES = [24000 / 1001, 24, 25, 30000 / 1001, 30, 48, 50, 60000 / 1001, 60, 100, 120000 / 1001, 120];
const SNAP_TOLERANCE = 0.005;
/** An interval this far from the typical one (seconds, or a share of it) is irregular; millisecond clocks jitter by 1 ms. */
const JITTER_SECONDS = 0.0015;
const JITTER_SHARE = 0.1;
/** More irregular intervals than this share make the rate variable. */
const VARIABLE_SHARE = 0.05;

/** At most this many packets are read to measure a rate (about 20 s at 30 fps): bounded whatever the file. */
export const RATE_PACKETS = 600;
/** A stated rate this far (a share) from the packets' own is not the rate: Matroska's DefaultDuration is only what the muxer was told. */
const STATED_TOLERANCE = 0.02;

export interface MeasuredRate {
  fps: number;
  variable: boolean;
}

/** Pure: presentation times of a stream's packets (seconds, any order) → average rate and whether it varies. */
export function rateFromPacketTimes(times: readonly number[]): MeasuredRate | null {
  const sorted = times.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length < 3) return null;
  const span = sorted[sorted.length - 1]! - sorted[0]!;
  if (span <= 0) return null;
  const intervals = sorted.slice(1).map((t, i) => t - sorted[i]!);
  const typical = [...intervals].sort((a, b) => a - b)[Math.floor(intervals.length / 2)]!;
  const irregular = intervals.filter((d) => Math.abs(d - typical) > Math.max(JITTER_SECONDS, typical * JITTER_SHARE)).length;
  const average = (sorted.length - 1) / span;
  const nearest = COMMON_RATES.reduce((best, rate) => (Math.abs(rate - average) < Math.abs(best - average) ? rate : best));
  const snapped = Math.abs(nearest - average) / nearest < SNAP_TOLERANCE ? nearest : undefined;
  return { fps: snapped ?? Math.round(average * 1000) / 1000, variable: irregular / intervals.length > VARIABLE_SHARE };
}

/** Pure: the packets' rate replaces a stated one that varies from it, or is more than 2 % off (DefaultDuration 30 fps over blocks at 8.3). */
export function packetsOverrule(stated: number | null, measured: MeasuredRate | null): measured is MeasuredRate {
  if (!measured) return false;
  return stated === null || measured.variable || Math.abs(measured.fps - stated) / stated > STATED_TOLERANCE;
}

/**
 * Pure: ffprobe's `-show_entries packet=pts_time,flags -of csv=p=0` output → seconds ("N/A" lines dropped). Packets
 * flagged D are discarded by an edit list (decoded for the frames after them, never shown): they are not frames.
 */
export function parsePacketTimes(csv: string): number[] {
  return csv
    .split('\n')
    .map((line) => line.split(','))
    .filter(([, flags]) => !flags?.includes('D'))
    .map(([time]) => time!.trim())
    .filter((field) => field !== '' && field !== 'N/A')
    .map(Number)
    .filter(Number.isFinite);
}
