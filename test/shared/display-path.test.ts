import { isAbsolute, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayPath, displayPathsIn } from '../../src/shared/display-path.js';

const CWD = '/home/ana/work';

describe('displayPath: as the user would type it from the folder the command ran in', () => {
  it.each([
    ['/home/ana/work/demo/clip.webm', 'demo/clip.webm'],
    ['demo/clip.webm', 'demo/clip.webm'],
    ['./demo//clip.webm', 'demo/clip.webm'],
    ['demo/../demo/clip.webm', 'demo/clip.webm'],
    ['/home/ana/work', '.'],
    ['.', '.'],
    ['/home/ana/out/clip.mp4', '../out/clip.mp4'],
    // nothing in common but the root: the absolute path reads better than ../../../tmp/job/clip.mp4
    ['/tmp/job/clip.mp4', '/tmp/job/clip.mp4'],
    ['/', '/'],
    ['../other/a.png', '../other/a.png'],
    ['/home/ana/workshop/a.png', '../workshop/a.png'],
    ['https://cdn.example.com/a/b.mp4', 'https://cdn.example.com/a/b.mp4'],
    ['s3://bucket/key.png', 's3://bucket/key.png'],
    ['data:image/png;base64,AAAA', 'data:image/png;base64,AAAA'],
    ['', ''],
  ])('%s → %s', (path, shown) => {
    expect(displayPath(path, CWD)).toBe(shown);
  });

  it('a relative working folder is taken from the process', () => {
    expect(displayPath(resolve('x/y.png'), '.')).toBe('x/y.png');
  });

  it('any path: absolute only when it shares no folder with the working folder but the root, names the same file, and shown again is unchanged', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9 ._-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    const path = fc.tuple(fc.boolean(), fc.array(fc.oneof(segment, fc.constant('..'), fc.constant('.')), { maxLength: 6 })).map(([absolute, parts]) => (absolute ? '/' : '') + parts.join('/'));
    fc.assert(
      fc.property(path, (p) => {
        const shown = displayPath(p, CWD);
        if (p === '') return shown === '';
        const target = resolve(CWD, p);
        expect(isAbsolute(shown)).toBe(target.split('/')[1] !== 'home');
        expect(resolve(CWD, shown)).toBe(resolve(CWD, p));
        expect(displayPath(shown, CWD)).toBe(shown);
        return true;
      }),
    );
  });
});

describe('displayPathsIn: paths under the command folder inside a sentence', () => {
  it.each([
    ["it resolves to /w/pc/root/b/x.png, outside the job's folder /w/pc/root/a; nothing", "it resolves to root/b/x.png, outside the job's folder root/a; nothing"],
    ['/w/pc/root/a/clip.webm: ffmpeg failed', 'root/a/clip.webm: ffmpeg failed'],
    ['move the file into /w/pc, or pass --allow-outside-paths', 'move the file into ., or pass --allow-outside-paths'],
    ['a sibling /w/pcx/a is another folder', 'a sibling /w/pcx/a is another folder'],
    ['outside: /etc/passwd ("/w/pc/a")', 'outside: /etc/passwd ("a")'],
    ['a URL https://host/w/pc/a is not a path', 'a URL https://host/w/pc/a is not a path'],
  ])('%s', (sentence, shown) => {
    expect(displayPathsIn(sentence, '/w/pc')).toBe(shown);
  });

  it('changes nothing in a sentence that does not hold the folder', () => {
    fc.assert(
      fc.property(fc.string(), (sentence) => {
        fc.pre(!sentence.includes('/w/pc'));
        expect(displayPathsIn(sentence, '/w/pc')).toBe(sentence);
      }),
    );
  });
});
