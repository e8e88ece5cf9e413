import { describe, expect, it } from 'vitest';
import { loadOpenApiDocuments } from '../../src/sandbox/openapi-documents.js';
import { resultSpecFor } from '../../src/sandbox/result-spec.js';

const documents = loadOpenApiDocuments();
const REF = 'seedance-2.0-reference-to-video';
const spec = (request: Record<string, unknown>, accepted = { firstVideo: null, firstImage: null } as Parameters<typeof resultSpecFor>[3]) =>
  resultSpecFor({ model: REF, prompt: 'p', ...request }, documents.defaults.get(REF)!, documents.outputSizes.get(REF)!, accepted);

describe('resultSpecFor: what the sandbox generates, read from the documents', () => {
  it('reads the defaults (5 s, 720p, 16:9, audio) and the size table from the YAML', () => {
    expect(documents.defaults.get(REF)).toMatchObject({ duration: 5, quality: '720p', aspect_ratio: '16:9', generate_audio: true });
    expect(spec({})).toEqual({ seconds: 5, width: 1280, height: 720, audio: true });
  });

  it.each([
    [{ duration: 10, quality: '1080p', aspect_ratio: '9:16', generate_audio: false }, { seconds: 10, width: 1080, height: 1920, audio: false }],
    [{ duration: 4, quality: '480p', aspect_ratio: '21:9' }, { seconds: 4, width: 992, height: 432, audio: true }],
    [{ quality: '4k', aspect_ratio: '4:3' }, { seconds: 5, width: 3326, height: 2494, audio: true }],
    [{ duration: 15, aspect_ratio: '3:4' }, { seconds: 15, width: 834, height: 1112, audio: true }],
  ])('%j', (request, expected) => {
    expect(spec(request)).toEqual(expected);
  });

  it.each([
    ['video 1 square, image 1 portrait: the video wins', { firstVideo: { width: 640, height: 640 }, firstImage: { width: 1080, height: 1920 } }, { width: 960, height: 960 }],
    ['image 1 portrait', { firstVideo: null, firstImage: { width: 1080, height: 1920 } }, { width: 720, height: 1280 }],
    ['image 1 at 800×600', { firstVideo: null, firstImage: { width: 800, height: 600 } }, { width: 1112, height: 834 }],
    ['video 1 at 2560×1080', { firstVideo: { width: 2560, height: 1080 }, firstImage: null }, { width: 1470, height: 630 }],
    ['no reference: the default ratio', { firstVideo: null, firstImage: null }, { width: 1280, height: 720 }],
  ])('adaptive: %s', (_name, accepted, size) => {
    expect(spec({ aspect_ratio: 'adaptive' }, accepted)).toEqual({ seconds: 5, ...size, audio: true });
  });
});
