import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixFile } from '../../src/normalize/fix-file.js';
import type { ImagePlan, KeepPlan, VideoPlan } from '../../src/normalize/fix-plan.js';
import { emptyJournal, writeJournal } from '../../src/pipeline/journal.js';
import { diskOf } from '../../src/shared/disk-of.js';
import { formatBytes } from '../../src/shared/describe-fs-error.js';
import { fileSystemError, FileSystemError } from '../../src/shared/file-system-error.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture } from '../helpers/fixtures.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';

const VIDEO_PLAN: VideoPlan = {
  type: 'video', kind: 'video', source: fixture('fps-15.mp4'), extension: 'mp4', actions: [], mode: 'reencode', streams: { video: 0, audio: null },
  video: { orientation: { rotation: 0, mirrored: false }, tonemap: null, geometry: null, fps: 24, bitrateKbps: null, color: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' } },
  audio: 'none', duration: null, extendBy: 0,
};

const KIB = 256;
const mounted = await mountSmallDisk(KIB);
if (typeof mounted === 'string') console.log(`full-disk tests skipped: ${mounted}`);
const disk = typeof mounted === 'string' ? null : mounted;

describe.skipIf(disk === null)('a full disk, for real (a tmpfs of its own)', () => {
  const small = disk as SmallDisk;
  beforeAll(async () => {
    await mkdir(join(small.dir, 'out'));
    await small.fill();
  });
  afterAll(() => small.unmount());

  /** The sentence every full-disk error ends with, for a file written into `folder` on the small disk. */
  const room = async () => `file system ${small.dir}: ${formatBytes(await small.freeBytes())} free of ${formatBytes(KIB * 1024)}`;
  const hint = `free space on ${small.dir}, or choose another --out/--work folder on a disk with room; then run again`;

  it('diskOf finds the mount point and its size from a path below it, even one not made yet', async () => {
    expect(await diskOf(join(small.dir, 'out', 'not', 'yet.mp4'))).toEqual({ mount: small.dir, freeBytes: await small.freeBytes(), totalBytes: KIB * 1024 });
  });

  it('a journal written onto it: one line naming the disk, the folder and journal.json (not its temporary name)', async () => {
    const work = join(small.dir, 'out');
    const error = await writeJournal(work, { ...emptyJournal('/jobs/a'), inputs: null, history: [], hashes: [{ path: '/x', size: 1, mtimeMs: 1, sha256: 'a'.repeat(64) }] }).then(() => null, (e: unknown) => e);
    const described = await fileSystemError(error);
    expect(described).toBeInstanceOf(FileSystemError);
    expect(described!.message).toBe(`no space left on the disk holding ${work} (writing ${work}/journal.json; ${await room()})`);
    expect(described!.hint).toBe(hint);
    // the temporary went with the failed write
    expect((await readdir(work)).filter((name) => name.includes('partial'))).toEqual([]);
  });

  const IMAGE: ImagePlan = { type: 'image', kind: 'image', source: fixture('landscape-1280x720.jpg'), extension: 'png', actions: [], mode: 'convert', format: 'png', geometry: null, autoOrient: false, decoder: 'sharp', maxBytes: 30 * 1024 * 1024 };
  const KEEP: KeepPlan = { type: 'keep', kind: 'video', source: fixture('valid-854x480.mov'), extension: 'mov', actions: [], mode: 'copy' };

  it.each([
    ['an ffmpeg encode', VIDEO_PLAN, 'clip.mp4'],
    ['a sharp conversion', IMAGE, 'still.png'],
    ['a copy', KEEP, 'copy.mov'],
  ])('%s onto it throws FileSystemError naming the disk and the output, never the source; no temporary is left', async (_name, plan, name) => {
    const out = join(small.dir, 'out');
    const error = await fixFile(plan, { outputPath: join(out, name), profile: SEED_PROFILE }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(FileSystemError);
    expect((error as FileSystemError).code).toBe('ENOSPC');
    expect((error as FileSystemError).message).toBe(`no space left on the disk holding ${out} (${plan.type === 'keep' ? 'copying' : 'writing'} ${join(out, name)}; ${await room()})`);
    expect((error as FileSystemError).hint).toBe(hint);
    expect((error as FileSystemError).message).not.toContain(plan.source);
    expect((await readdir(out)).filter((entry) => entry.includes('partial'))).toEqual([]);
  });
});

const partly = disk ? await mountSmallDisk(512) : null;

describe.skipIf(partly === null || typeof partly === 'string')('a disk that fills during an encode (24 KiB left)', () => {
  const small = partly as SmallDisk;
  beforeAll(async () => {
    await mkdir(join(small.dir, 'out'));
    await small.fill(24);
  });
  afterAll(() => small.unmount());

  // the room is taken when the error is made: the half-written temporary still fills the disk then
  it('ffmpeg exits 0 after "Error writing trailer …: No space left on device": still a FileSystemError, no half file left', async () => {
    const out = join(small.dir, 'out');
    const error = await fixFile(VIDEO_PLAN, { outputPath: join(out, 'clip.mp4'), profile: SEED_PROFILE }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(FileSystemError);
    expect((error as FileSystemError).message).toBe(`no space left on the disk holding ${out} (writing ${join(out, 'clip.mp4')}; file system ${small.dir}: 0 B free of 512.0 KiB)`);
    expect((error as FileSystemError).cause).toMatchObject({ kind: 'process', exitCode: 0 });
    expect(await readdir(out)).toEqual([]);
  });
});
