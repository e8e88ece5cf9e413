import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { outputRedactor } from '../shared/redact.js';
import { writeAtomically } from '../shared/write-atomically.js';
import { formatBytes } from '../shared/describe-fs-error.js';
import { fileSystemError } from '../shared/file-system-error.js';
import { damagedJournalError, JournalError, notAJournalError, taskIdsIn, whyNotJson } from './journal-error.js';
import { fileTypeOf } from '../shared/read-text-file.js';
import type { QcFinding } from './result-qc.js';
import type { JobInputs } from './fingerprint.js';

export const JOURNAL_FILE = 'journal.json';
const JOURNAL_VERSION = 2;

/** A stage that failed in a way the journal keeps: a re-run with the same inputs stops there instead of paying again. */
export interface RecordedFailure {
  stage: 'submit' | 'wait';
  message: string;
  hint: string;
}

/** One request's way to the provider and back: what was built for one fingerprint of the job's inputs. */
export interface Generation {
  /** Fingerprint of what the provider would receive; null for a generation migrated from a version 1 journal. */
  fingerprint: string | null;
  /** What the fingerprint was made of (to say what changed); null when migrated. */
  inputs: JobInputs | null;
  /** The fixed request (DIR/request.json) and the fixed copies it names. */
  fixed?: { requestFile: string; sources: { path: string; size: number; mtimeMs: number }[]; outputs: string[] };
  uploads?: { path: string; sha256: string; key: string; url: string; bytes: number; uploaded: boolean }[];
  /** The store the uploads went to: a run with another endpoint or bucket uploads again instead of sending URLs of a store it no longer uses. */
  uploadedTo?: UploadTarget;
  /** The exact body sent (or about to be sent) to create the task. */
  request?: Record<string, unknown>;
  /**
   * sending: recorded just before the create call; a re-run that finds it does not know whether a task exists.
   * unknown: the call failed after the body may have been sent. created: the task id is known. `claim`: in a fleet,
   * the worker whose claim on the create this is (adopted: the worker that created the task this job took over).
   */
  submit?: { state: 'sending' | 'unknown' | 'created'; at: string; taskId?: string; adopted?: boolean; claim?: { worker: string; at: string } };
  /** Where the create was sent (recorded with it): a run on another API base does not take the task for its own. */
  createdOn?: TaskHome;
  task?: { id: string; status: string; progress?: number; error?: { code: string; message: string } | null };
  /** The downloaded video, and how it differs from the request (result QC; absent until it ran). */
  result?: { path: string; bytes: number; qc?: QcFinding[] };
  failure?: RecordedFailure;
}

/** An S3 endpoint (null: AWS S3 itself) and bucket. */
export interface UploadTarget {
  endpoint: string | null;
  bucket: string;
}

/**
 * Where a task was created: its API base, and whether that was a sandbox (it bills nothing, so a task it no longer
 * knows may be created again). Absent in journals written before it was recorded.
 */
export interface TaskHome {
  apiBase?: string;
  sandbox?: true;
}

/** What one job has done so far; written atomically after every step, so a re-run resumes where it stopped. */
export interface Journal extends Generation {
  version: number;
  /** The job's identity: its asset folder or request file (absolute). */
  job: string;
  /** Earlier generations, oldest first: their tasks and results stay recorded (they were paid for). */
  history: Generation[];
  /** Content hashes of the job's sources with the stat they were taken under: an untouched file is not read again. */
  hashes?: { path: string; size: number; mtimeMs: number; sha256: string }[];
}

export function emptyJournal(job: string): Journal {
  return { version: JOURNAL_VERSION, job, fingerprint: null, inputs: null, history: [] };
}

export { JournalError } from './journal-error.js';

/** A journal is a few kB (a few more per generation): one this big was not written by seedance-preflight. */
export const MAX_JOURNAL_BYTES = 16 * 1024 * 1024;

/** The journal's text → a current journal; version 1 (no fingerprint, no history) is read without loss. Throws JournalError. */
function parseJournal(text: string, path: string): Journal {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw damagedJournalError(path, text, whyNotJson(text, error), error);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof (data as { job?: unknown }).job !== 'string') {
    throw damagedJournalError(path, text, 'JSON, but not a journal: it names no job');
  }
  const journal = data as Partial<Journal> & { version?: unknown };
  if (journal.version === 1) return { ...(journal as Journal), version: JOURNAL_VERSION, fingerprint: null, inputs: null, history: [] };
  if (journal.version !== JOURNAL_VERSION) {
    throw new JournalError(
      path,
      `${path} was written by another version of seedance-preflight (journal version ${String(journal.version)}; this one reads 1 and 2)`,
      'run that job with the version of seedance-preflight that wrote it; or move the journal aside and run again (a new task is created)',
      taskIdsIn(text),
    );
  }
  return journal as Journal;
}

/**
 * The journal's text, or null when there is none. Read like an input: never through a link, never from a FIFO
 * (opened non-blocking, checked once open), never more than MAX_JOURNAL_BYTES.
 */
async function readJournalText(path: string): Promise<string | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    // the journal is only ever renamed into place: a link there was put by someone else
    if (code === 'ELOOP') throw notAJournalError(path, 'a symbolic link');
    if (code === 'ENXIO') throw notAJournalError(path, 'a socket');
    throw error;
  }
  try {
    const info: Stats = await handle.stat();
    if (!info.isFile()) throw notAJournalError(path, fileTypeOf(info));
    if (info.size > MAX_JOURNAL_BYTES) throw notAJournalError(path, `${formatBytes(info.size)} (a journal is a few kB; at most ${formatBytes(MAX_JOURNAL_BYTES)} is read)`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // one byte past the bound tells a file that grew since its stat
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(Math.min(1 << 20, MAX_JOURNAL_BYTES + 1 - total)) });
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_JOURNAL_BYTES) throw notAJournalError(path, `more than ${formatBytes(MAX_JOURNAL_BYTES)} (a journal is a few kB)`);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The journal in a work folder, or null when there is none. A damaged one is a JournalError: it may hold a task id. */
export async function readJournal(workDir: string): Promise<Journal | null> {
  const path = join(workDir, JOURNAL_FILE);
  const text = await readJournalText(path);
  return text === null ? null : parseJournal(text, path);
}

/** Keys whose values are read back and used as they are: the body a resumed create sends, the fingerprint's material. */
const USED_AS_WRITTEN = new Set(['request', 'inputs']);

/** A value of the tool's own structure with every string redacted. */
function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, redact)]));
  return value;
}

/** A generation (the journal, or a history entry) with its strings redacted, except under request and inputs (skipped, not walked). */
function redactGeneration(generation: object, redact: (text: string) => string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(generation).map(([key, value]) => {
      if (USED_AS_WRITTEN.has(key)) return [key, value];
      if (key === 'history' && Array.isArray(value)) return [key, value.map((g: object) => redactGeneration(g, redact))];
      return [key, redactStrings(value, redact)];
    }),
  );
}

/**
 * The journal as written: the output policy (URL credentials, `env`'s secret values) everywhere but under `request`
 * and `inputs`, which a re-run reads back and uses (a masked prompt would be sent, or seen as a changed input: a second
 * paid task). Those hold only what the user gave; media URLs with credentials never reach them (check refuses them).
 */
export function journalText(journal: Journal, env: NodeJS.ProcessEnv = process.env): string {
  return `${JSON.stringify(redactGeneration(journal, outputRedactor(env)), null, 2)}\n`;
}

/** `env`: whose secret values are masked (default: the process's environment). */
export async function writeJournal(workDir: string, journal: Journal, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const path = join(workDir, JOURNAL_FILE);
  try {
    await writeAtomically(path, journalText(journal, env));
  } catch (error) {
    // a full disk's write names no file: the journal is named, and the disk it is on
    throw (await fileSystemError(error, path)) ?? error;
  }
}

/** The current generation's fields, without the journal's own. */
export function currentGeneration(journal: Journal): Generation {
  const { version: _v, job: _j, history: _h, hashes: _hashes, ...generation } = journal;
  return generation;
}
