import { createHash } from 'node:crypto';

/** What the provider would receive, reduced to what identifies it; the fingerprint is its hash. */
export interface JobInputs {
  /**
   * A request file's fields as written, each local media entry replaced by "sha256:<its content hash>"; for an asset
   * folder without request.json: its prompt and `files` (name → content hash).
   */
  request: Record<string, unknown>;
  /** SHA-256 of the limit profile (every limit decides what fix sends). */
  profile: string;
  fix: { fit: string; audioFormat: string };
}

/** JSON with object keys sorted at every level: the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function fingerprintOf(inputs: JobInputs): string {
  return sha256Text(canonicalJson(inputs));
}

/** What differs between two descriptions, in words a user knows: request fields, file names, "profile", "--fit", "--audio-format". */
export function changedInputs(before: JobInputs, now: JobInputs): string[] {
  const changed: string[] = [];
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const keys = [...new Set([...Object.keys(before.request), ...Object.keys(now.request)])].sort();
  for (const key of keys) {
    const [a, b] = [before.request[key], now.request[key]];
    if (same(a, b)) continue;
    // an asset folder's files: name each file that was added, removed or changed
    if (key === 'files' && isRecord(a) && isRecord(b)) changed.push(...[...new Set([...Object.keys(a), ...Object.keys(b)])].filter((name) => a[name] !== b[name]).sort());
    else changed.push(key);
  }
  if (before.profile !== now.profile) changed.push('profile');
  if (before.fix.fit !== now.fix.fit) changed.push('--fit');
  if (before.fix.audioFormat !== now.fix.audioFormat) changed.push('--audio-format');
  return changed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
