import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/run-cli.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

const box = useSandbox('sp-settings-runtime-', { taskDurationMs: 300 });

describe('a settings problem found only when used: the same exit 2 in upload and run', () => {
  it('keys the store does not know: upload and run both exit 2, naming the same fix; no task is created', async () => {
    const secret = 'runtime-secret-NEVER-SHOWN';
    const env = { ...box.sandbox.env, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN', AWS_SECRET_ACCESS_KEY: secret, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') };
    await writeAssetFolder(join(box.dir, 'job'), 77);
    const fix = `${box.sandbox.s3.endpoint} does not know the access key id (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)`;
    const upload = await cli(['upload', 'job/still.png'], { env, cwd: box.dir });
    expect(upload.code).toBe(2);
    expect(upload.stderr.split('\n')[0]).toBe(`seedance-preflight: job/still.png: could not be uploaded: ${fix}`);
    const created = box.sandbox.simulator.createdTasks().length;
    const run = await cli(['--json', 'run', 'job'], { env, cwd: box.dir });
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).jobs[0].error;
    expect([error.stage, error.environment, error.message.endsWith(`could not be uploaded: ${fix}`)]).toEqual(['upload', true, true]);
    expect(box.sandbox.simulator.createdTasks().length).toBe(created);
    expect(upload.stdout + upload.stderr + run.stdout + run.stderr).not.toContain(secret);
  });
});
