/**
 * How deeply a user's JSON (a request, a profile) may nest arrays and objects. A request has three levels
 * (request → model_params → a value); 64 leaves room for any honest file while every later step that walks the data
 * (the fingerprint's canonical JSON, schema checks, profile merges) stays far from the stack's limit.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Pure and without recursion: the deepest nesting of arrays and objects in the text, brackets inside strings left out
 * (escapes honoured). Meant to run before JSON.parse, so malformed text gets a number too (unclosed brackets count).
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: 'depth' | 'syntax'; problem: string };

/**
 * JSON.parse behind the depth bound, a byte order mark dropped, and a failure said without quoting the text: V8's
 * "Unexpected token" message carries a snippet of the input, which must not be printed for a file of unknown contents.
 */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): ParsedJson {
  const body = text.replace(/^\uFEFF/, '');
  const depth = jsonNestingDepth(body);
  if (depth > maxDepth) return { ok: false, reason: 'depth', problem: `it nests arrays and objects ${depth.toLocaleString('en-US')} levels deep, more than the ${maxDepth} allowed` };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, reason: 'syntax', problem: `it is not valid JSON (${jsonErrorWithoutText((error as Error).message)})` };
  }
}

/** V8's parse error with any quoted input left out: positions stay, bytes go. */
export function jsonErrorWithoutText(message: string): string {
  return /^Unexpected token\b/.test(message) && /is not valid JSON$/.test(message) ? 'Unexpected token where a JSON value should start' : message;
}
