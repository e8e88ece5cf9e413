import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers/fixtures.js';
import { cli } from '../helpers/run-cli.js';

/** Debian's chromium (apt-get install chromium): browser packages from npm download at install time, which fails here. */
const CHROMIUM = process.env.SEEDANCE_TEST_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.SEEDANCE_TEST_REQUIRE_BROWSER === '1';
const missing = existsSync(CHROMIUM) ? null : `no browser at ${CHROMIUM} (apt-get install chromium, or set SEEDANCE_TEST_CHROMIUM)`;
if (missing && !required) console.warn(`test/report/report-browser.test.ts skipped: ${missing}`);
const DEMO = fileURLToPath(new URL('../../fixtures/demo', import.meta.url));
/** The report shows absolute paths under the working folder relative to it. */
const SHOWN_DEMO = DEMO.startsWith(process.cwd() + sep) ? relative(process.cwd(), DEMO) : DEMO;

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

async function cardRules(page: Page) {
  return page.$$eval('article.card', (cards) => cards.map((c) => ({ title: c.querySelector('h3')!.textContent, rules: [...c.querySelectorAll('table.rules tr[data-rule]')].map((r) => r.getAttribute('data-rule')) })));
}

describe.skipIf(missing !== null)(missing ? `report in a real browser: skipped, ${missing}` : 'report in a real browser (Debian chromium)', () => {
  it('the demo folder, fixed: three cards, each a before/after pair of loaded pictures; a prompt reference jumps to its card', async () => {
    const file = join(dir, 'demo.html');
    const run = await cli(['fix', DEMO, '--out', join(dir, 'demo-fixed'), '--report', file], { env: { SEEDANCE_PREFLIGHT_CACHE_DIR: join(dir, 'cache') } });
    expect(run.code).toBe(0);
    const { page, problems, requests } = await open(file);

    const all = await images(page);
    expect(all.filter((i) => !i.loaded)).toEqual([]);
    expect(all.every((i) => i.alt.length > 0)).toBe(true);
    expect(await cardRules(page)).toEqual([
      { title: `image: ${SHOWN_DEMO}/banner.png (image 1)`, rules: ['image.aspect_ratio'] },
      { title: `video: ${SHOWN_DEMO}/clip.webm (video 1)`, rules: ['video.format', 'video.codec', 'video.fps'] },
      { title: `audio: ${SHOWN_DEMO}/music.flac (audio 1)`, rules: ['audio.format'] },
    ]);
    const pairs = await page.$$eval('article.card', (cards) =>
      cards.map((c) => [c.querySelector('.pair .before img.main')?.getAttribute('alt'), c.querySelector('.pair .after img.main')?.getAttribute('alt')]),
    );
    expect(pairs).toEqual([
      [`before: image ${SHOWN_DEMO}/banner.png 3000×1000`, `after: image ${join(dir, 'demo-fixed', 'banner.png')} 3000×1200`],
      [`before: poster frame of video ${SHOWN_DEMO}/clip.webm 854×480, 4 s`, `after: poster frame of video ${join(dir, 'demo-fixed', 'clip.mp4')} 854×480, 4 s`],
      [`before: waveform of audio ${SHOWN_DEMO}/music.flac, 4 s`, `after: waveform of audio ${join(dir, 'demo-fixed', 'music.mp3')}, 4.05 s`],
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
    const checked = await cli(['check', job, '--json', '--no-cache', '--report', file]);
    expect(checked.code).toBe(1);
    const expected = (JSON.parse(checked.stdout) as { files: Array<{ path: string; violations: Array<{ rule: string }> }>; request: { violations: Array<{ rule: string }> } });

    const { page, problems, requests } = await open(file);
    const cards = await cardRules(page);
    expect(cards).toHaveLength(imageNames.length + 1 + videos.length + audios.length);
    expect(cards.map((c) => c.rules)).toEqual(expected.files.map((f) => f.violations.map((v) => v.rule)));
    expect(cards.map((c) => c.title!.split(': ')[1]!.replace(/ \((image|video|audio) \d+\)$/, ''))).toEqual(expected.files.map((f) => f.path));
    expect(cards.find((c) => c.title!.includes(odd))?.rules).toEqual(['image.aspect_ratio']);
    expect(await page.$$eval('div.request table.rules tr[data-rule]', (rows) => rows.map((r) => r.getAttribute('data-rule')))).toEqual(expected.request.violations.map((v) => v.rule));

    const all = await images(page);
    expect(all.filter((i) => !i.loaded)).toEqual([]);
    // every readable file has a picture; truncated.jpg and no-moov.mp4 cannot be read
    expect(await page.$$eval('article.card .nopreview', (n) => n.map((e) => e.textContent))).toEqual([`no preview of ${join(job, 'truncated.jpg')}`, `no preview of ${join(job, 'no-moov.mp4')}`]);
    expect(await page.$$eval('mark.ref.missing', (m) => m.map((e) => e.textContent))).toEqual(['@Image12', 'audio 5']);

    // the files filter (CSS only) shows just the failing cards
    const failing = expected.files.filter((f) => f.violations.some((v) => (v as { severity?: string }).severity === 'error')).length;
    await page.check('#files-failing');
    expect(await page.locator('article.card:visible').count()).toBe(failing);
    await page.check('#files-all');
    expect(await page.locator('article.card:visible').count()).toBe(cards.length);

    await page.click('a.ref[data-ref="audio 1"]');
    const target = await page.evaluate("document.querySelector(':target')?.querySelector('h3')?.textContent");
    expect(target).toBe(`audio: ${join(job, 'long-20s.mp3')} (audio 1)`);
    await page.screenshot({ path: join(dir, 'everything.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    await page.close();
  }, 180_000);
});
