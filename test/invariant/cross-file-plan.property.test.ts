import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJob } from '../../src/check/check-job.js';
import type { CheckInput, JobMedia } from '../../src/check/job.js';
import type { FixPlan } from '../../src/normalize/fix-plan.js';
import { checkTargets } from '../../src/pipeline/check-targets.js';
import { fixTargets } from '../../src/pipeline/fix-targets.js';
import { planJob } from '../../src/pipeline/request-plan.js';
import { ProbeCache } from '../../src/probe/probe-cache.js';
import type { MediaInfo } from '../../src/probe/media-info.js';
import { REFERENCE_MODEL, type Profile } from '../../src/spec/profile.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { tempDir } from '../helpers/fixtures.js';
import { DEBIAN_FFPROBE, independentCheck, independentCheckerMissing } from '../helpers/independent-check.js';
import { audio, entry, image, video } from '../helpers/media-info.js';
import { DEBIAN_FFMPEG } from './generated.js';

/**
 * Issue 20, item 4: one `fix` pass converges for any folder. Over generated requests (1–3 clips of 0.5–30 s, 1–3 audio
 * files, images of every aspect class, with and without `duration`/`quality`), one fix either writes a request that an
 * independent checker (Debian's ffprobe, LIMITS.md's numbers) accepts, files and combined durations alike, or `check`
 * said beforehand why it cannot. A pure property runs the planner itself hundreds of times; a bounded one encodes.
 * The seed is printed; SEEDANCE_PROPERTY_SEED replays it. Shrunk counterexamples stay below as table cases. The planner
 * runs take a new seed each time (thousands of cases a second); the encoded ones a fixed seed unless one is given, so a
 * CI run is the same run every time (`SEEDANCE_PROPERTY_SEED=random` draws one for exploring).
 */

const run = promisify(execFile);
const GIVEN_SEED = process.env.SEEDANCE_PROPERTY_SEED;
const randomSeed = () => Math.floor(Math.random() * 2 ** 31);
const SEED = GIVEN_SEED && GIVEN_SEED !== 'random' ? Number(GIVEN_SEED) : randomSeed();
/** Seed 1608119939 made 12 folders that one fix brought to conform (before and after the Matroska mend). */
const ENCODED_SEED = GIVEN_SEED === 'random' ? randomSeed() : GIVEN_SEED ? Number(GIVEN_SEED) : 1608119939;
const PURE_RUNS = Number(process.env.SEEDANCE_PROPERTY_PURE_RUNS ?? 400);
const REAL_RUNS = Number(process.env.SEEDANCE_PROPERTY_RUNS ?? 12);
console.log(`cross-file plan property: planner seed ${SEED} (SEEDANCE_PROPERTY_SEED=${SEED} replays it), ${PURE_RUNS} planner runs; encoded seed ${ENCODED_SEED}, ${REAL_RUNS} folders`);

const CLIP_KINDS = ['mp4-aac', 'mp4-silent', 'mkv-aac'] as const;
const SOUND_KINDS = ['mp3', 'wav', 'flac'] as const;
/** Every aspect class the image rules know: inside, too wide, too tall, too small, too large a side. */
const IMAGE_KINDS = { square: '640x640', landscape: '1280x720', portrait: '720x1280', panorama: '3000x1000', tall: '400x1200', small: '200x200' } as const;
type ClipKind = (typeof CLIP_KINDS)[number];
type SoundKind = (typeof SOUND_KINDS)[number];
type ImageKind = keyof typeof IMAGE_KINDS;

interface Folder {
  /** Lengths in quarter seconds (2–120: 0.5–30 s), so generated media are reused across runs. */
  clips: { quarters: number; kind: ClipKind }[];
  sounds: { quarters: number; kind: SoundKind }[];
  images: ImageKind[];
  duration: number | null;
  quality: '480p' | '720p' | '1080p' | null;
}

const folderArb: fc.Arbitrary<Folder> = fc.record({
  clips: fc.array(fc.record({ quarters: fc.integer({ min: 2, max: 120 }), kind: fc.constantFrom(...CLIP_KINDS) }), { minLength: 1, maxLength: 3 }),
  sounds: fc.array(fc.record({ quarters: fc.integer({ min: 2, max: 120 }), kind: fc.constantFrom(...SOUND_KINDS) }), { minLength: 1, maxLength: 3 }),
  images: fc.subarray(Object.keys(IMAGE_KINDS) as ImageKind[], { minLength: 0, maxLength: 3 }),
  duration: fc.option(fc.integer({ min: 4, max: 15 }), { nil: null }),
  quality: fc.option(fc.constantFrom('480p' as const, '720p' as const, '1080p' as const), { nil: null }),
});

// ---------------------------------------------------------------- the planner alone (pure)

/** Synthetic probes, as the real ones of those files read: a clip's pictures may end a frame before its sound. */
function syntheticInput(folder: Folder, extraClips: number): CheckInput {
  const clips = [...folder.clips, ...Array.from({ length: extraClips }, () => folder.clips[0]!)];
  const media: JobMedia[] = [
    ...folder.images.map((kind, i) => {
      const [width, height] = IMAGE_KINDS[kind].split('x').map(Number) as [number, number];
      return entry('image_urls', i, image({ path: `i${i}.jpg`, width, height }));
    }),
    ...clips.map(({ quarters, kind }, i) => {
      const seconds = quarters / 4;
      const silent = kind === 'mp4-silent';
      return entry('video_urls', i, video({ path: `v${i}.${kind.startsWith('mkv') ? 'mkv' : 'mp4'}`, format: kind.startsWith('mkv') ? 'mkv' : 'mp4', extension: kind.startsWith('mkv') ? 'mkv' : 'mp4', fps: [24, 30, 15, 120][quarters % 4]!, duration: seconds, containerDuration: seconds, streamDuration: seconds, videoDuration: Math.max(0.04, seconds - 1 / 24), hasAudio: !silent, audioCodec: silent ? null : 'aac', audioDuration: silent ? null : seconds }));
    }),
    ...folder.sounds.map(({ quarters, kind }, i) => {
      const seconds = quarters / 4;
      return entry('audio_urls', i, audio({ path: `a${i}.${kind}`, format: kind, extension: kind, audioCodec: kind === 'wav' ? 'pcm_s16le' : kind, duration: seconds, containerDuration: seconds, streamDuration: seconds }));
    }),
  ];
  return { label: 'job', request: requestFields(folder, media), media, loadViolations: [] };
}

function requestFields(folder: Folder, media: readonly JobMedia[]): Record<string, unknown> {
  const refs = (field: JobMedia['field']) => media.filter((m) => m.field === field).map((m) => m.ref);
  return {
    model: REFERENCE_MODEL,
    prompt: 'a calm scene',
    ...(refs('image_urls').length && { image_urls: refs('image_urls') }),
    video_urls: refs('video_urls'),
    audio_urls: refs('audio_urls'),
    ...(folder.duration !== null && { duration: folder.duration }),
    ...(folder.quality !== null && { quality: folder.quality }),
  };
}

/**
 * This checker's own bound, not the planner's constant: a cut or an extension ends on a whole frame and pads its audio,
 * so its output may run this far past its target; a file kept at its length (copied, remuxed, or re-encoded without a
 * cut) keeps it. Measured on Debian's ffprobe: 3 × 2 s at 15 fps re-encoded at 24 fps gave 48-frame, 2.000 s tracks.
 */
const CUT_OVERSHOOT_SECONDS = 0.1;

/** What one planned file will last, read from its plan as ffmpeg will run it (not from the planner's own arithmetic). */
function plannedSeconds(plan: FixPlan, info: MediaInfo): { seconds: number; overshoot: number } | null {
  if (plan.type === 'unfixable' || plan.type === 'image' || info.kind === 'image' || info.duration === null) return null;
  const timed = plan.type === 'video' || plan.type === 'audio';
  const seconds = timed && plan.duration !== null ? plan.duration : info.duration;
  const cut = timed && (plan.extendBy > 0 || (plan.duration !== null && plan.duration < (info.containerDuration ?? info.duration)));
  return { seconds, overshoot: cut ? CUT_OVERSHOOT_SECONDS : 0 };
}

/** Why the planned request breaks a combined cap or a file's length range, one line each; empty when it conforms. */
function plannedBreaches(input: CheckInput, plans: readonly FixPlan[], profile: Profile): string[] {
  const breaches: string[] = [];
  for (const [kind, field, cap, range] of [
    ['video', 'video_urls', profile.request.totalVideoSeconds.value, profile.video.duration.value],
    ['audio', 'audio_urls', profile.request.totalAudioSeconds.value, profile.audio.duration.value],
  ] as const) {
    const local = input.media.filter((m, i, all) => m.path !== null && all.findIndex((o) => o.path === m.path) === i);
    let total = 0;
    for (const m of input.media.filter((x) => x.field === field && x.probe?.ok)) {
      const info = (m.probe as { ok: true; info: MediaInfo }).info;
      const planned = plannedSeconds(plans[local.indexOf(m)]!, info);
      if (!planned) continue;
      if (planned.seconds < range.min || planned.seconds > range.max) breaches.push(`${m.path}: planned ${planned.seconds} s, outside ${range.min}–${range.max} s`);
      total += planned.seconds + planned.overshoot;
    }
    if (Math.round(total * 1000) / 1000 > cap) breaches.push(`the ${kind} files take ${total} s with their margins, over ${cap} s`);
  }
  return breaches;
}

/** A profile whose combined caps are tighter, so that some folders cannot fit at all. */
function withCaps(video: number, audio: number): Profile {
  return { ...SEED_PROFILE, request: { ...SEED_PROFILE.request, maxVideos: { ...SEED_PROFILE.request.maxVideos, value: 6 }, totalVideoSeconds: { value: video, source: 'test' }, totalAudioSeconds: { value: audio, source: 'test' } } };
}

const pure = { planned: 0, cannotFit: 0 };

/** The pure property: the plan conforms, or it says why (and check said so first); check never says "cannot" when fix can. */
function plannerVerdict(folder: Folder, extraClips: number, profile: Profile): string[] {
  const input = syntheticInput(folder, extraClips);
  const report = checkJob(input, profile);
  const planned = planJob(input, report, profile, { fit: 'pad', audioFormat: 'mp3' });
  const checkSaysNot = report.request.violations.filter((v) => v.rule.endsWith('_total_duration') && !v.fixable).map((v) => v.rule);
  const overRules = planned.over.map((v) => v.rule);
  pure[overRules.length ? 'cannotFit' : 'planned']++;
  if (overRules.join() !== checkSaysNot.join()) return [`check said ${checkSaysNot.join(', ') || 'nothing'} cannot fit; the plan found ${overRules.join(', ') || 'nothing'} over`];
  if (overRules.length) return [];
  return plannedBreaches(input, planned.plans, profile);
}

describe('cross-file plan: the planner (pure)', () => {
  afterAll(() => console.log(`cross-file plan property (planner), seed ${SEED}: ${pure.planned + pure.cannotFit} requests; ${pure.planned} planned to conform, ${pure.cannotFit} that no cut can fit (check said so first)`));

  it(`${PURE_RUNS} generated requests: the plan conforms, or check and fix both say why not`, () => {
    const caps = fc.record({ video: fc.constantFrom(15, 10, 6), audio: fc.constantFrom(15, 8, 5) });
    fc.assert(
      fc.property(folderArb, fc.integer({ min: 0, max: 3 }), caps, (folder, extra, cap) => {
        expect(plannerVerdict(folder, extra, withCaps(cap.video, cap.audio))).toEqual([]);
      }),
      { seed: SEED, numRuns: PURE_RUNS },
    );
  });

  // shrunk counterexamples of the property above, kept as cases
  it.each<[string, Folder, number, [number, number]]>([
    ['issue 20: a 1 s, a 6 s and a 10 s clip', { clips: [{ quarters: 4, kind: 'mp4-aac' }, { quarters: 24, kind: 'mp4-aac' }, { quarters: 40, kind: 'mp4-aac' }], sounds: [{ quarters: 12, kind: 'mp3' }], images: [], duration: null, quality: null }, 0, [15, 15]],
    // shrunk by this property (seeds 1 and 2) against the plan that shared the cap over the sources' lengths
    ['0.5 s and 4 s clips under a 6 s cap: 4.5 s as given, 6.1 s once the short one is extended', { clips: [{ quarters: 2, kind: 'mp4-aac' }, { quarters: 16, kind: 'mp4-aac' }], sounds: [{ quarters: 2, kind: 'mp3' }], images: [], duration: null, quality: null }, 0, [6, 15]],
    ['0.5 s and 6 s audio under an 8 s cap: 6.5 s as given, 8.1 s once the short one is extended', { clips: [{ quarters: 2, kind: 'mp4-aac' }], sounds: [{ quarters: 2, kind: 'mp3' }, { quarters: 24, kind: 'mp3' }], images: [], duration: null, quality: null }, 0, [15, 8]],
  ])('%s', (_name, folder, extra, [videoCap, audioCap]) => {
    expect(plannerVerdict(folder, extra, withCaps(videoCap, audioCap))).toEqual([]);
  });
});

// ---------------------------------------------------------------- real folders, encoded (bounded)

const missing = independentCheckerMissing() ?? (existsSync(DEBIAN_FFMPEG) ? null : `${DEBIAN_FFMPEG} not found (install Debian's ffmpeg)`);
const required = process.env.SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE === '1';
if (missing && !required) console.log(`cross-file plan property (encoded) skipped: ${missing} (set SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE=1 to fail instead)`);

let dir: string;
let cleanup: () => Promise<void>;
const made = new Map<string, Promise<string>>();

/** A generated media file, made once per (kind, length) with Debian's ffmpeg (small, fast settings). */
function media(kind: ClipKind | SoundKind | ImageKind, quarters: number): Promise<string> {
  const key = `${kind}-${quarters}`;
  if (!made.has(key)) made.set(key, makeMedia(kind, quarters / 4, join(dir, 'made', key)));
  return made.get(key)!;
}

async function makeMedia(kind: ClipKind | SoundKind | ImageKind, seconds: number, base: string): Promise<string> {
  await mkdir(dirname(base), { recursive: true });
  const tone = ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`];
  const picture = ['-f', 'lavfi', '-i', `testsrc=size=854x480:rate=24:duration=${seconds}`];
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', 'yuv420p'];
  const [path, args] = (() => {
    switch (kind) {
      case 'mp4-aac':
        return [`${base}.mp4`, [...picture, ...tone, ...x264, '-c:a', 'aac', '-b:a', '64k', '-shortest']];
      case 'mp4-silent':
        return [`${base}.mp4`, [...picture, ...x264]];
      case 'mkv-aac':
        return [`${base}.mkv`, [...picture, ...tone, ...x264, '-c:a', 'aac', '-b:a', '64k', '-shortest']];
      case 'mp3':
        return [`${base}.mp3`, [...tone, '-c:a', 'libmp3lame', '-b:a', '96k']];
      case 'wav':
        return [`${base}.wav`, [...tone, '-c:a', 'pcm_s16le']];
      case 'flac':
        return [`${base}.flac`, [...tone, '-c:a', 'flac']];
      default:
        return [`${base}.jpg`, ['-f', 'lavfi', '-i', `testsrc=size=${IMAGE_KINDS[kind]}:rate=1`, '-frames:v', '1', '-q:v', '8']];
    }
  })() as [string, string[]];
  await run(DEBIAN_FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args, path], { timeout: 120_000 });
  return path;
}

/** The longest reading of a file's length by Debian's ffprobe (container, or any stream): what a strict provider counts. */
async function independentSeconds(path: string): Promise<number> {
  const { stdout } = await run(DEBIAN_FFPROBE, ['-v', 'error', '-show_entries', 'format=duration:stream=duration', '-of', 'json', path], { timeout: 60_000 });
  const probe = JSON.parse(stdout) as { format?: { duration?: string }; streams?: { duration?: string }[] };
  const readings = [probe.format?.duration, ...(probe.streams ?? []).map((s) => s.duration)].map(Number).filter(Number.isFinite);
  return Math.max(...readings);
}

let folders = 0;
let conforming = 0;
let saidWhyNot = 0;

/** One folder through check and one fix; what breaks the property, one line each (empty when it holds). */
async function realBreaches(folder: Folder, name: string): Promise<string[]> {
  const job = join(dir, 'jobs', name);
  await mkdir(job, { recursive: true });
  const place = async (source: string, as: string) => (await copyFile(source, join(job, as)), as);
  const fields: Record<string, unknown> = {
    model: REFERENCE_MODEL,
    prompt: 'a calm scene',
    video_urls: await Promise.all(folder.clips.map(async (c, i) => place(await media(c.kind, c.quarters), `v${i}${c.kind.startsWith('mkv') ? '.mkv' : '.mp4'}`))),
    audio_urls: await Promise.all(folder.sounds.map(async (s, i) => place(await media(s.kind, s.quarters), `a${i}.${s.kind}`))),
    ...(folder.duration !== null && { duration: folder.duration }),
    ...(folder.quality !== null && { quality: folder.quality }),
  };
  if (folder.images.length) fields.image_urls = await Promise.all(folder.images.map(async (kind, i) => place(await media(kind, 0), `i${i}-${kind}.jpg`)));
  const requestFile = join(job, 'request.json');
  await writeFile(requestFile, JSON.stringify(fields));
  folders++;

  const cache = ProbeCache.inMemory();
  const checked = await checkTargets({ requestFile, profile: SEED_PROFILE, cache });
  const report = checked.jobs[0]!;
  const said = [...report.request.violations, ...report.files.flatMap((f) => f.violations)].filter((v) => v.severity === 'error' && !v.fixable);
  const fixed = await fixTargets({ requestFile, profile: SEED_PROFILE, cache, outDir: join(dir, 'out', name), concurrency: 2 });
  const written = fixed.jobs[0]!.requestOutput;
  const breaches: string[] = [];
  if (written) {
    const request = JSON.parse(await readFile(written, 'utf8')) as Record<string, string[] | undefined>;
    for (const [field, cap] of [['video_urls', SEED_PROFILE.request.totalVideoSeconds.value], ['audio_urls', SEED_PROFILE.request.totalAudioSeconds.value]] as const) {
      const seconds = await Promise.all((request[field] ?? []).map((ref) => independentSeconds(resolve(dirname(written), ref))));
      const total = Math.round(seconds.reduce((a, b) => a + b, 0) * 1000) / 1000;
      if (total > cap) breaches.push(`${name}: ${field} last ${total} s together by Debian's ffprobe (${seconds.join(' + ')}), over ${cap} s`);
    }
    for (const ref of Object.values(request).flatMap((v) => (Array.isArray(v) ? v : []))) {
      const result = await independentCheck(resolve(dirname(written), ref));
      breaches.push(...result.findings.map((f) => `${name}: ${ref} breaks ${f.rule}: ${f.detail}`));
    }
    if (!fixed.jobs[0]!.request.ok) breaches.push(`${name}: fix's own check of ${written}: ${fixed.jobs[0]!.request.violations.map((v) => v.rule).join(', ')}`);
  }
  const ok = written !== null && breaches.length === 0;
  if (ok) conforming++;
  else if (said.length) {
    saidWhyNot++;
    return [];
  }
  if (!written) breaches.push(`${name}: check called every error fixable, but fix wrote no request: ${fixed.jobs[0]!.files.filter((f) => !f.ok).map((f) => `${f.path}: ${f.error}`).join('; ')}`);
  // each failing folder as found, before fast-check shrinks it: the first one may fail for another reason than the last
  if (breaches.length) console.log(`cross-file plan property: ${JSON.stringify(folder)} breaks it:\n  ${breaches.join('\n  ')}`);
  return breaches;
}

describe.runIf(!missing || required)('cross-file plan: one fix pass on encoded folders (independent checker: Debian ffprobe + LIMITS.md)', () => {
  beforeAll(async () => {
    if (missing) throw new Error(`SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE=1, but ${missing}`);
    ({ dir, cleanup } = await tempDir('sp-cross-plan-'));
  });
  afterAll(async () => {
    console.log(`cross-file plan property (encoded), seed ${ENCODED_SEED}: ${folders} folders; one fix made ${conforming} conform by Debian's ffprobe; check said beforehand why not for ${saidWhyNot}`);
    await cleanup?.();
  });

  it(`${REAL_RUNS} generated folders: one fix conforms, or check said why not`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(folderArb, async (folder) => {
        expect(await realBreaches(folder, `run-${n++}`)).toEqual([]);
      }),
      // SEEDANCE_PROPERTY_NO_SHRINK=1: stop at the first failing folder (each shrink step is a real fix)
      { seed: ENCODED_SEED, numRuns: REAL_RUNS, endOnFailure: process.env.SEEDANCE_PROPERTY_NO_SHRINK === '1' },
    );
  }, 1_800_000);

  // shrunk counterexamples of the property above, kept as cases
  it.each<[string, Folder]>([
    ['issue 20: a 1 s, a 6 s and a 10 s clip', { clips: [{ quarters: 4, kind: 'mp4-aac' }, { quarters: 24, kind: 'mp4-aac' }, { quarters: 40, kind: 'mp4-aac' }], sounds: [{ quarters: 12, kind: 'mp3' }], images: ['square'], duration: null, quality: null }],
    // the shrunk cases above at the seed's 15 s: 14 s as given, 16.1 s once the 0.5 s clip and sound are extended
    ['0.5 s, 6.5 s and 7 s clips and sounds', { clips: [{ quarters: 2, kind: 'mp4-aac' }, { quarters: 26, kind: 'mkv-aac' }, { quarters: 28, kind: 'mp4-silent' }], sounds: [{ quarters: 2, kind: 'mp3' }, { quarters: 26, kind: 'wav' }, { quarters: 28, kind: 'flac' }], images: ['tall'], duration: 15, quality: '480p' }],
    // found by the property (seed 310262540), a per-file plan: the probe gave the Matroska's video track the container's
    // 2.023 s, the remux's track lasted 1.999 s and fix rejected its own output (video.duration); now extended to 2.1 s
    ['a 2 s Matroska clip, remuxed, has a 1.999 s video track', { clips: [{ quarters: 8, kind: 'mkv-aac' }], sounds: [{ quarters: 2, kind: 'mp3' }], images: [], duration: null, quality: null }],
  ])('%s', async (name, folder) => {
    expect(await realBreaches(folder, `case-${name.replace(/\W+/g, '-')}`)).toEqual([]);
  }, 600_000);
});
