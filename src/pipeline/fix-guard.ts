import { basename, join, relative } from 'node:path';
import { guardOutputs, OutputGuardError, type InputSpec, type OutputSpec } from '../shared/guard-outputs.js';
import { OutputManifest } from '../normalize/output-manifest.js';

/** One job's output folder and what fix may write there. */
export interface JobOutputs {
  dir: string;
  /** Each output with the source it is the fixed copy of; `alternatives`: other names it may take (an image that becomes WebP). */
  files: readonly { path: string; source: string; alternatives?: readonly string[] }[];
  /** DIR/request.json, when the job has a request. */
  request: string | null;
}

export interface FixGuardOptions {
  outDir: string;
  /** The option that named the folder, and the folder as the user wrote it: for messages. */
  outFlag: string;
  outShown: string;
  jobs: readonly JobOutputs[];
  inputs: readonly InputSpec[];
  /** What the caller writes after the fix (--report and its thumbnail folder): guarded with the rest. */
  otherOutputs?: readonly OutputSpec[];
  /** The folder is the tool's own (a run's work folder): its files are replaced without asking the manifest. */
  ownFolder?: boolean;
}

/**
 * Before any encode: no output of fix lands on an input, on another output, or on a file in the folder that fix did not
 * write (OutputGuardError, naming both). Returns each job folder's manifest, to record the outputs in as they are written.
 */
export async function guardFixOutputs(options: FixGuardOptions): Promise<Map<string, OutputManifest> | null> {
  const shown = (path: string) => join(options.outShown, relative(options.outDir, path));
  const folders = [options.outDir, ...new Set(options.jobs.map((j) => j.dir).filter((d) => d !== options.outDir))];
  const claims: OutputSpec[] = folders.map((dir) => ({ flag: options.outFlag, kind: 'folder', path: dir, shown: shown(dir) }));
  const mains = new Set(options.jobs.flatMap((j) => j.files.map((f) => f.path)));
  // another output's name is guarded as that output: as an alternative it would only report a clash that cannot happen
  const alternativesOf = (file: JobOutputs['files'][number]) => (file.alternatives ?? []).filter((a) => !mains.has(a));
  for (const job of options.jobs) {
    const paths = [...job.files.flatMap((f) => [f.path, ...alternativesOf(f)]), ...(job.request ? [job.request] : [])];
    for (const path of paths) claims.push({ flag: options.outFlag, kind: 'file', path, shown: shown(path), inFolder: options.outShown });
  }
  await guardOutputs([...claims, ...(options.otherOutputs ?? [])], options.inputs);
  if (options.ownFolder) return null;

  const manifests = new Map<string, OutputManifest>();
  const problems: string[] = [];
  for (const job of options.jobs) {
    const manifest = manifests.get(job.dir) ?? (await OutputManifest.open(job.dir));
    manifests.set(job.dir, manifest);
    const targets = [...job.files.flatMap((f) => [f.path, ...alternativesOf(f)].map((path) => ({ path, what: `the fixed copy of ${f.source}` }))), ...(job.request ? [{ path: job.request, what: 'the fixed request' }] : [])];
    for (const { path, what } of targets) {
      const state = await manifest.state(basename(path));
      if (state === 'absent' || state === 'ours') continue;
      const whose = state === 'changed' ? 'changed since seedance-preflight wrote it' : 'exists and seedance-preflight did not write it';
      problems.push(`${options.outFlag} ${options.outShown}: ${shown(path)} ${whose} (${what} would replace it): move it away or choose a new ${options.outFlag} folder`);
    }
  }
  if (problems.length) throw new OutputGuardError(problems);
  return manifests;
}
