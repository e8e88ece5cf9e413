import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toolBinary } from '../../src/probe/binaries.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { REPO, startCli } from '../helpers/cli-process.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';
import { displayPath } from '../../src/shared/display-path.js';

const box = useSandbox('sp-run-encode-timeout-', { taskDurationMs: 200 });
let sandbox: Sandbox;
let starvedFfmpeg: string;
beforeAll(async () => {
  sandbox = box.sandbox;
  // the real ffmpeg, frozen (SIGSTOP) before an encode (its other uses run), as on a machine too loaded to schedule it
  starvedFfmpeg = join(box.dir, 'starved-ffmpeg');
  await writeFile(starvedFfmpeg, `#!/bin/sh\ncase "$*" in *' -progress '*) kill -STOP $$ ;; esac\nexec '${toolBinary('ffmpeg').path}' "$@"\n`);
  await chmod(starvedFfmpeg, 0o755);
});

describe('run and batch --encode-timeout', () => {
  it('stops the job at fix naming the file and what to try; no task is created', async () => {
    const folder = await writeAssetFolder(join(box.dir, 'job'), 5);
    const before = sandbox.simulator.createdTasks().length;
    const run = startCli(['run', folder, '--encode-timeout', '1'], { ...sandbox.env, FFMPEG_PATH: starvedFfmpeg, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stdout()).toBe(
      // the process runs in the repository: the job is named relative to it
      `✗ ${displayPath(folder, REPO)}  failed at fix: ${join(folder, 'clip.mp4')}: ffmpeg made no progress for 1 s (at 0 s of 2 s): the machine may be overloaded or the file damaged; try --encode-timeout 0 (no limit) or a larger value, or fix this file alone\n` +
        '    to do: run again when the machine is less busy, or with a larger --encode-timeout (0: no limit); if it stalls again, fix this file alone\n' +
        '0 of 1 job done, 1 failed.\n',
    );
    expect(sandbox.simulator.createdTasks().length).toBe(before);
  });

  it('batch passes it to every job', async () => {
    const root = join(box.dir, 'batch');
    const folder = await writeAssetFolder(join(root, 'one'), 6);
    const batch = startCli(['batch', root, '--encode-timeout', '1'], { ...sandbox.env, FFMPEG_PATH: starvedFfmpeg, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') });
    const { code } = await batch.exited;
    expect(code).toBe(1);
    const job = displayPath(folder, REPO);
    expect(batch.stdout()).toBe(
      `${'job'.padEnd(job.length)}  outcome        fixed  task  result\n` +
        `${job}  failed at fix  0      -     ${join(folder, 'clip.mp4')}: ffmpeg made no progress for 1 s (at 0 s of 2 s): the machine may be overloaded or the file damaged; try --encode-timeout 0 (no limit) or a larger value, or fix this file alone (to do: run again when the machine is less busy, or with a larger --encode-timeout (0: no limit); if it stalls again, fix this file alone)\n` +
        '0 of 1 jobs done, 1 failed.\n',
    );
  });
});
