import { isAbsolute, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayPath } from '../../src/shared/display-path.js';

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
    ['/tmp/job/clip.mp4', '../../../tmp/job/clip.mp4'],
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

  it('any path: never absolute, names the same file from the working folder, and shown again is unchanged', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9 ._-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    const path = fc.tuple(fc.boolean(), fc.array(fc.oneof(segment, fc.constant('..'), fc.constant('.')), { maxLength: 6 })).map(([absolute, parts]) => (absolute ? '/' : '') + parts.join('/'));
    fc.assert(
      fc.property(path, (p) => {
        const shown = displayPath(p, CWD);
        if (p === '') return shown === '';
        expect(isAbsolute(shown)).toBe(false);
        expect(resolve(CWD, shown)).toBe(resolve(CWD, p));
        expect(displayPath(shown, CWD)).toBe(shown);
        return true;
      }),
    );
  });
});
