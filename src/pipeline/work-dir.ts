import { basename, dirname, extname, join, resolve } from 'node:path';
import { sha256Text } from './fingerprint.js';
import type { JobRef } from './job-inputs.js';

const WORK_DIR_NAME = '.seedance-preflight';

/** The job's identity: its asset folder or request file, absolute. */
export function jobIdentity(job: JobRef): string {
  return 'folder' in job ? resolve(job.folder) : resolve(job.requestFile);
}

/**
 * Where a job keeps its journal and fixed copies. An asset folder alone owns <folder>/.seedance-preflight; a folder
 * that several jobs may share (--work, or the folder of request files) gets one subfolder per job, named for the job
 * and a hash of its path, so no job ever reads another's journal.
 */
export function jobWorkDir(job: JobRef, sharedWork?: string): string {
  const identity = jobIdentity(job);
  if ('folder' in job && sharedWork === undefined) return join(identity, WORK_DIR_NAME);
  const base = sharedWork === undefined ? join(dirname(identity), WORK_DIR_NAME) : resolve(sharedWork);
  const name = basename(identity, 'folder' in job ? '' : extname(identity)).replace(/[^\w.-]+/g, '_') || 'job';
  return join(base, `${name}-${sha256Text(identity).slice(0, 8)}`);
}

/** Where version 1 kept a request file's journal (its folder's work folder): read when the job has none of its own yet. */
export function legacyWorkDir(job: JobRef): string | null {
  return 'requestFile' in job ? join(dirname(jobIdentity(job)), WORK_DIR_NAME) : null;
}
