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
});
