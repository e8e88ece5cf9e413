import '../helpers/isolated-sandbox-dir.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const source = ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url))];
// the bundle reads the OpenAPI YAML from src/sandbox/openapi by walking up to the package root
const bundle = [fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url))];

describe.each([
  ['from source', source],
  ['from the built bundle', bundle],
])('sandbox command %s', (_, bin) => {
  it('prints export lines that point at a working simulator and store, and stops cleanly on SIGTERM', async () => {
    // a real process: the command runs until a signal, which cannot be sent to the test runner itself
    const child = spawn(process.execPath, [...bin, 'sandbox', '--task-duration', '0.2', '--api-key', 'sk-sandbox-test'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EVOLINK_API_KEY: 'sk-real-key-must-not-be-used' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await expect.poll(() => stdout.split('\n').length, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(10);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`no export lines: ${stderr}`, { cause: error });
    }
    const env = Object.fromEntries(stdout.trim().split('\n').map((line) => line.match(/^export (\w+)=(.*)$/)!.slice(1, 3) as [string, string]));
    expect(env).toMatchObject({ EVOLINK_API_KEY: 'sk-sandbox-test', AWS_REGION: 'us-east-1', SEEDANCE_S3_BUCKET: 'seedance', SEEDANCE_S3_FORCE_PATH_STYLE: 'true', SEEDANCE_S3_URL_MODE: 'public', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
    expect(stdout).not.toContain('sk-real-key-must-not-be-used');
    expect(stderr).toContain("EVOLINK_API_KEY below is the sandbox's own key, valid only here");

    const query = await fetch(`${env.EVOLINK_BASE_URL}/v1/tasks/task-unified-1-x`, { headers: { authorization: 'Bearer sk-sandbox-test' } });
    expect(query.status).toBe(404);
    // a create without a prompt fails the schema read from the provider's YAML
    const create = await fetch(`${env.EVOLINK_BASE_URL}/v1/videos/generations`, { method: 'POST', headers: { authorization: 'Bearer sk-sandbox-test', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'seedance-2.0-text-to-video' }) });
    expect(create.status).toBe(400);
    const bucket = await fetch(`${env.SEEDANCE_S3_ENDPOINT}/seedance`);
    expect(bucket.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('sandbox: SIGTERM, stopping\n');
    await expect(fetch(`${env.EVOLINK_BASE_URL}/v1/tasks/x`)).rejects.toThrow();
  });
});
