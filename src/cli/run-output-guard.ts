import { resolve } from 'node:path';
import { findAssetFolders } from '../pipeline/find-asset-folders.js';
import { jobInputFiles } from '../pipeline/job-input-files.js';
import type { JobRef } from '../pipeline/job-inputs.js';
import type { InputSpec, OutputSpec } from '../shared/guard-outputs.js';
import { guardCommandOutputs, junitOutputs } from './output-guard-option.js';
import { reportOutputs } from './report-option.js';

export interface RunOutputFlags {
  /** The CLI's working folder: the flags' paths are relative to it. */
  cwd: string;
  work?: string;
  output?: string;
  /** How the user named the result's folder: run's --out, or its earlier name --output. */
  outputFlag?: '--out' | '--output';
  report?: string;
  junit?: string;
  /** --profile as given (a built-in profile's name is no file, and is left out). */
  profile?: string;
  /** The jobs of the run (one for run, every asset folder for batch). */
  jobs: readonly JobRef[];
}

/**
 * run's and batch's output guard, before anything is written: --work and --output must be folders, --report (and its
 * thumbnail folder) and --junit must not land on any input of any job, nor on each other. A usage error (exit 2) naming both.
 */
export async function guardRunOutputs(flags: RunOutputFlags): Promise<void> {
  const outputs: OutputSpec[] = [
    ...(flags.work ? [{ flag: '--work', kind: 'folder' as const, path: resolve(flags.cwd, flags.work), shown: flags.work }] : []),
    ...(flags.output ? [{ flag: flags.outputFlag ?? '--output', kind: 'folder' as const, path: resolve(flags.cwd, flags.output), shown: flags.output }] : []),
    ...reportOutputs(flags.report, flags.cwd),
    ...junitOutputs(flags.junit, flags.cwd),
  ];
  if (outputs.length === 0) return;
  const inputs: InputSpec[] = (await Promise.all(flags.jobs.map(jobInputFiles))).flat();
  if (flags.profile) inputs.push({ path: resolve(flags.cwd, flags.profile), shown: flags.profile, role: 'the --profile file' });
  await guardCommandOutputs(outputs, inputs);
}

/** batch's output guard: --report and --junit against every job under ROOT (a missing ROOT is reported by the batch itself). */
export async function guardBatchOutputs(rootPath: string, flags: Omit<RunOutputFlags, 'jobs' | 'work' | 'output'>): Promise<void> {
  if (!flags.report && !flags.junit) return;
  const folders = await findAssetFolders(rootPath).catch(() => [] as string[]);
  await guardRunOutputs({ ...flags, jobs: folders.map((folder) => ({ folder })) });
}
