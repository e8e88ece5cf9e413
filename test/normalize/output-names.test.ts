import { basename } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignOutputPaths } from '../../src/normalize/output-names.js';

describe('assignOutputPaths', () => {
  it('names outputs after their sources with the new extension, without collisions', () => {
    expect(assignOutputPaths([
      { source: '/in/clip.webm', extension: 'mp4' },
      { source: '/in/image.bmp', extension: 'jpg' },
      { source: '/in/image.tiff', extension: 'jpg' },
      { source: '/other/clip.mkv', extension: 'mp4' },
    ], '/out')).toEqual(['/out/clip.mp4', '/out/image.jpg', '/out/image-2.jpg', '/out/clip-2.mp4']);
  });

  it('never takes a source’s own path when fixing into its folder', () => {
    expect(assignOutputPaths([{ source: '/in/a.mp4', extension: 'mp4' }, { source: '/in/b.mov', extension: 'mp4' }], '/in')).toEqual(['/in/a-2.mp4', '/in/b.mp4']);
  });

  it('keeps names within 255 bytes, room left for the WebP an image may become: the stem shortened between code points, never the extension', () => {
    const stem = 'é'.repeat(125);
    const [first, second] = assignOutputPaths([{ source: `/in/${stem}.flac`, extension: 'mp3' }, { source: `/in/${stem}.ogg`, extension: 'mp3' }], '/out');
    expect(basename(first!)).toBe(`${'é'.repeat(125)}.mp3`);
    expect(Buffer.byteLength(basename(first!))).toBe(254);
    expect(basename(second!)).toBe(`${'é'.repeat(124)}-2.mp3`);
  });

  it('property: any source names → distinct outputs, each within 254 bytes with its extension last, none a source', () => {
    const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }).filter((n) => !/[/\0]/.test(n) && Buffer.byteLength(n) <= 240);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.constantFrom('mp4', 'jpg', 'png', 'mp3', 'wav', 'webp')), { minLength: 1, maxLength: 6 }), (entries) => {
        const sources = entries.map(([n, ext]) => ({ source: `/in/${n}`, extension: ext }));
        const outputs = assignOutputPaths(sources, '/in');
        expect(new Set(outputs).size).toBe(outputs.length);
        outputs.forEach((output, i) => {
          expect(Buffer.byteLength(basename(output))).toBeLessThanOrEqual(254);
          expect(output.endsWith(`.${sources[i]!.extension}`)).toBe(true);
          expect(sources.map((s) => s.source)).not.toContain(output);
        });
      }),
    );
  });
});
