import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FixInterruptedError, fixTargets } from '../../src/pipeline/fix-targets.js';
import { buildReportHtml } from '../../src/report/build-report-html.js';
import { modelFromFix } from '../../src/report/model-from-results.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { copyDemo } from '../helpers/sandbox-job.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp-interrupted-fix-report-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('a fix interrupted before its encodes: each file card says "not started", never "failed"', async () => {
  const job = await copyDemo(join(dir, 'job'));
  const controller = new AbortController();
  // Ctrl-C after the plan, before any encode: the real fix, stopped where a user's Ctrl-C would stop it
  const error = await fixTargets({ paths: [job], outDir: join(dir, 'out'), profile: SEED_PROFILE, signal: controller.signal, onPlanned: () => controller.abort('SIGINT') }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FixInterruptedError);
  const { outcome } = error as FixInterruptedError;
  expect(outcome.jobs[0]!.files.map((f) => f.interrupted)).toEqual(['not started', 'not started', 'not started']);
  const html = buildReportHtml(modelFromFix(outcome, [], { profile: SEED_PROFILE, generatedAt: '2026-12-01T12:00:00.000Z', thumbs: () => null, href: (p) => p }));
  expect(html.match(/<h4>Fix <span class="badge interrupted">[a-z-]+: not started<\/span>/g)).toHaveLength(3);
  expect(html).not.toContain(': failed</span>');
});
