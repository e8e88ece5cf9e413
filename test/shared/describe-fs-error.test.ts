import { describe, expect, it } from 'vitest';
import { describeFsError, formatBytes, fsErrorFacts, refusedWriteIn, shownPath, type DiskFacts, type FsErrorFacts } from '../../src/shared/describe-fs-error.js';
import { temporaryPathFor } from '../../src/shared/temp-file.js';
import { refusedConnection } from '../helpers/refused-connection.js';

const FULL: DiskFacts = { mount: '/mnt/small', freeBytes: 0, totalBytes: 2 * 1024 * 1024 };
const JOURNAL_TEMP = temporaryPathFor('/jobs/a/.seedance-preflight/journal.json');

describe('describeFsError', () => {
  const rows: [string, FsErrorFacts, DiskFacts | null, string, string][] = [
    [
      'a full disk while writing the journal: the disk and the folder, the final name (not the temporary)',
      { code: 'ENOSPC', syscall: 'write', path: JOURNAL_TEMP },
      FULL,
      'no space left on the disk holding /jobs/a/.seedance-preflight (writing /jobs/a/.seedance-preflight/journal.json; file system /mnt/small: 0 B free of 2.0 MiB)',
      'free space on /mnt/small, or choose another --out/--work folder on a disk with room; then run again',
    ],
    [
      'a full disk, statfs unanswered',
      { code: 'ENOSPC', syscall: 'open', path: '/out/clip.mp4' },
      { mount: '/out', freeBytes: null, totalBytes: null },
      'no space left on the disk holding /out (opening /out/clip.mp4; file system /out)',
      'free space on /out, or choose another --out/--work folder on a disk with room; then run again',
    ],
    ['a full disk, no path known', { code: 'ENOSPC' }, null, 'no space left', 'free space on the disk, or choose another --out/--work folder on a disk with room; then run again'],
    [
      'a quota',
      { code: 'EDQUOT', syscall: 'write', path: '/home/u/out/a.png' },
      { mount: '/home', freeBytes: 5 * 1024 ** 3, totalBytes: 100 * 1024 ** 3 },
      'the disk quota is used up on the disk holding /home/u/out (writing /home/u/out/a.png; file system /home: 5.0 GiB free of 100.0 GiB)',
      'free space on /home (within your quota), or choose another --out/--work folder on a disk with room; then run again',
    ],
    [
      'a copy that filled the disk names the destination, not the source',
      { code: 'ENOSPC', syscall: 'copyfile', path: '/media/src.mp4', dest: '/out/.src.spf-00000000-1-00000000.partial.mp4' },
      null,
      'no space left on the disk holding /out (copying /out/src.mp4)',
      'free space on /out, or choose another --out/--work folder on a disk with room; then run again',
    ],
    ['read-only', { code: 'EROFS', syscall: 'open', path: '/ro/report.html' }, null, '/ro/report.html is on a read-only file system', 'choose another --out/--work folder, on a writable disk, or remount that disk read-write'],
    ['permission', { code: 'EACCES', syscall: 'open', path: '/etc/x.json' }, null, 'permission denied opening /etc/x.json', 'check the permissions of /etc/x.json and of its folder (ls -ld), or choose another path'],
    ['permission to rename', { code: 'EPERM', syscall: 'rename', path: '/a/x', dest: '/b/x' }, null, 'permission denied renaming /a/x to /b/x', 'check the permissions of /a/x and of its folder (ls -ld), or choose another path'],
    ['mkdir onto a file', { code: 'EEXIST', syscall: 'mkdir', path: '/tmp/afile' }, null, '/tmp/afile is a file, not a folder', 'name a folder there (or a path that does not exist yet), or move the file away'],
    ['exclusive create onto a file', { code: 'EEXIST', syscall: 'open', path: '/tmp/x' }, null, '/tmp/x already exists', 'move it away, or choose another name'],
    ['a folder listed that is a file', { code: 'ENOTDIR', syscall: 'scandir', path: '/tmp/afile' }, null, '/tmp/afile is a file, not a folder', 'name a folder there'],
    ['a file in the way', { code: 'ENOTDIR', syscall: 'mkdir', path: '/tmp/afile/x', fileInTheWay: '/tmp/afile' }, null, '/tmp/afile is a file, not a folder (in the way of /tmp/afile/x)', 'name a path under a folder, or move the file away'],
    ['a folder listed under a file', { code: 'ENOTDIR', syscall: 'scandir', path: '/tmp/afile/x', fileInTheWay: '/tmp/afile' }, null, '/tmp/afile is a file, not a folder (in the way of /tmp/afile/x)', 'name a path under a folder, or move the file away'],
    ['a folder listed that is a file, found', { code: 'ENOTDIR', syscall: 'scandir', path: '/tmp/afile', fileInTheWay: '/tmp/afile' }, null, '/tmp/afile is a file, not a folder', 'name a folder there'],
    ['a file in the way, not found', { code: 'ENOTDIR', syscall: 'open', path: '/tmp/afile/x' }, null, 'a part of /tmp/afile/x is a file, not a folder', 'check the path: every part before the last must be a folder'],
    ['a folder read as a file', { code: 'EISDIR', syscall: 'read' }, null, 'a folder stands where a file belongs', 'name a file there (or a path that does not exist yet)'],
    ['gone', { code: 'ENOENT', syscall: 'rename', path: '/w/x', dest: '/w/y' }, null, '/w/x does not exist', 'check the path; if it was there, something removed it while the command ran'],
    ['a long name', { code: 'ENAMETOOLONG', syscall: 'open', path: `/tmp/${'é'.repeat(130)}` }, null, `a name in /tmp/${'é'.repeat(130)} is too long for the file system (its longest part is 260 bytes; most file systems allow 255)`, 'shorten that file or folder name'],
    ['a link where a file belongs', { code: 'ELOOP', syscall: 'open', path: '/w/journal.json' }, null, '/w/journal.json is a symbolic link where a real file or folder is required, or a loop of links', 'replace the link with what it points to'],
    ['open files', { code: 'EMFILE', syscall: 'open', path: '/m/a.mp4' }, null, "too many open files (this process's limit) opening /m/a.mp4", 'raise the limit (ulimit -n 4096) or lower --concurrency'],
    ['open files, system', { code: 'ENFILE', syscall: 'open', path: '/m/a.mp4' }, null, "too many open files (the system's limit) opening /m/a.mp4", 'raise the limit (ulimit -n 4096) or lower --concurrency'],
    ['memory', { code: 'ENOMEM', syscall: 'read', path: '/m/a.mp4' }, null, 'out of memory reading /m/a.mp4', 'free memory, or lower --concurrency'],
    ['too large', { code: 'EFBIG', syscall: 'write', path: '/fat/out.mp4' }, null, '/fat/out.mp4 grew larger than its file system allows', 'choose another --out/--work folder, on a disk whose file system holds larger files'],
    ['i/o', { code: 'EIO', syscall: 'read', path: '/nfs/a.mp4' }, null, 'input/output error reading /nfs/a.mp4: the disk or network file system failed', 'check the disk (dmesg) and its connection, then run again'],
    ['busy', { code: 'EBUSY', syscall: 'rmdir', path: '/mnt/x' }, null, '/mnt/x is busy: another process holds it', 'wait for that process to end, then run again'],
    ['stale', { code: 'ESTALE', syscall: 'open', path: '/nfs/a' }, null, '/nfs/a is on a network file system whose server no longer knows it (stale file handle)', 'remount the network file system, then run again'],
    ['across disks', { code: 'EXDEV', syscall: 'rename', path: '/a/x', dest: '/b/x' }, null, '/a/x cannot be moved to /b/x: they are on different disks', 'keep the output and work folders on one disk'],
    ['a socket', { code: 'ENXIO', syscall: 'open', path: '/run/x.sock' }, null, '/run/x.sock is a device or socket, not a file', 'name a regular file there'],
    ['anything else', { code: 'EWHATEVER', syscall: 'unlink', path: '/a/b' }, null, 'removing /a/b failed (EWHATEVER)', 'check the path and the disk, then run again'],
  ];
  it.each(rows)('%s', (_name, facts, disk, message, hint) => {
    expect(describeFsError(facts, disk)).toEqual({ message, hint });
  });
});

describe('fsErrorFacts', () => {
  it('takes the errno facts of a real node:fs error', async () => {
    const { mkdir } = await import('node:fs/promises');
    const error = await mkdir('/proc/seedance-preflight-test').catch((e: unknown) => e);
    expect(fsErrorFacts(error)).toEqual({ code: 'ENOENT', syscall: 'mkdir', path: '/proc/seedance-preflight-test', dest: undefined });
  });
  it.each([
    ['a Node code that is no errno', Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' })],
    ['no code', new Error('x')],
    ['not an object', 'ENOSPC'],
    ['null', null],
    // network failures are errno-shaped but no file's: Redis or the API refusing a connection is never "writing a file failed"
    ['ECONNREFUSED from connect', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 6379 })],
    ['ETIMEDOUT with no syscall', Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' })],
    ['ECONNRESET on a socket read', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' })],
    ['ENOTFOUND from getaddrinfo', Object.assign(new Error('getaddrinfo ENOTFOUND redis.invalid'), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'redis.invalid' })],
    ['EPIPE on a socket write', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' })],
    ['a network code even with a path', Object.assign(new Error('x'), { code: 'ECONNRESET', syscall: 'read', path: '/w/x' })],
    ['an errno-shaped code from a network call', Object.assign(new Error('x'), { code: 'EACCES', syscall: 'connect' })],
    ['an errno-shaped code naming no path and no file-system call', Object.assign(new Error('x'), { code: 'EIO' })],
    ['a code with an unknown call and no path', Object.assign(new Error('x'), { code: 'ENOMEM', syscall: 'uv_os_homedir' })],
  ])('null for %s', (_name, error) => {
    expect(fsErrorFacts(error)).toBeNull();
  });

  it.each([
    ['a write on an open handle (no path)', { code: 'ENOSPC', syscall: 'write' }, { code: 'ENOSPC', syscall: 'write', path: undefined, dest: undefined }],
    ['a rename naming both paths', { code: 'EXDEV', syscall: 'rename', path: '/a/x', dest: '/b/x' }, { code: 'EXDEV', syscall: 'rename', path: '/a/x', dest: '/b/x' }],
    ['a path with no syscall', { code: 'ENOENT', path: '/a/x' }, { code: 'ENOENT', syscall: undefined, path: '/a/x', dest: undefined }],
    ['fsync on a handle', { code: 'EIO', syscall: 'fsync' }, { code: 'EIO', syscall: 'fsync', path: undefined, dest: undefined }],
  ])('facts for %s', (_name, fields, facts) => {
    expect(fsErrorFacts(Object.assign(new Error('x'), fields))).toEqual(facts);
  });

  it('a real refused connection (a closed port) is no file-system error', async () => {
    const error = await refusedConnection();
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(fsErrorFacts(error)).toBeNull();
  });
});

describe('refusedWriteIn (captured tool output)', () => {
  it.each([
    // ffmpeg 4.x/6.x writing an MP4 onto a 100 KiB tmpfs (captured)
    ['av_interleaved_write_frame(): No space left on device\nError writing trailer of file:/tmp/m/z.mp4: No space left on device', 'ENOSPC'],
    // the bundled ffmpeg opening its output on a full tmpfs (captured)
    ['Error initializing output stream 0:0 -- Could not write header for output file #0 (incorrect codec parameters ?): No space left on device', 'ENOSPC'],
    // sharp (libvips) writing a JPEG onto a full tmpfs (captured)
    ['/tmp/m/y.jpg: write error\nsystem error: No space left on device\nVipsJpeg: unable to write to target', 'ENOSPC'],
    ['Error opening output file:/q/x.mp4: Disk quota exceeded', 'EDQUOT'],
    ['[out#0/mp4 @ 0x1] Error opening output /ro/x.mp4: Read-only file system', 'EROFS'],
    ['av_interleaved_write_frame(): File too large', 'EFBIG'],
    // the source's fault: not a refused write
    ['/in/a.mp4: Invalid data found when processing input', null],
    ['moov atom not found', null],
    ['', null],
  ])('%j → %s', (text, code) => {
    expect(refusedWriteIn(text)).toBe(code);
  });
});

describe('shownPath and formatBytes', () => {
  it.each([
    [temporaryPathFor('/w/journal.json'), '/w/journal.json'],
    [temporaryPathFor('/out/clip.mp4'), '/out/clip.mp4'],
    [`${temporaryPathFor('/out/photo.jpg')}.decoded.png`, '/out/photo.jpg'],
    [temporaryPathFor('/out/README'), '/out/README'],
    // a user's file named like the old scheme is shown as it is
    ['/out/.clip.1a2b3c4d.partial.mp4', '/out/.clip.1a2b3c4d.partial.mp4'],
    ['/plain/file.txt', '/plain/file.txt'],
    // a report's assets folder while it is built
    ['/r/report.assets.4242.partial', '/r/report.assets'],
  ])('%s → %s', (path, shown) => {
    expect(shownPath(path)).toBe(shown);
  });
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [2 * 1024 * 1024, '2.0 MiB'],
    [1.5 * 1024 ** 3, '1.5 GiB'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
