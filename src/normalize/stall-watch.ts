/** Whether an encode still moves: progress (ffmpeg's position or frame count) must advance within a window, however slow the machine. */
export interface StallWatch {
  /** The last position seen, as "seconds/frames". */
  mark: string;
  /** When that position was first seen (ms). */
  since: number;
}

/** The default window: an encode that writes nothing for a minute is stuck, not slow. */
export const DEFAULT_STALL_SECONDS = 60;

export function startWatch(now: number): StallWatch {
  return { mark: '', since: now };
}

/** Pure: a progress reading at `now`; a changed position restarts the clock, the same one does not. */
export function observeProgress(watch: StallWatch, position: { outSeconds: number; frames: number }, now: number): StallWatch {
  const mark = `${position.outSeconds}/${position.frames}`;
  return mark === watch.mark ? watch : { mark, since: now };
}

/** Pure: stalled when the position has not moved for `windowMs`; a window of 0 never stalls (no limit). */
export function isStalled(watch: StallWatch, now: number, windowMs: number): boolean {
  return windowMs > 0 && now - watch.since >= windowMs;
}
