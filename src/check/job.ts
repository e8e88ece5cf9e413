import type { MediaInfo, MediaKind, ProbeResult } from '../probe/media-info.js';
import type { MediaField } from '../spec/request-fields.js';
import type { Violation } from './violation.js';

/** One media entry of a job: a local file (probed) or a URL. */
export interface JobMedia {
  /** The request array it sits in; null for a file that could not be classified. */
  field: MediaField | null;
  /** Position in that array (0-based). */
  index: number;
  /** As written in the request (a relative path or URL), or the file's path for folders. */
  ref: string;
  /** Local path as shown to the user; null for URLs. */
  path: string | null;
  probe: ProbeResult | null;
  /** A URL read with --remote: what the read cost, and why it fell short (its probe is then null, or lacks facts). */
  remote?: RemoteReadFacts;
}

/** How a media URL was read (check --remote): the facts it gave are the entry's probe. */
export interface RemoteReadFacts {
  /** Body bytes received over every request of this URL. */
  bytesRead: number;
  requests: number;
  /** The file's size as the server gave it; null when it did not. */
  sizeBytes: number | null;
  /** The server answered Range requests with the whole file. */
  rangeIgnored: boolean;
  /** Why it was not (fully) read; null when every fact the rules need was read. */
  note: string | null;
}

/** A media URL of a job as read with --remote: its facts, and whether the violations about it (in the request's) pass. */
export interface RemoteFileReport {
  /** As shown: credentials masked. */
  url: string;
  field: MediaField;
  index: number;
  kind: MediaKind | null;
  ok: boolean;
  info: MediaInfo | null;
  read: RemoteReadFacts;
}

/** What the check rules need of one job: the request (if any) and its media. */
export interface CheckInput {
  /** How the job is named in output: a request file, an asset folder, or "files". */
  label: string;
  /** The request fields; null when plain files are checked without a request. */
  request: Record<string, unknown> | null;
  media: JobMedia[];
  /** Problems found while reading the request (not JSON, bad media entries). */
  loadViolations: Violation[];
}

export interface FileReport {
  path: string;
  kind: MediaKind | null;
  ok: boolean;
  violations: Violation[];
  /** The probe result, for output formats that show what was measured. */
  info: MediaInfo | null;
}

export interface JobReport {
  label: string;
  files: FileReport[];
  request: { ok: boolean; violations: Violation[] };
  /** Media URLs read with --remote (their violations are the request's, with the URL as subject). */
  remote?: RemoteFileReport[];
}
