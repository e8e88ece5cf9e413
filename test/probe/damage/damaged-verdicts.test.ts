import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMedia, checkProbeFailure } from '../../../src/check/file-rules.js';
import { fixTargets } from '../../../src/pipeline/fix-targets.js';
import { probeFile } from '../../../src/probe/probe-file.js';
import { probeMany } from '../../../src/probe/probe-many.js';
import { ProbeCache } from '../../../src/probe/probe-cache.js';
import { SEED_PROFILE } from '../../../src/spec/seed-profile.js';
import { tempDir } from '../../helpers/fixtures.js';
import { DAMAGED, writeBases, writeDamaged } from './damaged-media.js';

/**
 * Every damaged file made from conforming ones (damaged-media.ts) gets its exact verdict: the damage the probe reads
 * (kind, what the header says, what decodes), and check's errors as [rule, actual, fixable, problem, fix]. Files cut
 * with their index at the end have no index left, and images that sharp cannot decode to their end, stay file.corrupt.
 */
type Verdict = [name: string, damage: { kind: string; headerSays: number | null; decodes: number | null } | null, errors: Array<[string, unknown, boolean, string, string]>];

const VERDICTS: Verdict[] = [
  ["block-align-3.wav", {"kind": "impossible", "headerSays": null, "decodes": null}, [["file.damaged", "impossible", false, "damaged: its header is impossible; it says a block of 3 bytes, where 2 channels of 16 bits take 4", "export it again"]]],
  ["channels-65535.wav", {"kind": "impossible", "headerSays": null, "decodes": null}, [["file.damaged", "impossible", false, "damaged: its header is impossible; it says 65,535 channels, where a WAV has 1–32", "export it again"]]],
  ["faststart-cut-10.mp4", {"kind": "truncated", "headerSays": 5.024, "decodes": 0.4166666666666667}, [["file.damaged", "truncated", false, "damaged: the header says 5.02 s but 0.42 s decodes: the file was cut off; its index points 391,468 bytes past the end of the file, and only 10 of its 120 video frames are in it", "export it again (0.41 s is too little to extend: fix needs at least 1 s that decodes)"]]],
  ["faststart-cut-50.mp4", {"kind": "truncated", "headerSays": 5.024, "decodes": 2.5833333333333335}, [["file.damaged", "truncated", true, "damaged: the header says 5.02 s but 2.58 s decodes: the file was cut off; its index points 217,482 bytes past the end of the file, and only 62 of its 120 video frames are in it", "re-encode the 2.58 s that decode, which writes a true header"]]],
  ["faststart-cut-90.mp4", {"kind": "truncated", "headerSays": 5.024, "decodes": 4.5}, [["file.damaged", "truncated", true, "damaged: the header says 5.02 s but 4.5 s decodes: the file was cut off; its index points 43,497 bytes past the end of the file, and only 108 of its 120 video frames are in it", "re-encode the 4.5 s that decode, which writes a true header"]]],
  ["flac-streaminfo-271.8s.flac", {"kind": "header_mismatch", "headerSays": 271.8, "decodes": 1.95}, [["file.damaged", "header_mismatch", true, "damaged: the header says 271.8 s but 1.95 s decodes: its header does not match its data; its STREAMINFO says 271.8 s of samples, its frames decode to 1.95 s", "re-encode the 1.95 s that decode, which writes a true header"], ["audio.format", "flac", true, "format is FLAC", "convert to MP3"], ["audio.duration", 1.95, true, "lasts 1.95 s", "extend to 2.1 s (pad with silence)"]]],
  ["jpeg-cut-50.jpg", null, [["file.corrupt", "corrupt", false, "it is truncated or damaged (VipsJpeg: premature end of JPEG image)", "export or download the file again; a damaged file cannot be repaired"]]],
  ["jpeg-cut-90.jpg", null, [["file.corrupt", "corrupt", false, "it is truncated or damaged (VipsJpeg: premature end of JPEG image)", "export or download the file again; a damaged file cannot be repaired"]]],
  ["jpeg-scan-cut-eoi.jpg", {"kind": "truncated", "headerSays": null, "decodes": null}, [["file.damaged", "truncated", false, "damaged: the file was cut off; its image data ends after 164 of its 3,600 blocks (4 % of the picture): the rest decodes as grey", "export it again"]]],
  ["moov-at-end-cut-10.mp4", null, [["file.corrupt", "corrupt", false, "the MP4/MOV index (moov atom) is missing: the file was not finished writing or is truncated", "export or download the file again; a damaged file cannot be repaired"]]],
  ["moov-at-end-cut-50.mp4", null, [["file.corrupt", "corrupt", false, "the MP4/MOV index (moov atom) is missing: the file was not finished writing or is truncated", "export or download the file again; a damaged file cannot be repaired"]]],
  ["moov-at-end-cut-90.mp4", null, [["file.corrupt", "corrupt", false, "the MP4/MOV index (moov atom) is missing: the file was not finished writing or is truncated", "export or download the file again; a damaged file cannot be repaired"]]],
  ["mp3-cut-0.2s.mp3", {"kind": "truncated", "headerSays": 40.04571428571428, "decodes": 0.156734693877551}, [["file.damaged", "truncated", false, "damaged: the header says 40.05 s but 0.16 s decodes: the file was cut off; its Info header states 1,533 frames (40.046 s) in 320,573 bytes, but the file holds 1,558 bytes, and its frames last 0.157 s", "export it again (0.15 s is too little to extend: fix needs at least 1 s that decodes)"]]],
  ["mp3-xing-37.5s.mp3", {"kind": "header_mismatch", "headerSays": 37.51183673469388, "decodes": 10.736326530612246}, [["file.damaged", "header_mismatch", true, "damaged: the header says 37.51 s but 10.74 s decodes: its header does not match its data; its Info header states 1,436 frames (37.512 s) in 86,098 bytes, but its frames last 10.736 s", "re-encode the 10.74 s that decode, which writes a true header"]]],
  ["mvhd-35s.mp4", {"kind": "header_mismatch", "headerSays": 35, "decodes": 5.023219954648526}, [["file.damaged", "header_mismatch", true, "damaged: the header says 35 s but 5.02 s decodes: its header does not match its data; its movie header (mvhd) says 35 s but its samples last 5.023 s", "re-encode the 5.02 s that decode, which writes a true header"]]],
  ["mvhd-all-ones.mp4", {"kind": "impossible", "headerSays": null, "decodes": 5.023219954648526}, [["file.damaged", "impossible", true, "damaged: its header is impossible; its movie header (mvhd) says a duration of 2³²−1 ticks (no real length), while its samples last 5.023 s", "re-encode the 5.02 s that decode, which writes a true header"]]],
  ["offsets-past-end.mp4", {"kind": "truncated", "headerSays": 5.024, "decodes": 0}, [["file.damaged", "truncated", false, "damaged: the header says 5.02 s but 0 s decodes: the file was cut off; its index points 434,964 bytes past the end of the file, and only 0 of its 120 video frames are in it", "export it again"]]],
  ["offsets-shifted.mp4", {"kind": "header_mismatch", "headerSays": 5.024, "decodes": null}, [["file.damaged", "header_mismatch", false, "damaged: its header does not match its data; its chunk offsets point at bytes that are not its video frames (8 of 8 frames checked do not start with a frame's length)", "export it again"]]],
  ["png-cut-50.png", null, [["file.corrupt", "corrupt", false, "it is truncated or damaged (vipspng: libpng read error)", "export or download the file again; a damaged file cannot be repaired"]]],
  ["png-cut-90.png", null, [["file.corrupt", "corrupt", false, "it is truncated or damaged (vipspng: libpng read error)", "export or download the file again; a damaged file cannot be repaired"]]],
  ["png-idat-cut-iend.png", {"kind": "truncated", "headerSays": null, "decodes": null}, [["file.damaged", "truncated", false, "damaged: the file was cut off; its image data (IDAT chunk 5) at byte 16,486 runs 1,086 bytes past the end of the file", "export it again"]]],
  ["rate-0.wav", {"kind": "impossible", "headerSays": null, "decodes": null}, [["file.damaged", "impossible", false, "damaged: its header is impossible; it says a sample rate of 0 Hz, where recordings use 1,000–768,000 Hz", "export it again"]]],
  ["streaming-ffffffff.wav", null, []],
  ["streaming-zero.wav", null, []],
  ["three-samples.wav", {"kind": "fragment", "headerSays": 6.802721088435374e-05, "decodes": 6.802721088435374e-05}, [["file.damaged", "fragment", false, "damaged: the file is a fragment; it holds only 3 samples (68 µs of sound)", "export it again"]]],
  ["wav-cut-10.wav", {"kind": "truncated", "headerSays": 5, "decodes": 0.49959750566893424}, [["file.damaged", "truncated", false, "damaged: the header says 5 s but 0.5 s decodes: the file was cut off; its data chunk promises 882,000 bytes (5 s) but the file holds 88,129 (0.5 s)", "export it again (0.49 s is too little to extend: fix needs at least 1 s that decodes)"]]],
  ["wav-cut-50.wav", {"kind": "truncated", "headerSays": 5, "decodes": 2.499778911564626}, [["file.damaged", "truncated", true, "damaged: the header says 5 s but 2.5 s decodes: the file was cut off; its data chunk promises 882,000 bytes (5 s) but the file holds 440,961 (2.5 s)", "re-encode the 2.5 s that decode, which writes a true header"]]],
];

let dir: string;
let cleanup: () => Promise<void>;
let bases: Awaited<ReturnType<typeof writeBases>>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-damaged-'));
  await mkdir(join(dir, 'bases'));
  bases = await writeBases(join(dir, 'bases'));
  await writeDamaged(dir, bases);
}, 120_000);
afterAll(() => cleanup?.());

describe('damaged files: exact verdicts', () => {
  it('covers every damaged case, once', () => {
    expect(VERDICTS.map(([name]) => name)).toEqual(DAMAGED.map((c) => c.name).sort());
  });

  it.each(VERDICTS)('%s', async (name, damage, errors) => {
    const probe = await probeFile(join(dir, name));
    const violations = probe.ok ? checkMedia(probe.info, SEED_PROFILE) : [checkProbeFailure(probe.failure)];
    const seen = probe.ok ? probe.info.damage : null;
    expect(seen ? { kind: seen.kind, headerSays: seen.headerSays, decodes: seen.decodes } : null).toEqual(damage);
    expect(violations.filter((v) => v.severity === 'error').map((v) => [v.rule, v.actual, v.fixable, v.problem, v.fix])).toEqual(errors);
    // the same verdict whichever reader read the file: the damage checks read the bytes themselves
    const viaFfprobe = await probeFile(join(dir, name), { reader: 'ffprobe' });
    const again = viaFfprobe.ok ? checkMedia(viaFfprobe.info, SEED_PROFILE) : [checkProbeFailure(viaFfprobe.failure)];
    expect(again.filter((v) => v.severity === 'error').map((v) => [v.rule, v.actual, v.fixable, v.problem, v.fix])).toEqual(errors);
  });

  it('the verdict is cached with the rest of the probe: a reopened cache answers with the same damage', async () => {
    const cacheDir = join(dir, 'cache');
    await mkdir(cacheDir, { recursive: true });
    const paths = ['faststart-cut-50.mp4', 'channels-65535.wav', 'streaming-zero.wav'].map((n) => join(dir, n));
    const first = await probeMany(paths, { cache: await ProbeCache.open(cacheDir) });
    const reopened = await ProbeCache.open(cacheDir);
    expect(paths.map((p) => reopened.get(p))).toEqual(first);
    expect(first.map((r) => (r.ok ? r.info.damage?.kind ?? null : r.failure.damage?.kind))).toEqual(['truncated', 'impossible', null]);
  });

  it('the conforming files they are made from are not damaged', async () => {
    for (const path of Object.values(bases)) {
      const probe = await probeFile(path);
      expect([path, probe.ok && probe.info.damage]).toEqual([path, null]);
    }
  });
});

describe('damaged but usable: fix re-encodes what decodes, and its output passes its re-check', () => {
  const cases: Array<[string, string, Array<[string, string]>, number, number]> = [
    ['faststart-cut-50.mp4', 'reencode', [['file.damaged', 're-encode the 2.58 s that decode (the header says 5.02 s)']], 2.5, 2.6],
    ['faststart-cut-90.mp4', 'reencode', [['file.damaged', 're-encode the 4.5 s that decode (the header says 5.02 s)']], 4.45, 4.55],
    ['flac-streaminfo-271.8s.flac', 'reencode', [['audio.format', 'FLAC → MP3'], ['file.damaged', 're-encode the 1.95 s that decode (the header says 271.8 s)'], ['audio.duration', 'extend 1.95 s → 2.1 s with silence']], 2.1, 2.2],
    ['mp3-xing-37.5s.mp3', 'reencode', [['file.damaged', 're-encode the 10.74 s that decode (the header says 37.51 s)']], 10.7, 10.8],
    ['mvhd-35s.mp4', 'reencode', [['file.damaged', 're-encode the 5.02 s that decode (the header says 35 s)']], 4.95, 5.05],
    ['mvhd-all-ones.mp4', 'reencode', [['file.damaged', 're-encode the 5.02 s that decode']], 4.95, 5.05],
    ['wav-cut-50.wav', 'reencode', [['file.damaged', 're-encode the 2.5 s that decode (the header says 5 s)']], 2.45, 2.55],
    // a streaming writer's placeholder sizes are no damage: the file conforms and is copied
    ['streaming-ffffffff.wav', 'copy', [], 5, 5],
    ['streaming-zero.wav', 'copy', [], 5, 5],
  ];
  it.each(cases)('%s', async (name, mode, actions, min, max) => {
    const fixed = await fixTargets({ paths: [join(dir, name)], profile: SEED_PROFILE, outDir: join(dir, 'out', name), concurrency: 1 });
    const file = fixed.jobs[0]!.files[0]!;
    expect([file.ok, file.error, file.mode, file.actions.map((a) => [a.rule, a.what])]).toEqual([true, null, mode, actions]);
    const output = await probeFile(file.output!);
    if (!output.ok || output.info.kind === 'image') throw new Error(`${name}: the output does not probe as media`);
    expect(output.info.damage).toBeNull();
    expect(checkMedia(output.info, SEED_PROFILE).filter((v) => v.severity === 'error')).toEqual([]);
    expect(output.info.duration).toBeGreaterThanOrEqual(min);
    expect(output.info.duration).toBeLessThanOrEqual(max);
  }, 120_000);

  it('an unusable one writes nothing: fix names the damage and says to export it again', async () => {
    const fixed = await fixTargets({ paths: [join(dir, 'mp3-cut-0.2s.mp3')], profile: SEED_PROFILE, outDir: join(dir, 'out', 'cut'), concurrency: 1 });
    const file = fixed.jobs[0]!.files[0]!;
    expect([file.ok, file.output, file.error]).toEqual([false, null, 'not fixable: damaged: the header says 40.05 s but 0.16 s decodes: the file was cut off; its Info header states 1,533 frames (40.046 s) in 320,573 bytes, but the file holds 1,558 bytes, and its frames last 0.157 s: export it again (0.15 s is too little to extend: fix needs at least 1 s that decodes) (rule file.damaged)']);
  });
});
