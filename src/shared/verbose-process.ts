import { urlForLog } from './log-url.js';
import { shellLine } from './shell-quote.js';
import { verboseLog } from './verbose-log.js';

/** An argument that is a URL (ffmpeg and ffprobe read some): shown with its credentials and query values masked. */
const URL_ARG = /^[a-z][a-z0-9+.-]*:\/\//i;

/** "$ /path/ffprobe -v error 'file:/a b.mp4'  # pid 4242": the spawned command as a line to paste into a shell. */
export function commandLine(command: string, args: readonly string[], pid: number | undefined): string {
  const shown = args.map((arg) => (URL_ARG.test(arg) ? urlForLog(arg) : arg));
  return `$ ${shellLine(command, shown)}${pid === undefined ? '' : `  # pid ${pid}`}`;
}

export interface ProcessEnd {
  exitCode: number | null;
  signalName: NodeJS.Signals | null;
  /** Why the tool killed it, when it did (timed out, made no progress, cancelled, too much output). */
  killedFor?: string;
  /** The error that kept it from starting (ENOENT, EACCES). */
  startError?: Error;
}

/** "← ffprobe pid 4242: exit 0 in 35 ms", "← ffmpeg pid 4242: killed by SIGKILL in 3001 ms (timed out)". */
export function exitLine(command: string, pid: number | undefined, end: ProcessEnd, ms: number): string {
  const who = `${toolName(command)}${pid === undefined ? '' : ` pid ${pid}`}`;
  const time = `in ${Math.round(ms)} ms`;
  if (end.startError) return `✗ ${who}: could not start ${time} (${end.startError.message})`;
  const how = end.exitCode !== null ? `exit ${end.exitCode}` : `killed by ${end.signalName ?? 'an unknown signal'}`;
  return `← ${who}: ${how} ${time}${end.killedFor ? ` (${end.killedFor})` : ''}`;
}

function toolName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Logs a spawned command's line now and returns what logs its end (once, however often called); call only when verboseEnabled(). */
export function watchProcess(command: string, args: readonly string[], pid: number | undefined): (end: ProcessEnd) => void {
  const startedAt = performance.now();
  verboseLog(commandLine(command, args, pid));
  let ended = false;
  return (end) => {
    if (ended) return;
    ended = true;
    verboseLog(exitLine(command, pid, end, performance.now() - startedAt));
  };
}
