import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_MODEL } from '../../src/spec/profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';
import { startMediaServer, type MediaServer } from '../probe/remote/media-server.js';
import { makeRemoteMedia } from '../probe/remote/remote-media.js';

/** Reproducible: AGREEMENT_SEED=N replays a failing set (the seed is printed). */
const SEED = Number(process.env.AGREEMENT_SEED ?? 20_261_207);
const REQUESTS = 50;

let dir: string;
let cleanup: () => Promise<void>;
let server: MediaServer;
let env: Record<string, string>;
let served: Awaited<ReturnType<typeof makeRemoteMedia>>;

/** Local media copied into each job: good ones, cheaply fixable ones, and ones nothing can fix. */
const LOCAL = {
  image: ['landscape-1280x720.jpg', 'valid-800x600.webp', 'png-named.jpg', 'truncated.jpg'],
  video: ['valid-854x480-30fps.mp4', 'fps-15.mp4', 'empty.mp4'],
  audio: ['valid-3s.mp3', 'valid-3s.wav'],
} as const;

type Entry = { local: string } | { outside: string } | { remote: string };
interface Spec {
  images: Entry[];
  videos: Entry[];
  audios: Entry[];
  duration?: number;
  misspelled?: 'durration' | 'qualty' | 'video_url';
}

function entries(kind: keyof typeof LOCAL, remote: () => string[]): fc.Arbitrary<Entry[]> {
  const one = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...LOCAL[kind]).map((local): Entry => ({ local })) },
    { weight: 4, arbitrary: fc.nat(100).map((n): Entry => ({ remote: remote()[n % remote().length]! })) },
    { weight: 1, arbitrary: fc.constantFrom(...LOCAL[kind]).map((outside): Entry => ({ outside })) },
  );
  return fc.array(one, { maxLength: 2 });
}

function specs(): fc.Arbitrary<Spec> {
  return fc.record(
    {
      images: entries('image', () => [served.png, 'missing.png', 'notes.png']),
      videos: entries('video', () => [served.mp4End, served.mp4Front, served.mov, served.webm, 'missing.mp4']),
      audios: entries('audio', () => [served.mp3, served.wav]),
      duration: fc.constantFrom(5, 8, 20),
      misspelled: fc.constantFrom('durration', 'qualty', 'video_url'),
    },
    { requiredKeys: ['images', 'videos', 'audios'] },
  );
}

/** Writes job-N/request.json (local media copied beside it, outside ones in ../outside) and returns its path. */
async function writeJob(n: number, spec: Spec): Promise<string> {
  const job = join(dir, `job-${n}`);
  await mkdir(job);
  const ref = async (entry: Entry) => {
    if ('remote' in entry) return `${server.base}/${entry.remote}`;
    if ('outside' in entry) return `../outside/${entry.outside}`;
    await copyFile(fixture(entry.local), join(job, entry.local));
    return entry.local;
  };
  const request: Record<string, unknown> = { model: REFERENCE_MODEL, prompt: 'The hero walks through the scene.' };
  for (const [field, list] of [['image_urls', spec.images], ['video_urls', spec.videos], ['audio_urls', spec.audios]] as const) {
    if (list.length) request[spec.misspelled === 'video_url' && field === 'video_urls' ? 'video_url' : field] = await Promise.all(list.map(ref));
  }
  if (spec.duration !== undefined) request[spec.misspelled === 'durration' ? 'durration' : 'duration'] = spec.duration;
  if (spec.misspelled === 'qualty') request.qualty = '720p';
  await writeFile(join(job, 'request.json'), JSON.stringify(request, null, 2));
  return join(job, 'request.json');
}

interface Verdicts {
  /** check: no error that fix cannot repair (fix repairs the rest, as run does before it would send). */
  checkPasses: boolean;
  checkRules: string[];
  runOk: boolean;
  runRules: string[];
  runError: string | null;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-agreement-'));
  const media = join(dir, 'served');
  await mkdir(media);
  served = await makeRemoteMedia(media);
  await writeFile(join(media, 'notes.png'), 'not an image\n');
  server = await startMediaServer(media);
  await mkdir(join(dir, 'outside'));
  for (const name of [...LOCAL.image, ...LOCAL.video, ...LOCAL.audio]) await copyFile(fixture(name), join(dir, 'outside', name));
  env = { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') };
}, 120_000);
afterAll(async () => {
  await server?.close();
  await cleanup();
});

describe(`check --remote and run --dry-run agree on ${REQUESTS} generated requests (seed ${SEED})`, () => {
  it('same verdict, same rule ids', async () => {
    console.log(`check/run agreement: seed ${SEED} (AGREEMENT_SEED=${SEED} replays it)`);
    const generated = fc.sample(specs(), { seed: SEED, numRuns: REQUESTS });
    const seen = { remote: 0, outside: 0, misspelled: 0, noMedia: 0, failing: 0, passing: 0 };
    for (const [n, spec] of generated.entries()) {
      const requestFile = await writeJob(n, spec);
      const checked = await cli(['check', '--remote', '--json', '--request', requestFile], { env, cwd: dir });
      const ran = await cli(['run', '--request', requestFile, '--dry-run', '--json', '--work', join(dir, `work-${n}`)], { env, cwd: dir });
      const check = JSON.parse(checked.stdout) as { files: Array<{ violations: Violation[] }>; request: { violations: Violation[] } };
      const run = JSON.parse(ran.stdout) as { jobs: Array<{ ok: boolean; error: { message: string } | null; violations: Violation[] }> };
      const checkViolations = [...check.files.flatMap((f) => f.violations), ...check.request.violations];
      const job = run.jobs[0]!;
      const verdicts: Verdicts = {
        checkPasses: !checkViolations.some((v) => v.severity === 'error' && !v.fixable),
        checkRules: ruleIds(checkViolations),
        runOk: job.ok,
        runRules: ruleIds(job.violations),
        runError: job.error?.message ?? null,
      };
      const context = `request ${n} (seed ${SEED}): ${JSON.stringify(spec)}\n${JSON.stringify(verdicts)}`;
      expect(verdicts.runOk, context).toBe(verdicts.checkPasses);
      expect(verdicts.runRules, context).toEqual(verdicts.checkRules);
      // the exit codes say the same: check fails whenever run does (check also fails on what fix would repair)
      expect([checked.code === 0 || !verdicts.runOk || checkViolations.some((v) => v.severity === 'error'), ran.code === (verdicts.runOk ? 0 : 1)], context).toEqual([true, true]);
      // the rule run stopped on is one check names as an error
      const stoppedOn = verdicts.runError?.match(/\(rule ([a-z_.]+)\)/)?.[1];
      if (stoppedOn) expect(checkViolations.filter((v) => v.severity === 'error').map((v) => v.rule), context).toContain(stoppedOn);
      const all = [...spec.images, ...spec.videos, ...spec.audios];
      if (all.some((e) => 'remote' in e)) seen.remote++;
      if (all.some((e) => 'outside' in e)) seen.outside++;
      if (spec.misspelled) seen.misspelled++;
      if (all.length === 0 || spec.misspelled === 'video_url') seen.noMedia++;
      if (verdicts.runOk) seen.passing++;
      else seen.failing++;
    }
    console.log(`check/run agreement: ${JSON.stringify(seen)}`);
    // the sample covers what the issue names: remote URLs, outside paths, misspelled fields, no media, both verdicts
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  }, 600_000);
});

interface Violation {
  rule: string;
  severity: 'error' | 'warning';
  fixable: boolean;
}

function ruleIds(violations: readonly Violation[]): string[] {
  return [...new Set(violations.map((v) => v.rule))].sort();
}
