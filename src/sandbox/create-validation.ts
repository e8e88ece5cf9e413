import { REFERENCE_MODEL, TEXT_MODEL, type ModelName } from '../spec/profile.js';
import { refuseCallback } from './callback-address.js';
import { MEDIA_ARRAYS } from './documented-media.js';
import { describeSchemaError, type RequestValidator } from './openapi-documents.js';

/** Why a create is answered 400: the field and a sentence, as the provider's `param` and `message`. */
export interface CreateRejection {
  param: string;
  message: string;
}

/** Documented maximum length of callback_url (both documents, callback_url). */
const CALLBACK_MAX_LENGTH = 2048;

/** A create body checked as the provider would: the OpenAPI schema first, then the rules the documents state in prose. */
export function validateCreate(body: unknown, validators: ReadonlyMap<ModelName, RequestValidator>, options: { allowInsecureCallbacks: boolean }): CreateRejection | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { param: 'body', message: 'the body must be a JSON object' };
  const request = body as Record<string, unknown>;
  const model = request.model;
  const validator = validators.get(model === TEXT_MODEL ? TEXT_MODEL : REFERENCE_MODEL)!;
  if (model !== TEXT_MODEL && model !== REFERENCE_MODEL) {
    return { param: 'model', message: `model must be one of ${JSON.stringify(REFERENCE_MODEL)}, ${JSON.stringify(TEXT_MODEL)}${model === undefined ? '' : `, not ${JSON.stringify(model)}`}` };
  }
  if (!validator.validate(request)) {
    const first = describeSchemaError(validator.validate.errors![0]!);
    return first;
  }
  return proseRejection(request, model, options);
}

/** Rules the documents state in prose, not in the schema. Pure. */
function proseRejection(request: Record<string, unknown>, model: ModelName, options: { allowInsecureCallbacks: boolean }): CreateRejection | null {
  const given = MEDIA_ARRAYS.map((a) => a.field).filter((field) => Array.isArray(request[field]) && (request[field] as unknown[]).length > 0);
  if (model === TEXT_MODEL && given.length > 0) {
    // text-to-video.yaml prompt: image_urls, video_urls, audio_urls are not supported
    return { param: given[0]!, message: `${TEXT_MODEL} does not accept ${given.join(', ')}; use ${REFERENCE_MODEL} for reference media` };
  }
  if (model === REFERENCE_MODEL && given.includes('audio_urls') && !given.includes('image_urls') && !given.includes('video_urls')) {
    // reference-to-video.yaml audio_urls: audio alone is not accepted
    return { param: 'audio_urls', message: 'audio_urls cannot be the only media: give at least one image (image_urls) or video (video_urls)' };
  }
  for (const field of given) {
    const urls = request[field] as string[];
    const index = urls.findIndex((url) => !/^https?:\/\//i.test(url));
    // the documents: URLs reachable by the servers; no Base64
    if (index >= 0) return { param: `${field}[${index}]`, message: `${field}[${index}] must be an http(s) URL the servers can fetch; Base64 and data URIs are not accepted` };
  }
  const callback = request.callback_url;
  if (typeof callback === 'string') {
    const problem = refuseCallback(callback, CALLBACK_MAX_LENGTH);
    if (problem?.kind === 'too_long') return { param: 'callback_url', message: `callback_url must be at most ${CALLBACK_MAX_LENGTH} characters (it has ${problem.length})` };
    if (problem?.kind === 'not_a_url') return { param: 'callback_url', message: 'callback_url is not a valid URL' };
    const insecureButAllowed = options.allowInsecureCallbacks && (problem?.kind === 'private_host' || (problem?.kind === 'not_https' && problem.protocol === 'http'));
    if (problem && !insecureButAllowed) {
      return problem.kind === 'not_https'
        ? { param: 'callback_url', message: `callback_url must use HTTPS, not ${problem.protocol}` }
        : { param: 'callback_url', message: `callback_url must not point at a private address (${problem.kind === 'private_host' ? problem.host : ''})` };
    }
  }
  return null;
}
