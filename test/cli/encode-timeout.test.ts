import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolBinary } from '../../src/probe/binaries.js';
import { REPO, startCli } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/fixtures.js';
import { makeTone } from '../helpers/make-media.js';
import { cli } from '../helpers/run-cli.js';
import { displayPath } from '../../src/shared/display-path.js';

let dir: string;
let cleanup: () => Promise<void>;
let source: string;
let starvedFfmpeg: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-encode-timeout-'));
  // FLAC must become MP3: one real encode
  source = await makeTone(dir, 'voice.flac', { seconds: 10, codec: ['-c:a', 'flac'], format: 'flac' });
  // the real ffmpeg, frozen by the system before an encode (SIGSTOP; its other uses run), as on a machine too loaded to schedule it: no progress ever comes
  starvedFfmpeg = join(dir, 'starved-ffmpeg');
  await writeFile(starvedFfmpeg, `#!/bin/sh\ncase "$*" in *' -progress '*) kill -STOP $$ ;; esac\nexec '${toolBinary('ffmpeg').path}' "$@"\n`);
  await chmod(starvedFfmpeg, 0o755);
});
afterAll(() => cleanup());

const STALLED = 'ffmpeg made no progress for 1 s (at 0 s of 10 s): the machine may be overloaded or the file damaged; try --encode-timeout 0 (no limit) or a larger value, or fix this file alone';

describe('fix --encode-timeout', () => {
  it('stops an encode that makes no progress: exit 1, the file and what to try named, no temporary left', async () => {
    const out = join(dir, 'out-flag');
    const run = startCli(['fix', source, '--out', out, '--no-cache', '--encode-timeout', '1'], { FFMPEG_PATH: starvedFfmpeg });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stdout()).toBe(
      // the process runs in the repository: the file is named relative to it
      `✗ ${displayPath(source, REPO)}  re-encode\n` +
        '    audio.format                 FLAC → MP3\n' +
        `    error   ${STALLED}\n` +
        'Fixed: 0 of 1 file (0 re-encoded, 0 remuxed, 0 converted); 1 could not be fixed.\n',
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('takes the window from SEEDANCE_ENCODE_TIMEOUT when the flag is absent', async () => {
    const out = join(dir, 'out-env');
    const run = startCli(['fix', source, '--out', out, '--no-cache'], { FFMPEG_PATH: starvedFfmpeg, SEEDANCE_ENCODE_TIMEOUT: '1' });
    expect((await run.exited).code).toBe(1);
    expect(run.stdout()).toContain(`    error   ${STALLED}\n`);
    expect(await readdir(out)).toEqual([]);
  });

  it.each([
    [['--encode-timeout', 'soon'], {}, '--encode-timeout must be a number of seconds, 0 for no limit, not "soon"'],
    [['--encode-timeout', '-5'], {}, '--encode-timeout must be a number of seconds, 0 for no limit, not "-5"'],
    [[], { SEEDANCE_ENCODE_TIMEOUT: '1m' }, 'SEEDANCE_ENCODE_TIMEOUT must be a number of seconds, 0 for no limit, not "1m"'],
  ])('refuses %j %j as a usage error (exit 2)', async (flags, env, message) => {
    const result = await cli(['fix', source, '--out', join(dir, 'never'), ...flags], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`seedance-preflight: ${message}\n`);
  });

  it('is a worker flag too, refused before the worker connects to anything', async () => {
    const settings = { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret', SEEDANCE_S3_BUCKET: 'media', EVOLINK_API_KEY: 'key', SEEDANCE_QUEUE_URL: 'redis://127.0.0.1:1' };
    const result = await cli(['worker', '--encode-timeout', '1 minute'], { env: settings });
    expect([result.code, result.stderr]).toEqual([2, 'seedance-preflight: --encode-timeout must be a number of seconds, 0 for no limit, not "1 minute"\n']);
  });
});
