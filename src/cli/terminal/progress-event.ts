/**
 * What a command tells its progress view, keyed by the job or file a line is about (as the terminal names it): the
 * stage it reached, how far an encode, an upload or a task is, and how it ended.
 */
export type ProgressEvent =
  /** More work became known: `count` more jobs or files (fix learns its files job by job). */
  | { type: 'total'; count: number }
  | { type: 'stage'; key: string; stage: string; detail: string }
  | { type: 'encode'; key: string; file: string; fraction: number }
  | { type: 'upload'; key: string; file: string; loaded: number; bytes: number }
  | { type: 'task'; key: string; id: string; status: string; progress: number | null; etaSeconds: number | null }
  /** `detail` is the plain line's ("done", "failed at fix"); `outcome` is what the overall line counts it as. */
  | { type: 'ended'; key: string; outcome: EndedAs; detail: string };

/** How an item is counted once it ended: "other" is a job neither done nor failed (busy, interrupted, not started). */
export type EndedAs = 'done' | 'failed' | 'other';

/** The stages of a job, in order: how far a job is, for the overall line's estimate. */
export const JOB_STAGES = ['check', 'fix', 'upload', 'submit', 'wait', 'download'] as const;
