import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli-process.js';
import { writeAssetFolder } from '../helpers/sandbox-job.js';
import { useSandbox } from '../helpers/use-sandbox.js';

// one policy for every output: the API key's value, wherever a message quotes it, is *** in the report, JUnit and journal too
const box = useSandbox('sp-secret-files-', { taskDurationMs: 200 });

async function cli(args: string[]) {
  const run = startCli(args, { ...box.sandbox.env, SEEDANCE_PREFLIGHT_CACHE_DIR: join(box.dir, 'cache') });
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('the API key planted in what the tool writes to files', () => {
  it('a task that fails with the key in its error: batch --report and --junit, the journal and the output hold *** instead', async () => {
    const key = box.sandbox.apiKey;
    expect(key.length).toBeGreaterThanOrEqual(6);
    const root = join(box.dir, 'jobs');
    const job = await writeAssetFolder(join(root, 'leaky'), 61);
    box.sandbox.simulator.failNextTasks(1, { code: 'content_policy_violation', message: `flagged for key ${key} in the input` });
    const report = join(box.dir, 'batch.html');
    const junit = join(box.dir, 'batch.xml');
    const { code, stdout, stderr } = await cli(['batch', root, '--report', report, '--junit', junit]);
    expect(code).toBe(1);
    const task = box.sandbox.simulator.createdTasks().at(-1)!;
    const said = `task ${task.id} failed: content_policy_violation: flagged for key *** in the input`;
    const html = await readFile(report, 'utf8');
    const xml = await readFile(junit, 'utf8');
    const journal = await readFile(join(job, '.seedance-preflight', 'journal.json'), 'utf8');
    expect(xml).toContain(`wait: ${said}`);
    expect(html).toContain(said);
    expect((JSON.parse(journal) as { failure: { message: string } }).failure.message).toBe(said);
    expect(stdout + stderr).toContain('flagged for key *** in the input');
    for (const text of [html, xml, journal, stdout, stderr]) expect(text).not.toContain(key);
    // nor anywhere else under the job's folder or next to the report
    for (const entry of await readdir(box.dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && !entry.parentPath.includes('cache')) expect((await readFile(join(entry.parentPath, entry.name))).includes(key), join(entry.parentPath, entry.name)).toBe(false);
    }
  });

  it('check --junit: a request field holding the key is shown as ***', async () => {
    const key = box.sandbox.apiKey;
    const request = join(box.dir, 'request.json');
    await writeFile(request, JSON.stringify({ model: 'seedance-2.0-text-to-video', prompt: 'a lighthouse at dusk', quality: key }));
    const junit = join(box.dir, 'check.xml');
    const { code, stdout } = await cli(['check', '--request', request, '--junit', junit]);
    expect(code).toBe(1);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toContain('quality &quot;***&quot; is not accepted');
    expect(xml).not.toContain(key);
    expect(stdout).toContain('quality "***" is not accepted');
    expect(stdout).not.toContain(key);
  });
});
