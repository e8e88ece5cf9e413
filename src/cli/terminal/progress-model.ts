import { JOB_STAGES, type EndedAs, type ProgressEvent } from './progress-event.js';

/** One job or file being worked on. */
export interface ItemState {
  key: string;
  stage: string;
  detail: string;
  /** Each file's encode fraction (0–1), the last one updated named on the line. */
  encodes: Map<string, number>;
  uploads: Map<string, { loaded: number; bytes: number }>;
  lastFile: string | null;
  task: { status: string; progress: number | null; etaSeconds: number | null } | null;
}

/** What the live area shows: the items at work, and the counts of the overall line. */
export interface ProgressState {
  /** "job" (run, batch) or "file" (fix, whose items end when their encode does). */
  noun: 'job' | 'file';
  total: number;
  done: number;
  failed: number;
  /** Ended neither done nor failed: busy, interrupted, not started. */
  other: number;
  startedAt: number;
  items: Map<string, ItemState>;
  /** How each item that ended was counted: an item is counted once, however many events repeat its end. */
  ended: Map<string, EndedAs>;
}

export function emptyProgress(noun: 'job' | 'file', startedAt: number, total = 0): ProgressState {
  return { noun, total, done: 0, failed: 0, other: 0, startedAt, items: new Map(), ended: new Map() };
}

/** The item of `key`, made on its first event; a file's stage is what its events do (encode, upload), a job's what it reports. */
function item(state: ProgressState, key: string, fileStage = ''): ItemState {
  let found = state.items.get(key);
  if (!found) {
    found = { key, stage: state.noun === 'file' ? fileStage : '', detail: '', encodes: new Map(), uploads: new Map(), lastFile: null, task: null };
    state.items.set(key, found);
  }
  return found;
}

/** Items that ended, however. */
export function endedCount(state: ProgressState): number {
  return state.done + state.failed + state.other;
}

/** Counts the item once as `outcome`; an item that ended before is moved to its new outcome (a job retried), not counted again. */
function end(state: ProgressState, key: string, outcome: EndedAs): boolean {
  state.items.delete(key);
  const before = state.ended.get(key);
  if (before === outcome) return false;
  if (before) state[before]--;
  state[outcome]++;
  state.ended.set(key, outcome);
  // a total never known (a single run) or passed still reads sensibly
  state.total = Math.max(state.total, endedCount(state) + state.items.size);
  return true;
}

/** Pure fold of one event into the state (mutated in place: a 200-file fix sends thousands); whether anything shown changed. */
export function applyProgress(state: ProgressState, event: ProgressEvent): boolean {
  // a late event for an item that ended (a file's encode reporting 1 twice, a last poll) shows nothing new
  if (event.type !== 'total' && event.type !== 'ended' && state.ended.has(event.key)) return false;
  switch (event.type) {
    case 'total':
      state.total += event.count;
      return event.count !== 0;
    case 'stage': {
      const at = item(state, event.key);
      if (at.stage === event.stage && at.detail === event.detail) return false;
      // a new stage starts from nothing: the fix's encodes are no part of the upload's line
      if (at.stage !== event.stage) {
        at.encodes.clear();
        at.uploads.clear();
        at.lastFile = null;
      }
      at.stage = event.stage;
      at.detail = event.detail;
      return true;
    }
    case 'encode': {
      // a file's encode reaching 1 is that file done, in fix, where files are the items
      if (state.noun === 'file' && event.fraction >= 1) return end(state, event.key, 'done');
      const at = item(state, event.key, 'encode');
      const before = at.encodes.get(event.file);
      at.encodes.set(event.file, event.fraction);
      at.lastFile = event.file;
      return before === undefined || Math.floor(before * 100) !== Math.floor(event.fraction * 100);
    }
    case 'upload': {
      const at = item(state, event.key, 'upload');
      const before = at.uploads.get(event.file);
      at.uploads.set(event.file, { loaded: event.loaded, bytes: event.bytes });
      at.lastFile = event.file;
      return before?.loaded !== event.loaded || before.bytes !== event.bytes;
    }
    case 'task': {
      const at = item(state, event.key);
      const before = at.task;
      at.task = { status: event.status, progress: event.progress, etaSeconds: event.etaSeconds };
      return before?.status !== event.status || before.progress !== event.progress || before.etaSeconds !== event.etaSeconds;
    }
    case 'ended':
      return end(state, event.key, event.outcome);
  }
}

function mean(values: Iterable<number>): number {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    sum += value;
    count++;
  }
  return count ? sum / count : 0;
}

/** How far an item's current stage is (0–1): its encodes, its uploaded bytes or its task's percent. */
export function withinStage(at: ItemState): number | null {
  if (at.stage === 'wait' && at.task?.progress != null) return at.task.progress / 100;
  if (at.stage === 'upload' && at.uploads.size) {
    let loaded = 0;
    let bytes = 0;
    for (const u of at.uploads.values()) {
      loaded += u.loaded;
      bytes += u.bytes;
    }
    return bytes ? loaded / bytes : null;
  }
  if (at.encodes.size && (at.stage === 'fix' || at.stage === 'encode')) return mean(at.encodes.values());
  return null;
}

/** How far an item is overall (0–1): a file by its encode; a job by its stage among six, and how far that stage is. */
export function itemFraction(state: ProgressState, at: ItemState): number {
  const within = withinStage(at) ?? 0;
  if (state.noun === 'file') return within;
  const index = (JOB_STAGES as readonly string[]).indexOf(at.stage);
  return index < 0 ? 0 : (index + within) / JOB_STAGES.length;
}

/** Milliseconds left at the pace so far, or null while too little is done to tell (under 1 % or 1 s in). */
export function etaMs(state: ProgressState, now: number): number | null {
  if (state.total === 0) return null;
  let progress = endedCount(state);
  for (const at of state.items.values()) progress += itemFraction(state, at);
  const fraction = progress / state.total;
  const elapsed = now - state.startedAt;
  if (fraction >= 1) return 0;
  if (fraction < 0.01 || elapsed < 1000) return null;
  return (elapsed * (1 - fraction)) / fraction;
}
