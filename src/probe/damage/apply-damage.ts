/** Pure: a probed file's MediaInfo with its damage verdict; its lengths become what decodes, the header's stays in the verdict. */
import type { MediaInfo } from '../media-info.js';
import type { Damage } from './damage.js';

/**
 * A damaged file's durations are what decodes (the rules, the fix plan and the request totals then judge the real
 * content); the header's figure stays in `damage.headerSays`. Without a decodable length the durations are kept.
 */
export function withDamage(info: MediaInfo, damage: Damage | null): MediaInfo {
  if (!damage) return { ...info, damage: null };
  if (info.kind === 'image' || damage.decodes === null) return { ...info, damage };
  const real = round6(damage.decodes);
  const cap = (value: number | null) => (value === null ? real : Math.min(value, real));
  if (info.kind === 'audio') return { ...info, damage, duration: real, containerDuration: real, streamDuration: real };
  return {
    ...info,
    damage,
    duration: real,
    containerDuration: real,
    streamDuration: real,
    videoDuration: real,
    audioDuration: info.hasAudio ? cap(info.audioDuration) : info.audioDuration,
  };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
