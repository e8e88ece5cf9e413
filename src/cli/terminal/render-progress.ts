import { basename } from 'node:path';
import { formatBytes } from '../../shared/describe-fs-error.js';
import type { Paint } from './color.js';
import { clock, columns, percent, truncateEnd, truncateMiddle } from './fit.js';
import { endedCount, etaMs, withinStage, type ItemState, type ProgressState } from './progress-model.js';
import type { ProgressEvent } from './progress-event.js';

/** A run of text and how it is painted: lines are fitted on their plain text, then painted, so no escape is cut. */
type Segment = readonly [text: string, paint?: (text: string) => string];

/** The segments cut to `width` columns (the last one kept ends with "…"), then painted. */
function fitted(segments: readonly Segment[], width: number): string {
  let room = width;
  let out = '';
  for (const [text, paint] of segments) {
    if (room <= 0) break;
    const cut = truncateEnd(text, room);
    room -= columns(cut);
    out += paint && cut ? paint(cut) : cut;
  }
  return out;
}

/** The stage column's width: "download", the longest stage name. */
const STAGE_WIDTH = 8;
/** A name is never cut below this many columns to make room for its detail (the detail is cut instead). */
const MIN_NAME = 12;

/** How far the item is, as its line says it: "42%", "1.5 MiB of 12.0 MiB", "processing 40% · about 12 s"; else the stage's detail. */
export function itemProgressText(at: ItemState): string {
  if (at.stage === 'wait' && at.task) return `${at.task.status} ${at.task.progress ?? 0}%${at.task.etaSeconds != null ? ` · about ${at.task.etaSeconds} s` : ''}`;
  const within = withinStage(at);
  if (at.stage === 'upload' && within !== null) {
    let loaded = 0;
    let bytes = 0;
    for (const u of at.uploads.values()) {
      loaded += u.loaded;
      bytes += u.bytes;
    }
    return `${formatBytes(loaded)} of ${formatBytes(bytes)}`;
  }
  if (within !== null) return percent(within);
  return at.detail;
}

/** One item's line: stage, name (cut in the middle), how far; `width` columns at most. */
export function itemLine(at: ItemState, width: number, paint: Paint): string {
  const stage = at.stage.padEnd(STAGE_WIDTH);
  const file = at.lastFile && at.lastFile !== at.key ? ` · ${basename(at.lastFile)}` : '';
  const name = `${at.key}${file}`;
  const progress = itemProgressText(at);
  const room = width - STAGE_WIDTH - 1 - (progress ? 2 + columns(progress) : 0);
  const shownName = truncateMiddle(name, Math.max(room, Math.min(MIN_NAME, columns(name))));
  return fitted([[stage, paint.dim], [' '], [shownName], [progress ? `  ${progress}` : '']], width);
}

/**
 * "5 jobs: 2 done, 1 failed, 2 remaining · 0:42 elapsed · ETA 1:03" ("1 not done" when jobs were busy or interrupted;
 * ETA -:-- while too little is done to tell).
 */
export function overallLine(state: ProgressState, now: number, width: number, paint: Paint): string {
  const remaining = Math.max(0, state.total - endedCount(state));
  const eta = etaMs(state, now);
  return fitted(
    [
      [`${state.total} ${state.noun}${state.total === 1 ? '' : 's'}: `],
      [`${state.done} done`, state.done ? paint.ok : undefined],
      [', '],
      [`${state.failed} failed`, state.failed ? paint.failed : undefined],
      [state.other ? `, ${state.other} not done` : ''],
      [`, ${remaining} remaining · ${clock(now - state.startedAt, 'down')} elapsed · ETA ${eta === null ? '-:--' : clock(eta)}`],
    ],
    width,
  );
}

/**
 * The live area: a line per item at work, then the overall line; fitted to `columns` (one column short, so no line
 * wraps) and `rows` (one row short: a frame taller than the screen cannot be redrawn in place).
 */
export function renderFrame(state: ProgressState, now: number, size: { columns: number; rows: number }, paint: Paint): string[] {
  const width = Math.max(1, size.columns - 1);
  const room = Math.max(0, size.rows - 2);
  const items = [...state.items.values()];
  const shown = items.length > room ? items.slice(0, Math.max(0, room - 1)) : items;
  const lines = shown.map((at) => itemLine(at, width, paint));
  if (shown.length < items.length) lines.push(truncateEnd(`… and ${items.length - shown.length} more`, width));
  lines.push(overallLine(state, now, width, paint));
  return lines;
}

/**
 * The line a log gets for an event (no terminal): a stage, a task's poll, how a job ended; null for what moves too
 * often for a log (encode fractions, upload bytes, totals).
 */
export function plainLine(event: ProgressEvent, paint: Paint): string | null {
  switch (event.type) {
    case 'stage':
      return `[${event.key}] ${event.stage === 'done' ? paint.ok(event.stage) : event.stage}: ${event.detail}`;
    case 'task':
      return `[${event.key}] wait: ${event.status} ${event.progress ?? 0}%${event.etaSeconds != null ? ` (about ${event.etaSeconds} s)` : ''}`;
    case 'ended':
      return `[${event.key}] ended: ${event.outcome === 'failed' ? paint.failed(event.detail) : event.outcome === 'done' ? paint.ok(event.detail) : paint.warning(event.detail)}`;
    default:
      return null;
  }
}
