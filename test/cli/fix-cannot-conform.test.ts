import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';

/** Issue 20, item 4: when no cut can make a request conform, the real `fix` says so before any encode, not only at the end. */
let temp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  temp = await tempDir('sp-fix-cannot-conform-');
});
afterAll(() => temp?.cleanup());

describe('fix on a request no cut can make conform', () => {
  it('says so on stderr before the files are encoded, and fails', async () => {
    const job = join(temp.dir, 'tight');
    await mkdir(job);
    for (const name of ['v1.mp4', 'v2.mp4', 'v3.mp4']) await copyFile(fixture('short-1s.mp4'), join(job, name));
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'three short clips', video_urls: ['v1.mp4', 'v2.mp4', 'v3.mp4'] }));
    await writeFile(join(temp.dir, 'tight.json'), JSON.stringify({ extends: 'seed', request: { totalVideoSeconds: 6 } }));
    const run = await cli(['fix', '--request', 'tight/request.json', '--out', 'out', '--profile', join(temp.dir, 'tight.json'), '--no-cache'], { cwd: temp.dir, env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(temp.dir, 'cache') } });
    const sentence = 'no cut can bring the video files under 6 s: at the least fix can leave them (none cut below 2 s, room for the encoder where cut or extended), they still need 6.6 s together (v1.mp4 2.2 s, v2.mp4 2.2 s, v3.mp4 2.2 s); allowed: at most 6 s (rule request.video_total_duration). To do: use fewer video files.';
    expect(run.code, run.stderr).toBe(1);
    // the first thing fix prints, before its summary names the files it encoded
    expect(run.stderr.split('\n').slice(0, 2)).toEqual(['tight/request.json: the request cannot conform after this fix:', `    error   ${sentence}`]);
    // the files are fixed on their own; the written request, re-checked, still fails on its total (now 2.1 s each, as written)
    const after = sentence.replace('6.6 s together (v1.mp4 2.2 s, v2.mp4 2.2 s, v3.mp4 2.2 s)', '6.3 s together (v1.mp4 2.1 s, v2.mp4 2.1 s, v3.mp4 2.1 s)');
    expect(run.stdout.split('\n').slice(-4)).toEqual(['✗ request out/request.json', `    error   ${after}`, 'Fixed: 3 files (3 re-encoded, 0 remuxed, 0 converted); every output passes check; the request still has errors.', '']);
  }, 120_000);
});
