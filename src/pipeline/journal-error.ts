import { PreflightError } from '../shared/errors.js';

/** A journal that cannot be used as it is (damaged, not a file, another version's): it may hold a paid task's id, so nothing goes on until the user decides. */
export class JournalError extends PreflightError {
  readonly kind = 'journal';
  declare readonly hint: string;
  /** Task ids a search of its text found (oldest first as written), so none is lost. */
  readonly taskIds: readonly string[];

  constructor(readonly path: string, message: string, hint: string, taskIds: readonly string[] = [], cause?: unknown) {
    super(message, { hint, cause });
    this.taskIds = taskIds;
  }
}

/** The provider's task ids (TASKS.md: "task-unified-…"), and whatever a "taskId" or a task's "id" field holds. */
const TASK_ID_PATTERNS: readonly RegExp[] = [/\btask-unified-[A-Za-z0-9_-]{1,100}/g, /"taskId"\s*:\s*"([^"\\\s]{1,100})"/g, /"task"\s*:\s*\{\s*"id"\s*:\s*"([^"\\\s]{1,100})"/g];

/** Pure: the task ids found in a journal's text, each once, in the order they first appear. */
export function taskIdsIn(text: string): string[] {
  const found: { id: string; at: number }[] = [];
  for (const pattern of TASK_ID_PATTERNS) for (const match of text.matchAll(pattern)) found.push({ id: match[1] ?? match[0], at: match.index });
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.id))];
}

/** Pure: why a journal's text is not JSON, in a few words with the byte where it breaks (JSON.parse's message may quote the text: never shown). */
export function whyNotJson(text: string, parseError: unknown): string {
  const bytes = Buffer.byteLength(text);
  if (bytes === 0) return 'it is empty';
  if (/^\0+$/.test(text)) return `it holds only zero bytes (${bytes})`;
  const message = parseError instanceof Error ? parseError.message : '';
  if (/Unexpected end of JSON input/.test(message)) return `not JSON: it ends mid-way, at byte ${bytes}`;
  const position = message.match(/at position (\d+)/);
  // an error at the very end is a text cut short, whatever token JSON.parse expected there
  if (position && Number(position[1]) >= text.trimEnd().length) return `not JSON: it ends mid-way, at byte ${bytes}`;
  if (position) return `not JSON at byte ${Buffer.byteLength(text.slice(0, Number(position[1])))} of ${bytes}`;
  return `not JSON (${bytes} bytes)`;
}

/** How to recover from an unusable journal without losing a task: fetch what was paid for first, then start afresh. */
function recovery(path: string, taskIds: readonly string[]): string {
  const aside = `move it aside (mv ${path} ${path}.damaged)`;
  if (taskIds.length === 0) {
    return `if this job sent a create, find its task in your provider's task list and fetch its video with seedance-preflight wait TASK_ID --download FILE; then ${aside} and run again (a new task is created)`;
  }
  const last = taskIds[taskIds.length - 1]!;
  return `${aside}, then fetch that task's video without paying again: seedance-preflight wait ${last} --download FILE; run the job again only for a new task (without a journal it starts afresh and creates one)`;
}

/** The error for a journal whose text does not parse, or parses to something that is not a journal. */
export function damagedJournalError(path: string, text: string, why: string, cause?: unknown): JournalError {
  const taskIds = taskIdsIn(text);
  const found = taskIds.length ? `it may hold this job's task id; task ids in its text: ${taskIds.join(', ')}` : 'no task id can be read from it';
  return new JournalError(path, `${path} is damaged (${why}): ${found}`, recovery(path, taskIds), taskIds, cause);
}

/** The error for something that is not a journal file seedance-preflight wrote (a folder, a FIFO, a link, a huge file). */
export function notAJournalError(path: string, what: string): JournalError {
  return new JournalError(path, `${path} is ${what}, not a journal seedance-preflight wrote`, `move it aside (mv ${path} ${path}.damaged): seedance-preflight writes its journal as a regular file of a few kB; then run again`);
}
