import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures.js';
import { projectFolder } from './settings/project-folder.js';
import { cli } from '../helpers/run-cli.js';
import { toolBinary } from '../../src/probe/binaries.js';

const CLEAN = { SEEDANCE_S3_BUCKET: '', SEEDANCE_S3_PREFIX: '', SEEDANCE_S3_ENDPOINT: '', SEEDANCE_S3_FORCE_PATH_STYLE: '', SEEDANCE_S3_URL_MODE: '', SEEDANCE_S3_EXPIRES: '', SEEDANCE_S3_PUBLIC_BASE_URL: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_PROFILE: '' };

describe('doctor: S3 settings', () => {
  it('shows the upload settings from SEEDANCE_S3_* and credentials only as present', async () => {
    const env = { ...CLEAN, SEEDANCE_S3_BUCKET: 'media', SEEDANCE_S3_PREFIX: 'seedance', SEEDANCE_S3_ENDPOINT: 'http://127.0.0.1:4568', SEEDANCE_S3_FORCE_PATH_STYLE: '1', SEEDANCE_S3_URL_MODE: 'presigned', SEEDANCE_S3_EXPIRES: '7200', AWS_ACCESS_KEY_ID: 'AKIA-DOCTOR-KEY-ID', AWS_SECRET_ACCESS_KEY: 'doctor-secret-NEVER' };
    const run = await cli(['doctor'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'S3: bucket media  prefix seedance/  endpoint http://127.0.0.1:4568 path-style  region us-east-1\n' +
        '    URL mode presigned (expires after 7200 s)  public base URL (none)\n' +
        '    AWS_ACCESS_KEY_ID set (hidden)  AWS_SECRET_ACCESS_KEY set (hidden)  AWS_SESSION_TOKEN not set\n',
    );
    expect(run.stdout + run.stderr).not.toContain('doctor-secret-NEVER');
    expect(run.stdout + run.stderr).not.toContain('AKIA-DOCTOR-KEY-ID');
  });

  it('--json: flags override variables; no bucket is shown as unset', async () => {
    const env = { ...CLEAN, SEEDANCE_S3_ENDPOINT: 'http://127.0.0.1:1', SEEDANCE_S3_PUBLIC_BASE_URL: 'https://cdn.example.com', AWS_REGION: 'eu-west-1', AWS_PROFILE: 'work' };
    const run = await cli(['--json', '--endpoint', 'https://acct.r2.cloudflarestorage.com', '--force-path-style', 'doctor'], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).settings.s3).toEqual({
      bucket: null,
      prefix: '',
      endpoint: 'https://acct.r2.cloudflarestorage.com',
      forcePathStyle: true,
      region: 'eu-west-1',
      urlMode: 'public',
      expiresSeconds: 86_400,
      publicBaseUrl: 'https://cdn.example.com',
      accessKeyId: 'not set',
      secretAccessKey: 'not set',
      sessionToken: 'not set',
      profile: 'work',
      error: null,
      bucketBySection: {},
    });
  });

  it('names a setting that upload would refuse', async () => {
    const run = await cli(['doctor'], { env: { ...CLEAN, SEEDANCE_S3_URL_MODE: 'private' } });
    expect(run.stdout).toContain('✗ S3: SEEDANCE_S3_URL_MODE must be "public" or "presigned", not "private"\n');
    expect(run.stdout).toContain('    AWS_ACCESS_KEY_ID not set  AWS_SECRET_ACCESS_KEY not set  AWS_SESSION_TOKEN not set\n');
  });
});

describe('doctor: which reader probes each kind of file', () => {
  it('lists the in-process containers, those ffprobe always reads and why, and when ffprobe takes over', async () => {
    const run = await cli(['doctor'], { env: CLEAN });
    expect(run.code).toBe(0);
    expect(run.stdout.slice(run.stdout.indexOf('probing video and audio'))).toBe(
      'probing video and audio: in-process (mediabunny, no process per file) for MP4, MOV, M4A, 3GP, MKV, WEBM, MP3, WAV, FLAC, OGG\n' +
        '    ffprobe for AAC: ADTS holds no length: ffprobe estimates it and counts the packets\n' +
        '    ffprobe for MPEGTS: its timing (PTS from the first packet of each stream) is not reproduced in-process\n' +
        '    ffprobe for MPEGPS, AVI, FLV, ASF, MXF, AIFF, RF64, WAVPACK, AC3, AMR, M4V: not read by the toolkit\n' +
        '    ffprobe also for a file of the in-process containers when the reading is unsure: an estimated duration, a codec other than H.264, H.265 or VP9 video ' +
        '(or one whose audio ffprobe would name otherwise), a parse error, a file that may be truncated, or a trait it cannot read exactly: HDR or rare colour ' +
        'tags, an edit list that trims, text or data tracks, cover art or attachments, a variable or implausible frame rate\n' +
        'probing images: sharp metadata, no decode; HEIC: libheif header reading, no decode; BMP, PSD, JPEG 2000: ffprobe\n',
    );
  });

  it('--json: the same routes as data', async () => {
    const run = await cli(['doctor', '--json'], { env: CLEAN });
    const { probing } = JSON.parse(run.stdout).settings;
    expect(probing.inProcess).toEqual(['mp4', 'mov', 'm4a', '3gp', 'mkv', 'webm', 'mp3', 'wav', 'flac', 'ogg']);
    expect(probing.ffprobe).toEqual([
      { formats: ['aac'], why: 'ADTS holds no length: ffprobe estimates it and counts the packets' },
      { formats: ['mpegts'], why: 'its timing (PTS from the first packet of each stream) is not reproduced in-process' },
      { formats: ['mpegps', 'avi', 'flv', 'asf', 'mxf', 'aiff', 'rf64', 'wavpack', 'ac3', 'amr', 'm4v'], why: 'not read by the toolkit' },
    ]);
    expect(Object.keys(probing)).toEqual(['inProcess', 'ffprobe', 'ffprobeWhenUnsure', 'images']);
  });
});

describe('doctor: a newer ffmpeg on the PATH', () => {
  const debian = existsSync('/usr/bin/ffmpeg') && existsSync('/usr/bin/ffprobe');
  const required = process.env.SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE === '1';
  if (!debian && !required) console.log("doctor's newer-ffmpeg test skipped: Debian's ffmpeg is not installed (apt-get install ffmpeg)");

  it.runIf(debian || required)("names Debian's ffmpeg and ffprobe, newer than the bundled 2018/2023 builds, and the variable that selects each", async () => {
    const run = await cli(['--json', 'doctor'], { env: { ...CLEAN, PATH: '/usr/bin', FFMPEG_PATH: '', FFPROBE_PATH: '' } });
    const tools = (JSON.parse(run.stdout) as { tools: Array<{ name: string; year: number; newerOnPath: { path: string; year: number } | null }> }).tools;
    expect(tools.map((t) => [t.name, t.year, t.newerOnPath?.path, (t.newerOnPath?.year ?? 0) > t.year])).toEqual([
      ['ffmpeg', 2018, '/usr/bin/ffmpeg', true],
      ['ffprobe', 2023, '/usr/bin/ffprobe', true],
    ]);
    const text = await cli(['doctor'], { env: { ...CLEAN, PATH: '/usr/bin', FFMPEG_PATH: '', FFPROBE_PATH: '' } });
    expect(text.stdout).toMatch(/\n {4}a newer ffmpeg is on the PATH: \/usr\/bin\/ffmpeg \S+ \(\d{4}\); to use it: export FFMPEG_PATH=\/usr\/bin\/ffmpeg\n/);
  });

  it('says nothing of the PATH when no ffmpeg is on it, or when FFMPEG_PATH chose one', async () => {
    const bare = await cli(['--json', 'doctor'], { env: { ...CLEAN, PATH: '/nonexistent', FFMPEG_PATH: '', FFPROBE_PATH: '' } });
    expect((JSON.parse(bare.stdout) as { tools: Array<{ newerOnPath: unknown }> }).tools.map((t) => t.newerOnPath)).toEqual([null, null]);
    const chosen = await cli(['doctor'], { env: { ...CLEAN, PATH: '/usr/bin', FFMPEG_PATH: toolBinary('ffmpeg', {}).path, FFPROBE_PATH: '' } });
    expect(chosen.stdout).not.toContain('a newer ffmpeg is on the PATH');
  });
});

describe("doctor: every command's settings, checked, and variables the tool never reads", () => {
  const CLEAR = Object.fromEntries(Object.keys(process.env).filter((k) => /^(SEEDANCE_|EVOLINK_BASE_URL$)/.test(k)).map((k) => [k, '']));
  const project = async (config: object) => projectFolder((await tmp).dir, config);
  const tmp = tempDir('sp-doctor-');
  afterAll(async () => (await tmp).cleanup());

  it("a value only a command's section gives is shown with that section; unset ones name the config key too", async () => {
    const cwd = await project({ upload: { bucket: 'b' }, run: { bucket: 'c' }, worker: { queue: 'redis://q:6379' } });
    const run = await cli(['doctor'], { cwd, env: { ...CLEAN, ...CLEAR } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('S3: bucket b (upload section), c (run section)  prefix (none)');
    expect(run.stdout).toContain('\nqueue: redis://q:6379 (worker section)\n');
    const json = JSON.parse((await cli(['doctor', '--json'], { cwd, env: { ...CLEAN, ...CLEAR } })).stdout);
    expect([json.settings.s3.bucket, json.settings.s3.bucketBySection, json.settings.queue, json.settings.queueBySection]).toEqual([null, { upload: 'b', run: 'c' }, null, { worker: 'redis://q:6379' }]);
    const bare = await cli(['doctor'], { cwd: await project({}), env: { ...CLEAN, ...CLEAR } });
    expect(bare.stdout).toContain('S3: bucket (not set: --bucket, SEEDANCE_S3_BUCKET or bucket in the config file)  prefix (none)');
    expect(bare.stdout).toContain('\nqueue: (not set: --queue, SEEDANCE_QUEUE_URL or queue in the config file)\n');
  });

  it('every value a variable or the file gives goes through its setting\'s check: a refused one fails doctor (exit 2)', async () => {
    const cwd = await project({ concurrency: 2.5, requestTimeout: 'abc', fix: { fit: 'CROP' } });
    const run = await cli(['doctor'], { cwd, env: { ...CLEAN, ...CLEAR, SEEDANCE_FAIL_ON: 'fatal', SEEDANCE_STRICT: 'maybe' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('  request timeout (invalid)\n');
    const problems = run.stdout.split('\n').filter((line) => line.startsWith('  ✗ '));
    expect(problems).toEqual([
      '  ✗ seedance-preflight.config.json: concurrency must be a whole number of at least 1, not "2.5"',
      '  ✗ SEEDANCE_STRICT must be 1, 0, true, false, yes or no, not "maybe"',
      '  ✗ SEEDANCE_FAIL_ON must be one of error, warning, not "fatal"',
      '  ✗ seedance-preflight.config.json: fix.fit must be pad or crop, not "CROP"',
      '  ✗ seedance-preflight.config.json: requestTimeout must be a number of seconds greater than 0, not "abc"',
    ]);
    expect(JSON.parse((await cli(['doctor', '--json'], { cwd, env: { ...CLEAN, ...CLEAR } })).stdout).settingSources.problems).toHaveLength(3);
  });

  it('a SEEDANCE_ variable the tool never reads is a warning with the name it likely means; the test suite\'s own are left out', async () => {
    const cwd = await project({});
    const run = await cli(['doctor'], { cwd, env: { ...CLEAN, ...CLEAR, SEEDANCE_CONCURENCY: '4', SEEDANCE_NO_CACHE: '1', SEEDANCE_XYZZY: '1', SEEDANCE_TEST_WHATEVER: '1', SEEDANCE_DEBUG: '1' } });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('  ! '))).toEqual([
      '  ! SEEDANCE_CONCURENCY is not a variable seedance-preflight reads; did you mean SEEDANCE_CONCURRENCY?',
      '  ! SEEDANCE_NO_CACHE is not a variable seedance-preflight reads; did you mean SEEDANCE_CACHE=0?',
      '  ! SEEDANCE_XYZZY is not a variable seedance-preflight reads',
    ]);
  });

  it("masks a URL's query secrets as the verbose log does (a presigned signature), in every line", async () => {
    const cwd = await project({ upload: { publicBaseUrl: 'https://cdn.example.com/m?token=file-sekrit' } });
    const env = { ...CLEAN, ...CLEAR, SEEDANCE_S3_ENDPOINT: 'http://127.0.0.1:9000/?X-Amz-Signature=env-sekrit&x-id=PutObject', EVOLINK_BASE_URL: 'https://api.example.com/?key=api-sekrit' };
    const run = await cli(['doctor'], { cwd, env });
    expect(run.stdout).toContain('endpoint http://127.0.0.1:9000/?X-Amz-Signature=***&x-id=PutObject');
    expect(run.stdout).toContain('API: https://api.example.com/?key=***  ');
    expect(run.stdout).toContain('    upload: publicBaseUrl  https://cdn.example.com/m?token=***');
    expect(run.stdout).not.toMatch(/sekrit/);
  });
});
