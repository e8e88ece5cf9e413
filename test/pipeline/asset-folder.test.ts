import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/pipeline/check-targets.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { fixture, tempDir } from '../helpers/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('sp-asset-folder-')));
afterAll(() => cleanup());

describe('an asset folder of media in formats the provider does not take', () => {
  it('classifies every one of them by its bytes and leaves out only what is not media, saying so', async () => {
    const folder = join(dir, 'shoot');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder);
    const files: Array<[string, string]> = [
      ['1 camcorder.mts', 'camcorder.mts'], ['2 dvd.mpg', 'dvd.mpg'], ['3 layers.psd', 'layers.psd'], ['4 scan.jp2', 'image.jp2'],
      ['5 photo.jxl', 'image.jxl'], ['6 iphone.heic', 'heic-orientation-6.heic'], ['7 memo.aac', 'id3-adts-16s.aac'],
      ['8 tone.aiff', 'tone.aiff'], ['9 broadcast.wav', 'rf64.wav'], ['10 tone.wv', 'tone.wv'], ['11 padded.mp3', 'zero-padded.mp3'],
    ];
    for (const [name, source] of files) await copyFile(fixture(source), join(folder, name));
    await writeFile(join(folder, 'notes.txt'), 'shot list, not media\n');
    await writeFile(join(folder, 'prompt.txt'), 'video 1 then image 1\n');

    const outcome = await checkTargets({ paths: [folder], profile: SEED_PROFILE });
    expect(outcome.ignored).toEqual([join(folder, 'notes.txt')]);
    expect(outcome.inputs[0]!.request).toEqual({
      model: 'seedance-2.0-reference-to-video',
      prompt: 'video 1 then image 1',
      video_urls: ['1 camcorder.mts', '2 dvd.mpg'],
      image_urls: ['3 layers.psd', '4 scan.jp2', '5 photo.jxl', '6 iphone.heic'],
      audio_urls: ['7 memo.aac', '8 tone.aiff', '9 broadcast.wav', '10 tone.wv', '11 padded.mp3'],
    });
    const formats = outcome.jobs[0]!.files.map((f) => [f.path.slice(folder.length + 1), f.kind, f.violations.filter((v) => v.rule.endsWith('.format')).map((v) => v.rule)]);
    expect(formats).toEqual([
      ['1 camcorder.mts', 'video', ['video.format']], ['2 dvd.mpg', 'video', ['video.format']],
      ['3 layers.psd', 'image', ['image.format']], ['4 scan.jp2', 'image', ['image.format']], ['5 photo.jxl', 'image', ['image.format']], ['6 iphone.heic', 'image', ['image.format']],
      ['7 memo.aac', 'audio', ['audio.format']], ['8 tone.aiff', 'audio', ['audio.format']], ['9 broadcast.wav', 'audio', ['audio.format']], ['10 tone.wv', 'audio', ['audio.format']], ['11 padded.mp3', 'audio', []],
    ]);
  }, 60_000);
});
