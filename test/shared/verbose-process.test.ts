import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixTargets } from '../../src/pipeline/fix-targets.js';
import { toolBinary } from '../../src/probe/binaries.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { fileArg, runProcess } from '../../src/shared/spawn.js';
import { setVerboseSink, verboseEnabled } from '../../src/shared/verbose-log.js';
import { commandLine, exitLine } from '../../src/shared/verbose-process.js';
import { quoteArg } from '../../src/shared/shell-quote.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { sha256 } from '../helpers/make-media.js';
import { escapeRegExp } from '../helpers/escape-regexp.js';

/** Paths as the line quotes them: the clone's or Node's folder may hold a space. */
const node = quoteArg(process.execPath);
let lines: string[] = [];
afterEach(() => {
  setVerboseSink(null);
  lines = [];
});
const listen = () => setVerboseSink((line) => lines.push(line));
/** Each line with its pid and milliseconds written as PID and MS. */
const shapes = () => lines.map((line) => line.replace(/pid \d+/g, 'pid PID').replace(/in \d+ ms/g, 'in MS ms'));

describe('commandLine and exitLine', () => {
  it.each([
    [['/usr/bin/ffprobe', ['-v', 'error', '-i', 'file:/a b/c.mp4'], 42], "$ /usr/bin/ffprobe -v error -i 'file:/a b/c.mp4'  # pid 42"],
    [['/opt/my ffmpeg/ffmpeg', ['-i', 'https://u:pw@cdn.example/v.mp4?X-Amz-Signature=abc&x-id=GetObject', '-f', 'null', '-'], undefined], "$ '/opt/my ffmpeg/ffmpeg' -i 'https://***@cdn.example/v.mp4?X-Amz-Signature=***&x-id=GetObject' -f null -"],
  ] as const)('%j', ([command, args, pid], line) => {
    expect(commandLine(command, args, pid)).toBe(line);
  });

  it.each([
    [{ exitCode: 0, signalName: null }, 35.4, '← ffprobe pid 7: exit 0 in 35 ms'],
    [{ exitCode: 1, signalName: null }, 1200.6, '← ffprobe pid 7: exit 1 in 1201 ms'],
    [{ exitCode: null, signalName: 'SIGKILL', killedFor: 'timed out' }, 3000, '← ffprobe pid 7: killed by SIGKILL in 3000 ms (timed out)'],
    [{ exitCode: null, signalName: 'SIGSEGV' }, 12, '← ffprobe pid 7: killed by SIGSEGV in 12 ms'],
  ] as const)('%j', (end, ms, line) => {
    expect(exitLine('/x/ffprobe', 7, end, ms)).toBe(line);
  });

  it('a binary that could not start', () => {
    expect(exitLine('/nope/ffmpeg', undefined, { exitCode: null, signalName: null, startError: new Error('spawn /nope/ffmpeg ENOENT') }, 1)).toBe('✗ ffmpeg: could not start in 1 ms (spawn /nope/ffmpeg ENOENT)');
  });
});

describe('runProcess logs each spawn with a sink set', () => {
  it('without a sink: verboseEnabled is false and nothing is logged, not even once a sink is set later', async () => {
    expect(verboseEnabled()).toBe(false);
    await runProcess(process.execPath, ['-e', '0']);
    listen();
    expect(verboseEnabled()).toBe(true);
    expect(lines).toEqual([]);
  });

  it('the command line, then its exit code and time', async () => {
    listen();
    await runProcess(process.execPath, ['-e', 'process.exitCode = 0', "it's $HOME"]);
    await expect(runProcess(process.execPath, ['-e', 'process.exit(3)'])).rejects.toThrow('exited with code 3');
    expect(shapes()).toEqual([
      `$ ${node} -e 'process.exitCode = 0' 'it'\\''s $HOME'  # pid PID`,
      '← node pid PID: exit 0 in MS ms',
      `$ ${node} -e 'process.exit(3)'  # pid PID`,
      '← node pid PID: exit 3 in MS ms',
    ]);
    expect(lines[0]!.match(/pid \d+/)![0]).toBe(lines[1]!.match(/pid \d+/)![0]);
  });

  it('a sink that throws loses its line, never the process run', async () => {
    setVerboseSink(() => {
      throw new Error('EPIPE');
    });
    await expect(runProcess(process.execPath, ['-e', 'process.stdout.write("ran")'])).resolves.toMatchObject({ stdout: 'ran', exitCode: 0 });
  });

  it('a kill says why the tool killed it; a missing binary that it could not start', async () => {
    listen();
    await expect(runProcess(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { timeoutMs: 200 })).rejects.toThrow('timed out');
    await expect(runProcess('/nonexistent/ffmpeg', ['-version'])).rejects.toThrow('could not be started');
    expect(shapes()).toEqual([
      `$ ${node} -e 'setTimeout(() => {}, 20000)'  # pid PID`,
      '← node pid PID: killed by SIGKILL in MS ms (timed out)',
      '$ /nonexistent/ffmpeg -version',
      '✗ ffmpeg: could not start in MS ms (spawn /nonexistent/ffmpeg ENOENT)',
    ]);
  });
});

describe('the real ffprobe and ffmpeg under a sink', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-verbose-')));
  afterAll(() => cleanup());

  it('a probe logs the exact ffprobe command line and its exit', async () => {
    listen();
    const path = fixture('valid-854x480-30fps.mp4');
    const probed = await probeFile(path, { reader: 'ffprobe' });
    expect(probed.ok).toBe(true);
    const ffprobe = toolBinary('ffprobe').path;
    expect(shapes().slice(0, 2)).toEqual([`$ ${quoteArg(ffprobe)} -v error -print_format json -show_format -show_streams -i ${quoteArg(fileArg(resolve(path)))}  # pid PID`, '← ffprobe pid PID: exit 0 in MS ms']);
  });

  it('a fix logs the ffmpeg encode as a line that, pasted into bash, makes the same file', async () => {
    listen();
    const outcome = await fixTargets({ paths: [fixture('small-640x360.mp4')], outDir: join(dir, 'out'), profile: SEED_PROFILE });
    const output = outcome.jobs[0]!.files[0]!.output!;
    const ffmpeg = toolBinary('ffmpeg').path;
    const encodes = lines.filter((line) => line.startsWith(`$ ${quoteArg(ffmpeg)} -hide_banner -nostdin -y`));
    expect(encodes).toHaveLength(1);
    const encode = encodes[0]!;
    const head = `$ ${quoteArg(ffmpeg)} -hide_banner -nostdin -y -loglevel error -nostats -progress pipe:1 -i ${quoteArg(fileArg(fixture('small-640x360.mp4')))} -map 0:0 -vf scale=854:480:flags=bicubic,setsar=1,format=yuv420p `;
    expect(encode.startsWith(head)).toBe(true);
    expect(encode.slice(head.length)).toMatch(new RegExp(`^(\\S+ )*-c:v libx264 .* -f mp4 file:${escapeRegExp(join(dir, 'out'))}/\\.small-640x360\\.spf-[0-9a-f-]+\\.partial\\.mp4  # pid \\d+$`));
    const pid = encode.match(/# pid (\d+)$/)![1];
    expect(shapes().filter((_, i) => lines[i]!.startsWith(`← ffmpeg pid ${pid}:`))).toEqual(['← ffmpeg pid PID: exit 0 in MS ms']);
    setVerboseSink(null);
    // the line as a user copies it, "$ " and the "# pid" comment included, run by a shell
    const partial = encode.match(/file:(\S+\.partial\.mp4)/)![1]!;
    await runProcess('bash', ['-c', encode.slice(2)], { discardStdout: true, env: toolBinary('ffmpeg').env });
    expect(await sha256(partial)).toBe(await sha256(output));
  }, 60_000);
});
