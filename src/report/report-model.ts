import type { QcFinding } from '../pipeline/result-qc.js';
import type { Violation } from '../check/violation.js';
import type { FixMode } from '../pipeline/fix-targets.js';
import type { CostDrivers } from '../pipeline/run-job.js';
import type { MediaInfo, MediaKind } from '../probe/media-info.js';
import type { FileStatus } from '../pipeline/file-status.js';

/** What the report shows, as data: built from check, fix or run results, rendered by buildReportHtml. */
export interface ReportModel {
  title: string;
  command: 'check' | 'fix' | 'run' | 'batch';
  /** ISO time the results were reported (passed in: the builder stays pure). */
  generatedAt: string;
  ok: boolean;
  /** Run and batch: one row per job, shown first. */
  jobs: JobView[];
  sections: ReportSection[];
  /** The one count of each status, for the header, the filters and the index alike. */
  counts: ReportCounts;
}

export interface ReportCounts {
  files: number;
  failing: number;
  fixed: number;
  passing: number;
  /** Fix --dry-run: files whose plan would change them (nothing written yet). */
  planned: number;
  /** Found before any fix: the files' violations and the request's as checked from the sources. */
  errors: number;
  warnings: number;
}

/** One request (asset folder, request file) or the loose files of a check. */
export interface ReportSection {
  /** Anchor of the section ("job-1"). */
  id: string;
  title: string;
  request: RequestView | null;
  cards: MediaCard[];
  job: JobView | null;
}

/** Thumbnail files, as paths relative to the report (FILE.assets/…). */
export interface Thumbnails {
  kind: MediaKind;
  /** The image downscaled, the video's poster frame, or the audio's waveform. */
  main: string;
  /** A video's strip of frames (empty for images and audio). */
  frames: string[];
  /** Seconds each frame was taken at (video). */
  frameTimes: number[];
}

export interface MediaCard {
  /** Anchor ("card-3"), the target of prompt references. */
  id: string;
  /** As every output shows it: relative to the folder the command ran in (displayPath). */
  path: string;
  status: FileStatus;
  kind: MediaKind | null;
  info: MediaInfo | null;
  /** Why the file could not be probed, when it could not. */
  failure: string | null;
  violations: Violation[];
  /** The rules it breaks, each once (a rule may have several violations: width and height), the most severe first seen. */
  rules: Array<{ rule: string; severity: Violation['severity'] }>;
  thumbs: Thumbnails | null;
  /** How the request names it: "image 1", "video 2". */
  names: string[];
  fix: FixView | null;
  /** Check: what `fix` would do to it, one entry per rule (its own, and the request's cuts that reach it); empty when nothing. */
  remedies: Remedy[];
}

export interface Remedy {
  rule: string;
  /** The violations' `fix` texts ("raise the frame rate to 24 fps"; several joined by "; "), or what to do by hand when not fixable. */
  fix: string;
  fixable: boolean;
}

export interface FixView {
  mode: FixMode;
  ok: boolean;
  error: string | null;
  output: string | null;
  outputInfo: MediaInfo | null;
  outputThumbs: Thumbnails | null;
  actions: ActionView[];
  /** The whole operation: the ffmpeg arguments, or the sharp pipeline. */
  operation: string | null;
  /** Ctrl-C or SIGTERM stopped its encode part-way, or came before its turn: not a file that cannot be fixed. */
  interrupted?: 'stopped' | 'not started';
}

export interface ActionView {
  rule: string;
  what: string;
  before: string;
  after: string;
  /** The part of the ffmpeg or sharp operation that makes this change. */
  operation: string;
}

export interface RequestView {
  label: string;
  model: string | null;
  prompt: PromptSegment[] | null;
  /** The request's other fields worth seeing (duration, quality, aspect ratio…), as written. */
  fields: Array<{ name: string; value: string }>;
  counts: Array<{ kind: MediaKind; count: number; max: number }>;
  budgets: Budget[];
  violations: Violation[];
  costDrivers: CostDrivers | null;
}

/** Prompt text, split into plain runs and media references. */
export type PromptSegment =
  | { type: 'text'; text: string }
  | {
      type: 'ref';
      text: string;
      kind: MediaKind;
      /** 1-based position the prompt names. */
      index: number;
      /** The card it names (null for a URL entry, or when missing). */
      target: string | null;
      /** The request has no such media: the model would get nothing for it. */
      missing: boolean;
    };

/** The combined-duration cap of one media kind, and each file's share. */
export interface Budget {
  kind: 'video' | 'audio';
  limitSeconds: number;
  items: Array<{ name: string; target: string | null; seconds: number; /** Seconds kept after the cut, or null when not cut. */ keptSeconds: number | null }>;
}

/** A job's outcome (interrupted and not started are their own, never failed); spaces become dashes for CSS. */
export type JobStatus = 'done' | 'failed' | 'dry-run' | 'busy' | 'interrupted' | 'not-started';

export interface JobView {
  /** Anchor of the job's section. */
  id: string;
  label: string;
  status: JobStatus;
  /** The stage it ended at (failed), or the last stage it reached. */
  stage: string;
  taskId: string | null;
  resultPath: string | null;
  /** Link to the result file, relative to the report. */
  resultHref: string | null;
  resultThumbs: Thumbnails | null;
  error: { message: string; hint: string } | null;
  resumed: string[];
  /** Result QC against the request, when the run recorded one. */
  qc: QcFinding[] | null;
}
