import { describe, expect, it } from 'vitest';
import { validateCreate } from '../../src/sandbox/create-validation.js';
import { loadOpenApiDocuments } from '../../src/sandbox/openapi-documents.js';

const { validators } = loadOpenApiDocuments();
const ref = { model: 'seedance-2.0-reference-to-video', prompt: 'p', image_urls: ['https://cdn.example/a.jpg'] };
const text = { model: 'seedance-2.0-text-to-video', prompt: 'p' };
const strict = { allowInsecureCallbacks: false };

describe('validateCreate: the OpenAPI schema, then the prose rules', () => {
  it.each([
    ['a full reference request', { ...ref, video_urls: ['https://cdn.example/v.mp4'], audio_urls: ['https://cdn.example/a.mp3'], duration: 15, quality: '4k', aspect_ratio: 'adaptive', generate_audio: false, content_filter: false, callback_url: 'https://hooks.example/x' }, null],
    ['a full text request', { ...text, duration: 4, quality: '480p', aspect_ratio: '9:16', model_params: { web_search: true }, callback_url: 'https://hooks.example/x' }, null],
    ['a missing prompt', { model: text.model }, { param: 'prompt', message: 'prompt is required' }],
    ['duration 16', { ...text, duration: 16 }, { param: 'duration', message: 'duration must be <= 15' }],
    ['duration 5.5', { ...text, duration: 5.5 }, { param: 'duration', message: 'duration must be integer' }],
    ['quality 2k', { ...text, quality: '2k' }, { param: 'quality', message: 'quality must be equal to one of the allowed values: "480p", "720p", "1080p", "4k"' }],
    ['10 images', { ...ref, image_urls: Array.from({ length: 10 }, (_, i) => `https://cdn.example/${i}.jpg`) }, { param: 'image_urls', message: 'image_urls must NOT have more than 9 items' }],
    ['an image that is not a URI', { ...ref, image_urls: ['not a uri'] }, { param: 'image_urls.0', message: 'image_urls.0 must match format "uri"' }],
    ['web_search as text', { ...text, model_params: { web_search: 'yes' } }, { param: 'model_params.web_search', message: 'model_params.web_search must be boolean' }],
    ['an unknown model', { ...text, model: 'seedance-1.0' }, { param: 'model', message: 'model must be one of "seedance-2.0-reference-to-video", "seedance-2.0-text-to-video", not "seedance-1.0"' }],
    ['media for text-to-video', { ...text, image_urls: ['https://cdn.example/a.jpg'] }, { param: 'image_urls', message: 'seedance-2.0-text-to-video does not accept image_urls; use seedance-2.0-reference-to-video for reference media' }],
    ['audio alone', { model: ref.model, prompt: 'p', audio_urls: ['https://cdn.example/a.mp3'] }, { param: 'audio_urls', message: 'audio_urls cannot be the only media: give at least one image (image_urls) or video (video_urls)' }],
    ['a data URI', { ...ref, image_urls: ['data:image/png;base64,iVBORw0KGgo='] }, { param: 'image_urls[0]', message: 'image_urls[0] must be an http(s) URL the servers can fetch; Base64 and data URIs are not accepted' }],
    ['an http callback', { ...text, callback_url: 'http://hooks.example/x' }, { param: 'callback_url', message: 'callback_url must use HTTPS, not http' }],
    ['a private callback', { ...text, callback_url: 'https://192.168.1.4/x' }, { param: 'callback_url', message: 'callback_url must not point at a private address (192.168.1.4)' }],
    ['a callback of 2,049 characters', { ...text, callback_url: `https://hooks.example/${'a'.repeat(2049 - 22)}` }, { param: 'callback_url', message: 'callback_url must be at most 2048 characters (it has 2049)' }],
    ['a JSON array', [1], { param: 'body', message: 'the body must be a JSON object' }],
  ])('%s', (_name, body, expected) => {
    expect(validateCreate(body, validators, strict)).toEqual(expected);
  });

  it('accepts loopback http callbacks only when told to (the sandbox flag)', () => {
    const body = { ...text, callback_url: 'http://127.0.0.1:8080/done' };
    expect(validateCreate(body, validators, strict)).toEqual({ param: 'callback_url', message: 'callback_url must use HTTPS, not http' });
    expect(validateCreate(body, validators, { allowInsecureCallbacks: true })).toBeNull();
    expect(validateCreate({ ...text, callback_url: 'ftp://127.0.0.1/x' }, validators, { allowInsecureCallbacks: true })).toEqual({ param: 'callback_url', message: 'callback_url must use HTTPS, not ftp' });
  });
});
