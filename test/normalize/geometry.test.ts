import { describe, expect, it } from 'vitest';
import { fits, planGeometry, type FrameLimits } from '../../src/normalize/geometry.js';

const VIDEO: FrameLimits = { side: { min: 300, max: 6000 }, aspectRatio: { min: 0.4, max: 2.5 }, pixels: { min: 409_600, max: 2_086_876 }, even: true };
const IMAGE: FrameLimits = { side: { min: 300, max: 6000 }, aspectRatio: { min: 0.4, max: 2.5 }, even: false };

describe('planGeometry', () => {
  it.each([
    // displayed size, limits, fit → frame, crop, content
    ['640×360 video is scaled up to the pixel minimum, 16:9 kept', 640, 360, VIDEO, 'pad', { width: 854, height: 480, crop: null, contentWidth: 854, contentHeight: 480 }],
    ['3840×2160 video is scaled down to the pixel cap (no short-side rule)', 3840, 2160, VIDEO, 'pad', { width: 1926, height: 1082, crop: null, contentWidth: 1926, contentHeight: 1082 }],
    ['2160×3840 (a rotated phone video, displayed) stays portrait', 2160, 3840, VIDEO, 'pad', { width: 1082, height: 1926, crop: null, contentWidth: 1082, contentHeight: 1926 }],
    ['7680×4320 video comes down to 1926×1082', 7680, 4320, VIDEO, 'pad', { width: 1926, height: 1082, crop: null, contentWidth: 1926, contentHeight: 1082 }],
    ['1280×400 (3.2:1) video is padded to 2.5:1', 1280, 400, VIDEO, 'pad', { width: 1280, height: 512, crop: null, contentWidth: 1280, contentHeight: 400 }],
    ['1280×400 video cropped to 2.5:1, then scaled up to the pixel minimum', 1280, 400, VIDEO, 'crop', { width: 1012, height: 406, crop: { width: 1000, height: 400 }, contentWidth: 1012, contentHeight: 406 }],
    ['300×2000 video is padded to 0.4', 300, 2000, VIDEO, 'pad', { width: 800, height: 2000, crop: null, contentWidth: 300, contentHeight: 2000 }],
    ['1001×721 video gets even sides', 1001, 721, VIDEO, 'pad', { width: 1002, height: 722, crop: null, contentWidth: 1002, contentHeight: 722 }],
    ['400×1200 image padded', 400, 1200, IMAGE, 'pad', { width: 480, height: 1200, crop: null, contentWidth: 400, contentHeight: 1200 }],
    ['400×1200 image cropped', 400, 1200, IMAGE, 'crop', { width: 400, height: 1000, crop: { width: 400, height: 1000 }, contentWidth: 400, contentHeight: 1000 }],
    ['200×200 image scaled up to 300', 200, 200, IMAGE, 'pad', { width: 300, height: 300, crop: null, contentWidth: 300, contentHeight: 300 }],
    ['3000×7000 image (EXIF-rotated 7000×3000) scaled down, odd width allowed', 3000, 7000, IMAGE, 'pad', { width: 2571, height: 6000, crop: null, contentWidth: 2571, contentHeight: 6000 }],
    ['3000×1000 image padded to 2.5:1', 3000, 1000, IMAGE, 'pad', { width: 3000, height: 1200, crop: null, contentWidth: 3000, contentHeight: 1000 }],
  ] as const)('%s', (_name, width, height, limits, fit, expected) => {
    const geometry = planGeometry(width, height, limits, fit);
    expect(geometry).toEqual(expected);
    expect(fits(geometry!.width, geometry!.height, limits)).toBe(true);
  });

  it.each([
    ['854×480 video', 854, 480, VIDEO],
    ['1920×1080 video', 1920, 1080, VIDEO],
    ['odd-sized image (no even rule for images)', 1001, 721, IMAGE],
    ['6000×2400 image at both caps', 6000, 2400, IMAGE],
  ] as const)('%s already conforms: null', (_name, width, height, limits) => {
    expect(planGeometry(width, height, limits, 'pad')).toBeNull();
  });

  it('every frame it returns meets the limits, over a sweep of awkward sizes', () => {
    for (const [w, h] of [[301, 7001], [6001, 299], [999, 999], [100, 2500], [2500, 100], [641, 639], [1919, 1081], [5999, 2401]] as const) {
      for (const fit of ['pad', 'crop'] as const) {
        for (const limits of [VIDEO, IMAGE]) {
          const g = planGeometry(w, h, limits, fit) ?? { width: w, height: h };
          expect(fits(g.width, g.height, limits), `${w}×${h} ${fit} → ${g.width}×${g.height}`).toBe(true);
        }
      }
    }
  });
});
