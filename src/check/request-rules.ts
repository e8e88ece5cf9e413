import { REFERENCE_MODEL, TEXT_MODEL, type Profile } from '../spec/profile.js';
import { MEDIA_FIELDS } from '../spec/request-fields.js';
import { ruleSource } from '../spec/rule-sources.js';
import { callbackUrlProblem } from './callback-url.js';
import { redactUrls } from '../shared/redact.js';
import { formatValue } from './format-value.js';
import { makeViolation, type ViolationInit } from './make-violation.js';
import { countCjk, countEnglishWords, estimateTokens } from './prompt.js';
import { unknownFieldViolations } from './unknown-fields.js';
import type { Violation } from './violation.js';

/** Rules on the request's own fields (not its media). Pure. */
export function checkRequestFields(request: Record<string, unknown>, profile: Profile, subject: string): Violation[] {
  const out: Violation[] = [];
  const emit = (init: Omit<ViolationInit, 'subject'>) => out.push(makeViolation({ ...init, subject }));
  const limits = profile.request;

  const model = request.model;
  if (typeof model !== 'string' || !limits.models.value.includes(model)) {
    emit({ rule: 'request.model', actual: typeof model === 'string' ? model : null, limit: { oneOf: limits.models.value, unit: 'value' }, problem: model === undefined ? 'model is missing' : `model ${JSON.stringify(model)} is not a Seedance 2.0 model`, fix: `set "model" to "${REFERENCE_MODEL}" (with media) or "${TEXT_MODEL}" (text only)`, fixable: false, source: limits.models.source });
  }
  const isText = model === TEXT_MODEL;

  checkPrompt(request.prompt, isText, profile, emit);

  if (request.duration !== undefined) {
    const { min, max } = limits.duration.value;
    const duration = request.duration;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < min || duration > max) {
      emit({ rule: 'request.duration', actual: describe(request.duration), limit: { min, max, unit: 's' }, problem: `duration ${JSON.stringify(request.duration)} is not a whole number of seconds from ${min} to ${max}`, fix: `set "duration" to an integer from ${min} to ${max}`, fixable: false, source: limits.duration.source });
    }
  }
  enumField('quality', request.quality, limits.qualities.value, limits.qualities.source, emit);
  enumField('aspect_ratio', request.aspect_ratio, limits.aspectRatios.value, limits.aspectRatios.source, emit);
  for (const field of ['generate_audio', 'content_filter'] as const) {
    const value = request[field];
    if (value !== undefined && typeof value !== 'boolean') {
      emit({ rule: `request.${field}`, actual: describe(value), problem: `${field} is ${JSON.stringify(value)}, not a boolean`, fix: `set "${field}" to true or false (without quotes)`, fixable: false, source: ruleSource(`request.${field}`) });
    }
  }
  checkCallback(request.callback_url, profile, emit);

  if (request.model_params !== undefined) {
    const params = request.model_params;
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      emit({ rule: 'request.web_search', actual: describe(params), problem: 'model_params is not an object', fix: 'set "model_params" to {"web_search": true} or remove it', fixable: false, source: ruleSource('request.web_search') });
    } else {
      const webSearch = (params as Record<string, unknown>).web_search;
      if (webSearch !== undefined && typeof webSearch !== 'boolean') {
        emit({ rule: 'request.web_search', actual: describe(webSearch), problem: `model_params.web_search is ${JSON.stringify(webSearch)}, not a boolean`, fix: 'set it to true or false', fixable: false, source: ruleSource('request.web_search') });
      } else if (webSearch !== undefined && model === REFERENCE_MODEL) {
        emit({ rule: 'request.web_search', actual: webSearch, problem: 'model_params.web_search is only for text-to-video', fix: `remove "model_params" or use "${TEXT_MODEL}"`, fixable: false, source: ruleSource('request.web_search') });
      }
    }
  }

  if (isText) {
    const present = MEDIA_FIELDS.filter((field) => request[field] !== undefined);
    if (present.length > 0) {
      emit({ rule: 'request.media_for_text_model', actual: present.join(', '), problem: `text-to-video accepts no media, but the request has ${present.join(', ')}`, fix: `remove ${present.join(', ')}, or use "${REFERENCE_MODEL}"`, fixable: false, source: ruleSource('request.media_for_text_model') });
    }
  }

  for (const init of unknownFieldViolations(request)) emit(init);
  return out;
}

function checkPrompt(prompt: unknown, isText: boolean, profile: Profile, emit: (init: Omit<ViolationInit, 'subject'>) => void): void {
  const { promptMaxTokens, promptRecommendedChineseChars, promptRecommendedEnglishWords } = profile.request;
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    const problem = prompt === undefined ? 'prompt is missing' : typeof prompt !== 'string' ? `prompt is ${describe(prompt)}, not text` : 'prompt is empty';
    emit({ rule: 'request.prompt', actual: describe(prompt), problem, fix: 'write a prompt ("prompt" in the request, prompt.txt in an asset folder, or --prompt)', fixable: false, source: promptMaxTokens.source });
    return;
  }
  const tokens = estimateTokens(prompt);
  if (tokens > promptMaxTokens.value) {
    emit({ rule: 'request.prompt', actual: tokens, limit: { max: promptMaxTokens.value, unit: 'tokens' }, problem: `prompt is about ${formatValue(tokens, 'tokens')} (conservative estimate)`, fix: 'shorten the prompt', fixable: false, source: promptMaxTokens.source });
  }
  const cjk = countCjk(prompt);
  if (cjk > promptRecommendedChineseChars.value) {
    emit({ rule: 'request.prompt_length', severity: 'warning', actual: cjk, limit: { max: promptRecommendedChineseChars.value, unit: 'chars' }, problem: `prompt has ${cjk} Chinese characters, more than recommended`, fix: 'shorten the prompt for more faithful results', fixable: false, source: promptRecommendedChineseChars.source });
  }
  const words = countEnglishWords(prompt);
  if (isText && words > promptRecommendedEnglishWords.value) {
    emit({ rule: 'request.prompt_length', severity: 'warning', actual: words, limit: { max: promptRecommendedEnglishWords.value, unit: 'words' }, problem: `prompt has ${words} English words, more than recommended`, fix: 'shorten the prompt for more faithful results', fixable: false, source: promptRecommendedEnglishWords.source });
  }
}

function checkCallback(value: unknown, profile: Profile, emit: (init: Omit<ViolationInit, 'subject'>) => void): void {
  if (value === undefined) return;
  const limit = profile.request.callbackMaxLength;
  const source = `${limit.source}; HTTPS only, no private addresses`;
  if (typeof value !== 'string') {
    emit({ rule: 'request.callback_url', actual: describe(value), problem: 'callback_url is not a string', fix: 'set "callback_url" to an https:// URL or remove it', fixable: false, source });
    return;
  }
  const problem = callbackUrlProblem(value, limit.value);
  if (!problem) return;
  switch (problem.kind) {
    case 'too_long':
      emit({ rule: 'request.callback_url', actual: problem.length, limit: { max: limit.value, unit: 'chars' }, problem: `callback_url is ${problem.length} characters long`, fix: 'use a shorter callback URL', fixable: false, source });
      return;
    case 'not_a_url':
      emit({ rule: 'request.callback_url', actual: redactUrls(value), problem: 'callback_url is not a valid URL', fix: 'set it to an https:// URL', fixable: false, source });
      return;
    case 'credentials':
      emit({ rule: 'request.callback_url', actual: problem.shown, problem: `callback_url ${problem.shown} carries credentials (user:password@), which would be sent to the provider and kept in the job's journal`, fix: 'remove the "user:password@" part: put a secret token in the URL\'s path or query, or verify a callback by its task id (query the task)', fixable: false, source });
      return;
    case 'not_https':
      emit({ rule: 'request.callback_url', actual: problem.protocol, problem: `callback_url uses ${problem.protocol}, and only HTTPS is accepted`, fix: 'use an https:// URL', fixable: false, source });
      return;
    case 'private_host':
      emit({ rule: 'request.callback_url', actual: problem.host, problem: `callback_url points at ${problem.host}, a private or loopback address the provider refuses`, fix: 'use a publicly reachable HTTPS host', fixable: false, source });
  }
}

function enumField(field: 'quality' | 'aspect_ratio', value: unknown, allowed: string[], source: string, emit: (init: Omit<ViolationInit, 'subject'>) => void): void {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return;
  emit({ rule: `request.${field}`, actual: describe(value), limit: { oneOf: allowed, unit: 'value' }, problem: `${field} ${JSON.stringify(value)} is not accepted`, fix: `set "${field}" to one of ${allowed.join(', ')}`, fixable: false, source });
}

/** A JSON value as it appears in `actual`. */
function describe(value: unknown): string | number | boolean | null {
  if (value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return JSON.stringify(value);
}
