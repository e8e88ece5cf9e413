import { cp } from 'node:fs/promises';
import { toolBinary } from '../../../src/probe/binaries.js';
import { runProcess } from '../../../src/shared/spawn.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_BIN, REPO, startCli, waitFor } from '../../helpers/cli-process.js';
import { tempDir } from '../../helpers/fixtures.js';
import { writeAssetFolder } from '../../helpers/sandbox-job.js';
import { startInTmux, TMUX_MISSING, type TmuxPane } from './tmux.js';

// The live area in a real terminal (tmux), and the same batch piped: 5 asset folders run against the in-process sandbox.
const required = process.env.SEEDANCE_TEST_REQUIRE_TMUX === '1';
const notBuilt = existsSync(BUILT_BIN[0]!) ? null : 'dist/cli/bin.js is missing (npm run build)';
const missing = TMUX_MISSING ?? notBuilt;
if (missing && !required) console.warn(`test/cli/terminal/terminal-tmux.test.ts skipped: ${missing}`);

it.runIf(missing && required)(`tmux is required (SEEDANCE_TEST_REQUIRE_TMUX=1) but there is ${missing}`, () => {
  expect.fail(`SEEDANCE_TEST_REQUIRE_TMUX=1 and ${missing}`);
});

const COLUMNS = 100;
const ROWS = 30;
const JOBS = ['job-1', 'job-2', 'job-3', 'job-4', 'job-5'];
/** Select Graphic Rendition with a colour (foreground 30–37/90–97, or 38;…): what NO_COLOR must leave out. */
const COLOUR = /\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])(?:;[0-9;]*)?m/;
const OVERALL = /^5 jobs: \d done, \d failed, \d remaining · \d+:\d\d elapsed · ETA (\d+:\d\d|-:--)$/;

let dir: string;
let cleanup: () => Promise<void>;
let runs = 0;
const panes: TmuxPane[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-term-tmux-'));
  if (missing) return;
  // 4 s clips: each encode takes long enough to be seen in the live area
  await Promise.all(JOBS.map((job, i) => writeAssetFolder(join(dir, 'template', job), 60 + i, { seconds: 4 })));
}, 120_000);
afterAll(async () => {
  for (const pane of panes) await pane.kill();
  await cleanup();
});

/** A fresh copy of the 5 jobs, a fresh fix cache and sandbox: nothing is resumed or reused from another run; the 5 tasks at once (the sandbox's take 3 s each). */
async function freshRun(): Promise<{ root: string; env: Record<string, string>; args: string[] }> {
  const run = join(dir, `run-${++runs}`);
  await cp(join(dir, 'template'), join(run, 'root'), { recursive: true });
  return { root: join(run, 'root'), env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(run, 'cache') }, args: ['batch', join(run, 'root'), '--sandbox', '--sandbox-dir', join(run, 'sandbox'), '--media-concurrency', '2', '--api-concurrency', '5'] };
}

async function inTmux(args: readonly string[], env: Record<string, string>, unset: readonly string[] = ['NO_COLOR', 'FORCE_COLOR']): Promise<TmuxPane> {
  const pane = await startInTmux([process.execPath, ...BUILT_BIN, ...args], { cwd: dir, columns: COLUMNS, rows: ROWS, env, unset, configDir: dir });
  panes.push(pane);
  return pane;
}

/** Captures the screen every 50 ms until the command ends; every capture, in order. */
async function screensUntilExit(pane: TmuxPane, options: { escapes: boolean }): Promise<{ screens: string[]; status: number }> {
  const screens: string[] = [];
  let status: number | null = null;
  await waitFor(
    async () => {
      screens.push(await pane.capture(options));
      status = await pane.exitStatus();
      return status !== null;
    },
    'the batch to end',
    { timeoutMs: 180_000, everyMs: 50, detail: () => screens.at(-1) ?? '' },
  );
  screens.push(await pane.capture(options));
  return { screens, status: status! };
}

const lines = (screen: string) => screen.split('\n').map((l) => l.trimEnd());
const strip = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe.skipIf(missing)('a 5-job batch in a terminal', () => {
  it('shows a line per active job (stage, name, progress) and an overall line with an ETA, fitted to the width; cleared at the end for the summary', async () => {
    const { args, env } = await freshRun();
    const pane = await inTmux(args, env);
    const { screens, status } = await screensUntilExit(pane, { escapes: true });
    expect(status, strip(screens.at(-1)!)).toBe(0);
    const plain = screens.map((s) => lines(strip(s)));
    // a frame with jobs at work under way and an estimate: the overall line last, the jobs' lines above it
    const live = plain.find((screen) => screen.some((l) => OVERALL.test(l) && !l.endsWith('-:--')) && screen.some((l) => /^(check|fix|upload|submit|wait|download) +run-1\/root\/job-\d/.test(l)));
    expect(live, plain.at(-1)!.join('\n')).toBeDefined();
    // the live area's lines never wrap (the summary table after it is as wide as its content)
    for (const screen of plain) for (const line of screen.filter((l) => OVERALL.test(l) || /^(check|fix|upload|submit|wait|download) /.test(l))) expect([...line].length).toBeLessThan(COLUMNS);
    // a job's line names how far its stage is: an encode's percent, an upload's bytes or the task's progress, or the stage's detail
    const jobLines = plain.flat().filter((l) => /^(fix|upload|wait) +run-1\/root\/job-\d/.test(l));
    expect(jobLines.some((l) => /^fix +run-1\/root\/job-\d · clip\.mp4 +\d+%$/.test(l)), jobLines.join('\n')).toBe(true);
    expect(jobLines.some((l) => /^wait +run-1\/root\/job-\d +(pending|processing) \d+%/.test(l)), jobLines.join('\n')).toBe(true);
    // colour on a terminal: the status words only (a count of jobs done, in green), never a whole line
    expect(screens.some((s) => s.includes('\x1b[32m'))).toBe(true);
    // the area is cleared at the end: what stays is the summary, no job or overall line
    const last = plain.at(-1)!.filter(Boolean);
    expect(last.some((l) => OVERALL.test(l))).toBe(false);
    expect(last.filter((l) => /^run-1\/root\/job-\d +done /.test(l))).toHaveLength(5);
    expect(last).toContain('5 of 5 jobs done.');
  }, 240_000);

  it('with NO_COLOR draws the live area without a colour escape', async () => {
    const { args, env } = await freshRun();
    const pane = await inTmux(args, { ...env, NO_COLOR: '1' }, ['FORCE_COLOR']);
    const { screens, status } = await screensUntilExit(pane, { escapes: true });
    expect(status).toBe(0);
    expect(screens.some((s) => lines(strip(s)).some((l) => OVERALL.test(l)))).toBe(true);
    for (const screen of screens) expect(screen).not.toMatch(COLOUR);
  }, 240_000);

  it('with -q shows no progress at all: the summary only', async () => {
    const { args, env } = await freshRun();
    const pane = await inTmux(['-q', ...args], env);
    const { screens, status } = await screensUntilExit(pane, { escapes: false });
    expect(status).toBe(0);
    for (const screen of screens) expect(screen).not.toMatch(/ETA|^\[|^batch:/m);
    // the sandbox's own line is a note too: -q leaves it out
    const last = lines(screens.at(-1)!).filter(Boolean);
    expect(last[0]).toMatch(/^job +outcome +fixed +task +result$/);
    expect(last.slice(1), last.join("\n")).toHaveLength(6);
    expect(last.at(-1)).toBe('5 of 5 jobs done.');
  }, 240_000);
});

describe.skipIf(missing)('fix in a terminal', () => {
  it('hides the cursor while the area is drawn; Ctrl-C stops the encode, clears the area and shows the cursor again', async () => {
    const clip = join(dir, 'slow.mp4');
    // 30 s of 1280×720 at 15 fps: the frame rate fix re-encodes it, slowly enough to be interrupted
    await runProcess(toolBinary('ffmpeg').path, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=15:duration=30', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', clip]);
    const pane = await inTmux(['fix', 'slow.mp4', '--out', 'slow-fixed', '--no-cache'], { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'slow-cache') });
    await waitFor(async () => /^encode +slow\.mp4 +\d+%$/m.test(await pane.capture()), 'the encode in the live area', { timeoutMs: 120_000, everyMs: 100 });
    expect(await pane.cursorVisible()).toBe(false);
    expect(await pane.capture()).toMatch(/^1 file: 0 done, 0 failed, 1 remaining · \d+:\d\d elapsed · ETA (\d+:\d\d|-:--) *$/m);
    await pane.sendKeys('C-c');
    await waitFor(async () => (await pane.exitStatus()) !== null, 'fix to stop', { timeoutMs: 60_000 });
    expect(await pane.exitStatus()).toBe(130);
    expect(await pane.cursorVisible()).toBe(true);
    const screen = await pane.capture();
    expect(screen, screen).not.toMatch(/^encode |^1 file: /m);
    expect(screen).toContain('interrupted');
  }, 240_000);
});

describe.skipIf(missing)('the same batch piped', () => {
  it('prints one plain line per event, none twice, no escapes; then the overall line after each job', async () => {
    const { args, env } = await freshRun();
    const child = startCli(args, { ...env, NO_COLOR: undefined, FORCE_COLOR: undefined }, { bin: BUILT_BIN, cwd: dir });
    expect((await child.exited).code, child.stderr()).toBe(0);
    const stderr = child.stderr();
    expect(stderr).not.toContain('\x1b');
    const logged = stderr.trimEnd().split('\n');
    expect(new Set(logged).size).toBe(logged.length);
    for (const job of JOBS) {
      const own = logged.filter((l) => l.startsWith(`[run-${runs}/root/${job}] `)).map((l) => l.slice(l.indexOf('] ') + 2));
      // the stages in order, the task's progress each time it changed, then the result ("ended: done" would repeat it)
      expect(own.map((l) => l.split(':')[0]).join(' ')).toMatch(/^check fix upload submit wait( wait)+ download done$/);
      expect(own.filter((l) => l.startsWith('wait: ')).slice(1).every((l) => /^wait: (pending|processing|completed) \d+%/.test(l))).toBe(true);
      expect(logged).toContain(`[run-${runs}/root/${job}] check: probing and checking every file`);
      expect(logged).not.toContain(`[run-${runs}/root/${job}] ended: done`);
    }
    const overall = logged.filter((l) => l.startsWith('batch: '));
    expect(overall.map((l) => l.replace(/ · \d+:\d\d elapsed · ETA (\d+:\d\d|-:--)$/, ''))).toEqual([1, 2, 3, 4, 5].map((n) => `batch: 5 jobs: ${n} done, 0 failed, ${5 - n} remaining`));
    expect(overall.at(-1)).toMatch(/ · ETA 0:00$/);
  }, 240_000);

  it('colours the status words with FORCE_COLOR, into a pipe too', async () => {
    const { args, env } = await freshRun();
    const child = startCli(args, { ...env, NO_COLOR: undefined, FORCE_COLOR: '1' }, { bin: BUILT_BIN, cwd: dir });
    expect((await child.exited).code, child.stderr()).toBe(0);
    for (const job of JOBS) expect(child.stderr()).toContain(`[run-${runs}/root/${job}] \x1b[32mdone\x1b[39m: result `);
    expect(child.stderr()).toContain('batch: 5 jobs: \x1b[32m5 done\x1b[39m, 0 failed, 0 remaining');
  }, 240_000);

  it('with -q prints an error and nothing else', async () => {
    const child = startCli(['-q', 'batch', 'nowhere'], {}, { bin: BUILT_BIN, cwd: dir });
    expect(await child.exited).toEqual({ code: 2, signal: null });
    expect(child.stderr()).toBe('seedance-preflight: nowhere does not exist\n');
    expect(child.stdout()).toBe('');
  });
});

void REPO;
