import { chmod, copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureExecutable, toolBinary } from '../../src/probe/binaries.js';
import { runProcess } from '../../src/shared/spawn.js';
import { tempDir } from '../helpers/fixtures.js';

describe('toolBinary', () => {
  it('uses FFMPEG_PATH / FFPROBE_PATH when set', () => {
    // run with the environment they were chosen from, and glibc's character-set modules switched off (static builds crash on them)
    const noGconv = '/nonexistent/seedance-preflight-no-gconv';
    expect(toolBinary('ffprobe', { FFPROBE_PATH: '/opt/ff/ffprobe' })).toEqual({ name: 'ffprobe', path: '/opt/ff/ffprobe', origin: 'env', env: { FFPROBE_PATH: '/opt/ff/ffprobe', GCONV_PATH: noGconv } });
    expect(toolBinary('ffmpeg', { FFMPEG_PATH: '/opt/ff/ffmpeg' })).toEqual({ name: 'ffmpeg', path: '/opt/ff/ffmpeg', origin: 'env', env: { FFMPEG_PATH: '/opt/ff/ffmpeg', GCONV_PATH: noGconv } });
  });

  it('finds the bundled binaries, executable, and they run', async () => {
    for (const name of ['ffmpeg', 'ffprobe'] as const) {
      const binary = toolBinary(name, {});
      expect(binary.origin).toBe('bundled');
      expect((await stat(binary.path)).mode & 0o100).toBe(0o100);
      const { stdout } = await runProcess(binary.path, ['-version']);
      expect(stdout.startsWith(`${name} version `)).toBe(true);
    }
  });

  it('restores the run bit of a bundled binary whose install script was skipped', async () => {
    const { dir, cleanup } = await tempDir();
    const path = join(dir, 'ffprobe');
    await copyFile(toolBinary('ffprobe', {}).path, path);
    await chmod(path, 0o644);
    const usable = ensureExecutable('ffprobe', path);
    expect((await stat(usable)).mode & 0o111).toBe(0o111);
    const { stdout } = await runProcess(usable, ['-version']);
    expect(stdout.startsWith('ffprobe version ')).toBe(true);
    await cleanup();
  });

  it('an override that is not executable fails with the exit reason, not a hang', async () => {
    const { dir, cleanup } = await tempDir();
    const path = join(dir, 'ffprobe');
    await copyFile(process.execPath, path);
    await chmod(path, 0o644);
    const binary = toolBinary('ffprobe', { FFPROBE_PATH: path });
    await expect(runProcess(binary.path, ['-version'])).rejects.toThrow(/EACCES/);
    await cleanup();
  });
});
