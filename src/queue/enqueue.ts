import { relative } from 'node:path';
import type { Queue } from 'bullmq';
import { findAssetFolders } from '../pipeline/find-asset-folders.js';
import { fingerprintOf } from '../pipeline/fingerprint.js';
import { readJobInputs } from '../pipeline/job-inputs.js';
import { readJournal } from '../pipeline/journal.js';
import { jobWorkDir } from '../pipeline/work-dir.js';
import { VERSION } from '../version.js';
import { JOB_FORMAT, JOB_NAME, queuedJobId, type QueuedJobData, type QueuedSettings } from './job-data.js';

/** One folder's job, and what enqueuing did with it. */
export interface EnqueuedJob {
  id: string;
  /** The asset folder as the enqueuer sees it (absolute). */
  folder: string;
  relativePath: string;
  /** added: new; queued: this job was already in the queue (waiting, running or ended); retried: it had failed and waits again. */
  outcome: 'added' | 'queued' | 'retried';
  /** What was enqueued: the follower enqueues it again if Redis loses it before it ended. */
  data?: QueuedJobData;
}

/**
 * One job per asset folder under root, its id made of the folder's path under root and its fingerprint: a folder
 * enqueued twice unchanged is one job. A job that had failed is put back to wait, as a local re-run would run it again.
 */
export async function enqueueFolders(queue: Queue, root: string, settings: QueuedSettings, only?: readonly string[]): Promise<EnqueuedJob[]> {
  // `only`: the folders --only / --exclude selected; default every asset folder under root
  const folders = only ?? (await findAssetFolders(root));
  const jobs: (EnqueuedJob & { data: QueuedJobData })[] = [];
  for (const folder of folders) {
    const relativePath = relative(root, folder) || '.';
    const fingerprint = await folderFingerprint(folder, settings);
    const data: QueuedJobData = { format: JOB_FORMAT, toolVersion: VERSION, root, relativePath, fingerprint, settings };
    const id = queuedJobId(relativePath, fingerprint);
    const state = await queue.getJobState(id);
    let outcome: EnqueuedJob['outcome'] = 'queued';
    if (state === 'unknown') outcome = 'added';
    else if (state === 'failed') {
      const job = await queue.getJob(id);
      // this enqueuer's data replaces the old (another tool version's, with the failed run's result)
      await job?.updateData(data);
      await job?.retry('failed');
      outcome = 'retried';
    }
    jobs.push({ id, folder, relativePath, outcome, data });
  }
  const added = jobs.filter((j) => j.outcome === 'added');
  // a job added meanwhile by another enqueuer keeps its data: BullMQ adds nothing for an id it holds
  if (added.length) await queue.addBulk(added.map((j) => ({ name: JOB_NAME, data: j.data, opts: { jobId: j.id } })));
  return jobs;
}

/**
 * The folder's fingerprint, as runJob will compute it (hashes reused from its journal when the files are untouched).
 * Outside paths are let through here: the worker's runJob refuses them with its own message.
 */
async function folderFingerprint(folder: string, settings: QueuedSettings): Promise<string> {
  const journal = await readJournal(jobWorkDir({ folder })).catch(() => null);
  const read = await readJobInputs({ folder }, { profile: settings.profile, prompt: settings.prompt, fit: settings.fit, audioFormat: settings.audioFormat, knownHashes: journal?.hashes, allowOutsidePaths: true });
  return fingerprintOf(read.inputs);
}
