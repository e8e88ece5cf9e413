import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically } from '../shared/write-atomically.js';
import type { QcFinding } from './result-qc.js';

export const JOURNAL_FILE = 'journal.json';
const JOURNAL_VERSION = 1;

/** What one job has done so far; written atomically after every step, so a re-run resumes where it stopped. */
export interface Journal {
  version: number;
  /** The job's asset folder or request file. */
  job: string;
  /** The fixed request (DIR/request.json) and the sources it was made from, as they were then. */
  fixed?: { requestFile: string; sources: { path: string; size: number; mtimeMs: number }[]; outputs: string[] };
  uploads?: { path: string; sha256: string; key: string; url: string; bytes: number; uploaded: boolean }[];
  /** The exact body sent (or about to be sent) to create the task. */
  request?: Record<string, unknown>;
  /**
   * sending: recorded just before the create call; a re-run that finds it does not know whether a task exists.
   * unknown: the call failed after the body may have been sent. created: the task id is known.
   */
  submit?: { state: 'sending' | 'unknown' | 'created'; at: string; taskId?: string };
  task?: { id: string; status: string; progress?: number; error?: { code: string; message: string } | null };
  /** The downloaded video, and how it differs from the request (result QC). */
  result?: { path: string; bytes: number; qc?: QcFinding[] };
}

function emptyJournal(job: string): Journal {
  return { version: JOURNAL_VERSION, job };
}

/** The journal in a work folder; a missing one starts the job afresh. A damaged one is an error: it may hold a task id. */
export async function readJournal(workDir: string, job: string): Promise<Journal> {
  const path = join(workDir, JOURNAL_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyJournal(job);
    throw error;
  }
  const data = JSON.parse(text) as Journal;
  if (data.version !== JOURNAL_VERSION) throw new Error(`${path} was written by another version of seedance-preflight (journal version ${data.version})`);
  return data;
}

export async function writeJournal(workDir: string, journal: Journal): Promise<void> {
  await writeAtomically(join(workDir, JOURNAL_FILE), `${JSON.stringify(journal, null, 2)}\n`);
}
