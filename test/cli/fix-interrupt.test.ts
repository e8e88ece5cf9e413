import { existsSync, readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startCli, waitFor, type CliProcess } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/fixtures.js';
import { makeClip, sha256 } from '../helpers/make-media.js';
import { displayPath } from '../../src/shared/display-path.js';

/**
 * `fix` of several videos stopped by a signal, as a terminal sends it (to the process group, ffmpeg included): the
 * file being encoded is stopped and its temporary removed, no other file starts, the file done is kept, and the
 * summary counts what was not fixed. One file at a time (--concurrency 1), so which file is where is known.
 */
let dir: string;
let cleanup: () => Promise<void>;
const clips: string[] = [];
const hashes: string[] = [];
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-fix-interrupt-'));
  // different lengths, so different bytes: no clip is another's fix-cache hit; each takes seconds to re-encode (15 → 24 fps)
  for (const [i, seconds] of [10, 11, 12, 13].entries()) clips.push(await makeClip(dir, `clip-${i + 1}.mp4`, { width: 854, height: 480, fps: 15, seconds }));
  hashes.push(...(await Promise.all(clips.map(sha256))));
}, 120_000);
afterAll(() => cleanup());

const FPS_ACTION = '    video.fps                    frame rate 15 → 24 fps';
/** A path as the process shows it: it runs in the repository, so relative to it. */
const shown = (path: string) => displayPath(path, REPO);

function startFix(name: string): { out: string; child: CliProcess } {
  const out = join(dir, `${name}-out`);
  // a cache of its own per test: a clip the other test finished would be a cache hit, not an encode
  const child = startCli(['fix', ...clips, '--out', out, '--concurrency', '1'], { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, `${name}-cache`) });
  return { out, child };
}

/** The temporary output of clip N while it is being encoded. */
function partialOf(out: string, n: number): string | undefined {
  return existsSync(out) ? readdirSync(out).find((name) => name.startsWith(`.clip-${n}.`) && name.endsWith('.partial.mp4')) : undefined;
}

describe('fix interrupted', () => {
  it('SIGINT while the second of four videos is encoded: exit 130, the first kept, the rest reported not fixed, originals untouched, no temporaries left; a re-run reuses the first', async () => {
    const { out, child } = startFix('sigint');
    try {
      await waitFor(() => existsSync(join(out, 'clip-1.mp4')) && partialOf(out, 2) !== undefined, 'clip-1 done and clip-2 encoding', { timeoutMs: 120_000, everyMs: 20, detail: child.stderr });
    } catch (error) {
      child.killHard();
      throw error;
    }
    process.kill(-child.pid, 'SIGINT');
    expect(await child.exited).toEqual({ code: 130, signal: null });
    expect(child.stdout().split('\n')).toEqual([
      `→ ${shown(clips[0]!)} → ${shown(join(out, 'clip-1.mp4'))}  re-encode`,
      FPS_ACTION,
      `- ${shown(clips[1]!)}  re-encode`,
      FPS_ACTION,
      '    interrupted SIGINT stopped it part-way; nothing written',
      `- ${shown(clips[2]!)}  re-encode`,
      FPS_ACTION,
      '    interrupted SIGINT came before its turn; not started',
      `- ${shown(clips[3]!)}  re-encode`,
      FPS_ACTION,
      '    interrupted SIGINT came before its turn; not started',
      'Fixed: 1 of 4 files (1 re-encoded, 0 remuxed, 0 converted); interrupted: 3 of 4 files not fixed (1 stopped, 2 not started); run again (the finished ones are cached).',
      '',
    ]);
    expect(child.stderr()).not.toMatch(/cancelled|Error/);
    // the finished file under its final name, nothing else: no partial file, nothing of the stopped or unstarted ones
    expect((await readdir(out)).sort()).toEqual(['.seedance-preflight-outputs.json', 'clip-1.mp4']);
    expect(await Promise.all(clips.map(sha256))).toEqual(hashes);

    const again = startFix('sigint');
    expect(await again.child.exited).toEqual({ code: 0, signal: null });
    expect(again.child.stdout().split('\n')[0]).toBe(`→ ${shown(clips[0]!)} → ${shown(join(out, 'clip-1.mp4'))}  re-encode (reused from the fix cache)`);
    expect(again.child.stdout()).toContain('Fixed: 4 files (4 re-encoded, 0 remuxed, 0 converted); every output passes check.\n');
  }, 240_000);

  it('SIGTERM during the first encode: exit 143, nothing written, every file reported not fixed', async () => {
    const { out, child } = startFix('sigterm');
    try {
      await waitFor(() => partialOf(out, 1) !== undefined, 'clip-1 encoding', { timeoutMs: 120_000, everyMs: 20, detail: child.stderr });
    } catch (error) {
      child.killHard();
      throw error;
    }
    process.kill(-child.pid, 'SIGTERM');
    expect(await child.exited).toEqual({ code: 143, signal: null });
    expect(child.stdout().split('\n').slice(-5)).toEqual([
      `- ${shown(clips[3]!)}  re-encode`,
      FPS_ACTION,
      '    interrupted SIGTERM came before its turn; not started',
      'Fixed: 0 of 4 files (0 re-encoded, 0 remuxed, 0 converted); interrupted: 4 of 4 files not fixed (1 stopped, 3 not started); run again (the finished ones are cached).',
      '',
    ]);
    expect(child.stdout()).toContain(`- ${shown(clips[0]!)}  re-encode\n${FPS_ACTION}\n    interrupted SIGTERM stopped it part-way; nothing written\n`);
    expect(await readdir(out)).toEqual([]);
    expect(await Promise.all(clips.map(sha256))).toEqual(hashes);
  }, 240_000);
});
