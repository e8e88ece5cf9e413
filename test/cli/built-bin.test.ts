import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.js';
import { displayPath } from '../../src/shared/display-path.js';

// the bundled CLI that `npx seedance-preflight` runs; `npm ci` builds it through the prepare script
const bin = 'dist/cli/bin.js';
/** A path as the bundle shows it: relative to the folder it runs in (this process's). */
const shown = (path: string) => displayPath(path, process.cwd());
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, SEEDANCE_PREFLIGHT_CACHE_DIR: '' } });

describe('the built bundle (dist/cli/bin.js)', () => {
  it('exists: npm ci builds it', () => {
    expect(existsSync(bin), `${bin} is missing: run npm run build`).toBe(true);
  });

  it('prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const result = run('--version');
    expect(result.stdout).toBe(`${version}\n`);
    expect(result.status).toBe(0);
  });

  it('loads a lazily bundled command and the externals it needs (sharp, ffprobe)', () => {
    const result = run('check', '--no-cache', '--json', fixture('landscape-1280x720.jpg'), fixture('fps-120.mp4'));
    const report = JSON.parse(result.stdout) as { files: Array<{ path: string; violations: Array<{ rule: string }> }> };
    expect(report.files.map((f) => [f.path, f.violations.map((v) => v.rule)])).toEqual([
      [shown(fixture('landscape-1280x720.jpg')), []],
      [shown(fixture('fps-120.mp4')), ['video.fps']],
    ]);
    expect(result.status).toBe(1);
  });

  it('reads video and audio in-process from its own mediabunny chunk, and ffprobe still takes the rest', () => {
    const result = run('check', '--no-cache', '--json', fixture('valid-3s.mp3'), fixture('vp9.webm'), fixture('mpeg4.avi'));
    const report = JSON.parse(result.stdout) as { files: Array<{ path: string; violations: Array<{ rule: string }> }> };
    expect(report.files.map((f) => [f.path, f.violations.map((v) => v.rule)])).toEqual([
      [shown(fixture('valid-3s.mp3')), []],
      [shown(fixture('vp9.webm')), ['video.format', 'video.codec', 'video.audio_codec']],
      [shown(fixture('mpeg4.avi')), ['video.format', 'video.codec']],
    ]);
  });

  it('keeps mediabunny off the start-up path: only a dynamic import reaches its chunk', () => {
    const chunks = readdirSync('dist/cli/chunks').filter((name) => name.endsWith('.js'));
    const toolkit = chunks.filter((name) => name.startsWith('mediabunny-parts-'));
    expect(toolkit).toHaveLength(1);
    const staticImporters = [bin, ...chunks.map((name) => `dist/cli/chunks/${name}`)].filter((path) => new RegExp(`from\\s*"[^"]*${toolkit[0]}"`).test(readFileSync(path, 'utf8')));
    expect(staticImporters).toEqual([]);
  });

  it('runs doctor', () => {
    const result = run('doctor');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('profile: seed: Limits of the seed documents (docs/LIMITS.md), MB read as 10^6 bytes');
    expect(result.status).toBe(0);
  });
});
