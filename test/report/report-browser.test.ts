import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { makeClip } from '../helpers/make-media.js';
import { cli } from '../helpers/run-cli.js';
import { copyDemo } from '../helpers/sandbox-job.js';
import { displayPath } from '../../src/shared/display-path.js';

/** Debian's chromium (apt-get install chromium): browser packages from npm download at install time, which fails here. */
const CHROMIUM = process.env.SEEDANCE_TEST_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.SEEDANCE_TEST_REQUIRE_BROWSER === '1';
const missing = existsSync(CHROMIUM) ? null : `no browser at ${CHROMIUM} (apt-get install chromium, or set SEEDANCE_TEST_CHROMIUM)`;
if (missing && !required) console.warn(`test/report/report-browser.test.ts skipped: ${missing}`);

let dir: string;
let cleanup: () => Promise<void>;
let browser: Browser | undefined;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('sp-report-browser-'));
  // as root, Chromium refuses to start without --no-sandbox
  if (!missing) browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cleanup();
});

it.runIf(missing && required)(`a browser is required (SEEDANCE_TEST_REQUIRE_BROWSER=1) but there is ${missing}`, () => {
  expect.fail(`SEEDANCE_TEST_REQUIRE_BROWSER=1 and ${missing}`);
});

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

/** Opens a report as a reader would (file://), recording console errors, page errors and every request made. */
async function open(file: string): Promise<Opened> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests };
}

async function images(page: Page) {
  return page.$$eval('img', (all) => all.map((img) => ({ src: img.getAttribute('src'), alt: img.alt, loaded: img.complete && img.naturalWidth > 0 })));
}

/** Each card's heading (without its status badge), status and the rule ids of its rules table. */
async function cardRules(page: Page) {
  return page.$$eval('article.card', (cards) =>
    cards.map((c) => ({
      title: c.querySelector('h3')!.textContent!.slice(0, -c.querySelector('h3 .badge')!.textContent!.length).trim(),
      status: `${c.getAttribute('data-file-status')}: ${c.querySelector('h3 .badge')!.textContent}`,
      rules: [...c.querySelectorAll('table.rules tr[data-rule]')].map((r) => r.getAttribute('data-rule')),
    })),
  );
}

/** Elements drawn past the right edge of their card (a long ffmpeg argument that does not wrap), as "card: tag text". */
async function overflowing(page: Page): Promise<string[]> {
  return page.$$eval('article.card', (cards) =>
    cards.flatMap((c) => {
      const edge = c.getBoundingClientRect().right;
      return [...c.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > edge + 0.5).map((e) => `${c.id}: ${e.tagName} ${e.textContent!.slice(0, 40)}`);
    }),
  );
}

/** The header's sentence and the file filters' labels. */
async function counts(page: Page): Promise<{ header: string; filters: string[] }> {
  return {
    header: (await page.locator('header p.muted').textContent())!.replace(/; generated .*$/, ''),
    filters: await page.$$eval('#files fieldset label', (labels) => labels.map((l) => l.textContent!.trim())),
  };
}

describe.skipIf(missing !== null)(missing ? `report in a real browser: skipped, ${missing}` : 'report in a real browser (Debian chromium)', () => {
  it('the demo folder, fixed: three cards, each a before/after pair of loaded pictures; a prompt reference jumps to its card', async () => {
    await copyDemo(join(dir, 'demo'));
    const file = join(dir, 'demo.html');
    // run from `dir`: every path in the report is as typed from there
    const run = await cli(['fix', 'demo', '--out', 'demo-fixed', '--report', 'demo.html'], { env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') }, cwd: dir });
    expect(run.code).toBe(0);
    const { page, problems, requests } = await open(file);

    const all = await images(page);
    expect(all.filter((i) => !i.loaded)).toEqual([]);
    expect(all.every((i) => i.alt.length > 0)).toBe(true);
    expect(await cardRules(page)).toEqual([
      { title: 'image: demo/banner.png (image 1)', status: 'fixed: fixed', rules: ['image.aspect_ratio'] },
      { title: 'video: demo/clip.webm (video 1)', status: 'fixed: fixed', rules: ['video.format', 'video.codec', 'video.fps'] },
      { title: 'audio: demo/music.flac (audio 1)', status: 'fixed: fixed', rules: ['audio.format'] },
    ]);
    expect(await counts(page)).toEqual({ header: '3 media files: 0 failing, 3 fixed, 0 passing; found before fixing: 5 errors, 0 warnings', filters: ['all (3)', 'failing (0)', 'fixed (3)', 'passing (0)'] });
    // a fixed card has its own stripe: not the failing red, not the passing green
    const stripes = await page.evaluate("[...document.querySelectorAll('article.card')].map((c) => getComputedStyle(c).borderLeftColor)");
    expect(stripes).toEqual(['rgb(11, 110, 138)', 'rgb(11, 110, 138)', 'rgb(11, 110, 138)']);
    const pairs = await page.$$eval('article.card', (cards) =>
      cards.map((c) => [c.querySelector('.pair .before img.main')?.getAttribute('alt'), c.querySelector('.pair .after img.main')?.getAttribute('alt')]),
    );
    expect(pairs).toEqual([
      ['before: image demo/banner.png 3000×1000', 'after: image demo-fixed/banner.png 3000×1200'],
      ['before: poster frame of video demo/clip.webm 854×480, 4 s', 'after: poster frame of video demo-fixed/clip.mp4 854×480, 4 s'],
      ['before: waveform of audio demo/music.flac, 4 s', 'after: waveform of audio demo-fixed/music.mp3, 4.05 s'],
    ]);

    // each file broke a rule and its copy conforms: fixed, and the filter shows them as such
    expect(await page.$$eval('tr[data-file-status]', (rows) => rows.map((r) => r.getAttribute('data-file-status')))).toEqual(['fixed', 'fixed', 'fixed']);
    await page.check('#files-failing');
    expect(await page.locator('article.card:visible').count()).toBe(0);
    await page.check('#files-fixed');
    expect(await page.locator('article.card:visible').count()).toBe(3);
    await page.check('#files-all');

    await page.click('a.ref[data-ref="video 1"]');
    expect(await page.evaluate("[location.hash, document.querySelector(':target')?.id]")).toEqual(['#card-2', 'card-2']);
    const box = (await page.locator('#card-2').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(900);

    const shot = join(dir, 'demo.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    await page.close();
  }, 180_000);

  it('a folder with every kind of violation: one card per file with the rule ids check reports, all pictures loaded, missing references marked', async () => {
    const job = join(dir, 'everything');
    await mkdir(job, { recursive: true });
    const imageNames = ['wide-3000x1000.png', 'tiny-200x200.png', 'image.bmp', 'png-named.jpg', 'truncated.jpg', 'image.avif', 'image.gif', 'image.tiff', 'image.svg', 'exif-orientation-6.jpg'];
    const videos = ['vp9.webm', 'long-16s.mp4', 'fps-120.mp4', 'no-moov.mp4'];
    const audios = ['long-20s.mp3', 'short-1s.wav', 'tone.ogg', 'tone.flac'];
    const odd = `odd <b> & "quoted" 'name'.png`;
    for (const name of [...imageNames, ...videos, ...audios]) await copyFile(fixture(name), join(job, name));
    await copyFile(fixture('wide-3000x1000.png'), join(job, odd));
    await writeFile(
      join(job, 'request.json'),
      JSON.stringify({
        model: 'seedance-2.0-reference-to-video',
        prompt: 'The banner of image 1 over video 2, @Image12 in the corner, with 音频1 and audio 5.',
        image_urls: [...imageNames, odd],
        video_urls: videos,
        audio_urls: audios,
        duration: 20,
        quality: '2k',
        colour: 'red',
      }),
    );
    const file = join(job, 'report.html');
    // check reads its PATHs from the process's working folder: the folder as typed from there ("../../tmp/…/everything")
    const shown = displayPath(job, process.cwd());
    const checked = await cli(['check', shown, '--json', '--no-cache', '--report', file]);
    expect(checked.code).toBe(1);
    const expected = (JSON.parse(checked.stdout) as { files: Array<{ path: string; violations: Array<{ rule: string }> }>; request: { violations: Array<{ rule: string }> } });

    const { page, problems, requests } = await open(file);
    const cards = await cardRules(page);
    expect(cards).toHaveLength(imageNames.length + 1 + videos.length + audios.length);
    // each rule once per card: check --json lists tiny-200x200.png's image.dimensions twice (width and height)
    expect(expected.files.find((f) => f.path === `${shown}/tiny-200x200.png`)!.violations.map((v) => v.rule)).toEqual(['image.dimensions', 'image.dimensions']);
    expect(cards.map((c) => c.rules)).toEqual(expected.files.map((f) => [...new Set(f.violations.map((v) => v.rule))]));
    expect(await page.$$eval('#card-2 tr[data-rule="image.dimensions"] + tr.message', (rows) => rows.map((r) => r.textContent))).toEqual([
      'image width is 200 px (200×200 as displayed); allowed: 300–6,000 px (rule image.dimensions). Fix: scale up so the width is at least 300 px, keeping the aspect ratio (seedance-preflight fix does this).' +
        'image height is 200 px (200×200 as displayed); allowed: 300–6,000 px (rule image.dimensions). Fix: scale up so the height is at least 300 px, keeping the aspect ratio (seedance-preflight fix does this).',
    ]);
    // the same paths as check --json, as typed from the folder the command ran in
    expect(cards.map((c) => c.title.split(': ')[1]!.replace(/ \((image|video|audio) \d+\)$/, ''))).toEqual(expected.files.map((f) => f.path));
    expect(cards.find((c) => c.title.includes(odd))?.rules).toEqual(['image.aspect_ratio']);
    // the index says which fix each file gets: one item per rule, both of image.dimensions' fixes in it
    expect(await page.$$eval('#files tr:has(a[href="#card-2"]) ul.remedies li', (items) => items.map((i) => i.textContent))).toEqual([
      'scale up so the width is at least 300 px, keeping the aspect ratio; scale up so the height is at least 300 px, keeping the aspect ratio',
    ]);
    expect(await page.$$eval('div.request table.rules tr[data-rule]', (rows) => rows.map((r) => r.getAttribute('data-rule')))).toEqual([...new Set(expected.request.violations.map((v) => v.rule))]);

    const all = await images(page);
    expect(all.filter((i) => !i.loaded)).toEqual([]);
    // every readable file has a picture; truncated.jpg and no-moov.mp4 cannot be read
    expect(await page.$$eval('article.card .nopreview', (n) => n.map((e) => e.textContent))).toEqual([`no preview of ${shown}/truncated.jpg`, `no preview of ${shown}/no-moov.mp4`]);
    expect(await page.$$eval('mark.ref.missing', (m) => m.map((e) => e.textContent))).toEqual(['@Image12', 'audio 5']);

    // the files filter (CSS only) shows just the failing cards
    const failing = expected.files.filter((f) => f.violations.some((v) => (v as { severity?: string }).severity === 'error')).length;
    await page.check('#files-failing');
    expect(await page.locator('article.card:visible').count()).toBe(failing);
    await page.check('#files-all');
    expect(await page.locator('article.card:visible').count()).toBe(cards.length);

    await page.click('a.ref[data-ref="audio 1"]');
    const target = await page.evaluate("document.querySelector(':target')?.querySelector('h3')?.textContent");
    expect(target).toBe(`audio: ${shown}/long-20s.mp3 (audio 1) failing`);
    await page.screenshot({ path: join(dir, 'everything.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    await page.close();
  }, 180_000);
  it('fix of a job whose conforming videos are cut to the combined cap: re-encoded and renamed files are fixed, a copy passes; operations wrap inside narrow cards', async () => {
    const job = join(dir, 'mixed');
    await mkdir(job, { recursive: true });
    // 1280×800 is over the 720p pixel budget (a warning: scaled); together the two videos last 17 s (cut to 15 s)
    await makeClip(job, 'wide.mp4', { width: 1280, height: 800, fps: 24, seconds: 9, source: 'color' });
    await makeClip(job, 'small.mp4', { width: 854, height: 480, fps: 24, seconds: 8, source: 'color' });
    await copyFile(fixture('landscape-1280x720.jpg'), join(job, 'still.jpg'));
    await copyFile(fixture('landscape-1280x720.jpg'), join(job, 'photo.png'));
    await writeFile(join(job, 'request.json'), JSON.stringify({ model: 'seedance-2.0-reference-to-video', prompt: 'video 1 then video 2', video_urls: ['wide.mp4', 'small.mp4'], image_urls: ['still.jpg', 'photo.png'], duration: 5 }));
    const run = await cli(['fix', 'mixed', '--out', 'mixed-fixed', '--report', 'mixed.html'], { env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') }, cwd: dir });
    expect(run.code).toBe(0);
    const { page, problems } = await open(join(dir, 'mixed.html'));
    await page.setViewportSize({ width: 720, height: 900 });
    expect(await cardRules(page)).toEqual([
      { title: 'image: mixed/still.jpg (image 1)', status: 'passing: passing', rules: [] },
      { title: 'image: mixed/photo.png (image 2)', status: 'fixed: fixed', rules: ['file.extension_mismatch'] },
      { title: 'video: mixed/wide.mp4 (video 1)', status: 'fixed: fixed', rules: ['video.pixels_for_quality'] },
      // breaks no rule of its own: re-encoded for the request's cut, so fixed
      { title: 'video: mixed/small.mp4 (video 2)', status: 'fixed: fixed', rules: [] },
    ]);
    expect(await counts(page)).toEqual({ header: '4 media files: 0 failing, 3 fixed, 1 passing; found before fixing: 1 error, 2 warnings', filters: ['all (4)', 'failing (0)', 'fixed (3)', 'passing (1)'] });
    expect(await page.$$eval('#files tbody td:last-child', (cells) => cells.map((c) => c.textContent))).toEqual(['copy', 'renamed copy', 're-encode', 're-encode']);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: join(dir, 'mixed.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
