import { describe, expect, it } from 'vitest';
import { shortNames } from '../../src/check/short-names.js';

describe('shortNames: files listed in one sentence, relative to the folder they share', () => {
  it.each([
    ['one request folder: bare names', ['/w/out/job/c1.mp4', '/w/out/job/c2.mp4'], ['c1.mp4', 'c2.mp4']],
    ['a subfolder keeps its part', ['/w/job/c1.mp4', '/w/job/more/c2.mp4'], ['c1.mp4', 'more/c2.mp4']],
    ['one file: its name', ['/w/job/c1.mp4'], ['c1.mp4']],
    ['a URL stays as it is, beside local files', ['https://cdn.example.com/a.mp4', '/w/job/c1.mp4'], ['https://cdn.example.com/a.mp4', 'c1.mp4']],
    ['nothing shared but the root: as they are', ['/a/c1.mp4', '/b/c2.mp4'], ['/a/c1.mp4', '/b/c2.mp4']],
    ['names in the current folder as they are', ['v1.mp4', 'v2.mp4'], ['v1.mp4', 'v2.mp4']],
    ['relative paths (an asset folder given as f/C7) lose their shared folder too', ['f/C7/c1.mp4', 'f/C7/c2.mp4'], ['c1.mp4', 'c2.mp4']],
    ['paths up from the current folder', ['../o/T/t1.mp4', '../o/T/t2.mp4'], ['t1.mp4', 't2.mp4']],
    ['files in the root keep their names', ['/c1.mp4', '/c2.mp4'], ['/c1.mp4', '/c2.mp4']],
  ] as const)('%s', (_name, names, expected) => {
    expect(shortNames(names)).toEqual(expected);
  });
});
