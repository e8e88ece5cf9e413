import { dirname, isAbsolute, join } from 'node:path';
import type { JobMedia } from '../check/job.js';
import { makeViolation } from '../check/make-violation.js';
import type { Violation } from '../check/violation.js';
import { MEDIA_FIELDS } from '../spec/request-fields.js';
import { ruleSource } from '../spec/rule-sources.js';
import { PreflightError } from '../shared/errors.js';
import { hasCredentials, redactUrls } from '../shared/redact.js';
import { inputFileViolation } from './input-file-violation.js';
import { MAX_JSON_DEPTH, parseBoundedJson } from '../shared/json-depth.js';
import { InputFileError, readTextFile } from '../shared/read-text-file.js';

/** The most a request file may hold: the API's request body is small (a prompt of 10,000 tokens, at most 15 media URLs); 4 MiB is far above any real one. */
export const REQUEST_FILE_MAX_BYTES = 4 * 1024 * 1024;

export interface LoadedRequest {
  label: string;
  request: Record<string, unknown> | null;
  /** Media entries in request order; local ones still to be probed. */
  media: JobMedia[];
  loadViolations: Violation[];
}

export class RequestFileError extends PreflightError {
  readonly kind = 'request-file';
  constructor(readonly path: string, message: string, cause?: unknown) {
    super(message, { cause });
  }
}

export interface LoadRequestOptions {
  /** Let the request file resolve outside its own folder (a symbolic link to a shared request). */
  allowOutsidePaths?: boolean;
}

/**
 * Reads a request file as a text input of its job (the file's folder): a regular file, inside it, within the bound.
 * A missing or unreadable file throws (a usage error); one that is not a regular file, too long, outside the folder,
 * not JSON or nested too deeply is a violation, so `check` names it and `run` stops at check.
 */
export async function loadRequestFile(path: string, options: LoadRequestOptions = {}): Promise<LoadedRequest> {
  let text: string;
  try {
    text = await readTextFile(path, { what: 'request file', maxBytes: REQUEST_FILE_MAX_BYTES, ...(!options.allowOutsidePaths && { jobDir: dirname(path) }) });
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    if (error.problem === 'missing' || error.problem === 'unreadable') throw new RequestFileError(path, error.message, error);
    return { label: path, request: null, media: [], loadViolations: [inputFileViolation(path, error, 'request.json')] };
  }
  return parseRequestText(text, path);
}

/** Pure: a request file's text → request and media entries, paths resolved against the file's folder. */
export function parseRequestText(text: string, path: string): LoadedRequest {
  const label = path;
  const parsed = parseBoundedJson(text);
  if (!parsed.ok) return { label, request: null, media: [], loadViolations: [jsonViolation(label, parsed.problem, parsed.reason === 'depth' ? `nest arrays and objects at most ${MAX_JSON_DEPTH} levels deep (a request needs 3)` : undefined)] };
  const data = parsed.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { label, request: null, media: [], loadViolations: [jsonViolation(label, `it holds ${Array.isArray(data) ? 'an array' : JSON.stringify(data)}, not a JSON object`)] };
  }
  const request = data as Record<string, unknown>;
  const media: JobMedia[] = [];
  const loadViolations: Violation[] = [];
  const base = dirname(path);
  for (const field of MEDIA_FIELDS) {
    const entries = request[field];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      loadViolations.push(mediaViolation(label, `${field} is ${JSON.stringify(entries)}, not an array`, `make "${field}" an array of paths or URLs`));
      continue;
    }
    entries.forEach((entry, index) => {
      const where = `${field}[${index}]`;
      if (typeof entry !== 'string' || entry.trim() === '') {
        loadViolations.push(mediaViolation(label, `${where} is ${JSON.stringify(entry)}, not a path or URL`, 'give a relative path or an http(s) URL'));
        return;
      }
      const kind = classifyRef(entry);
      if (kind === 'data') {
        loadViolations.push(mediaViolation(label, `${where} is a data URI; the provider refuses Base64 media`, 'save it to a file and give its path (upload makes it a URL)'));
      } else if (kind === 'other-scheme') {
        loadViolations.push(mediaViolation(label, `${where} (${entry}) is neither a local path nor an http(s) URL`, 'give a relative path or an http(s) URL'));
      } else if (kind === 'url' && hasCredentials(entry)) {
        // never sent, never echoed: the provider fetches URLs anonymously, and the text would carry a password
        loadViolations.push(mediaViolation(label, `${where} (${redactUrls(entry)}) carries credentials; the provider fetches media URLs without them`, 'make the object publicly readable or presigned (upload does both) and give that URL'));
      } else if (kind === 'url') {
        media.push({ field, index, ref: entry, path: null, probe: null });
      } else {
        media.push({ field, index, ref: entry, path: isAbsolute(entry) ? entry : join(base, entry), probe: null });
      }
    });
  }
  return { label, request, media, loadViolations };
}

/** Whether a media entry is an http(s) URL, a data URI, another scheme, or a local path. */
/** The request with each local media entry replaced (by a URL, an output path), URLs and order kept. */
export function replaceLocalMedia(request: Record<string, unknown>, media: readonly Pick<JobMedia, 'field' | 'path' | 'ref'>[], replace: (path: string, ref: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...request };
  for (const field of MEDIA_FIELDS) {
    const entries = media.filter((m) => m.field === field);
    if (entries.length) out[field] = entries.map((m) => (m.path === null ? m.ref : replace(m.path, m.ref)));
  }
  return out;
}

export function classifyRef(entry: string): 'url' | 'data' | 'other-scheme' | 'path' {
  if (/^data:/i.test(entry)) return 'data';
  if (/^https?:\/\//i.test(entry)) return 'url';
  // a drive letter (C:\) is a path; two or more letters before ':' is a scheme
  if (/^[a-z][a-z0-9+.-]+:/i.test(entry)) return 'other-scheme';
  return 'path';
}

function jsonViolation(label: string, problem: string, fix = "write the request as a JSON object with the API's field names"): Violation {
  return makeViolation({ rule: 'request.json', subject: label, problem: `the request file cannot be used: ${problem}`, fix, fixable: false, source: ruleSource('request.json') });
}

function mediaViolation(label: string, problem: string, fix: string): Violation {
  return makeViolation({ rule: 'request.media_url', subject: label, problem, fix, fixable: false, source: ruleSource('request.media_url') });
}
