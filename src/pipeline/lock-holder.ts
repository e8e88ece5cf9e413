import { basename } from 'node:path';

/** Who holds a job's lock: enough for a second process to say who and since when, and nothing secret. */
export interface LockHolder {
  host: string;
  pid: number;
  /** When it took the lock (ISO 8601). */
  startedAt: string;
  /** The command, without its flags or their values ("seedance-preflight run"). */
  command: string;
  /** Its PID namespace (Linux, /proc/self/ns/pid): a pid is looked up only from the same one (containers have their own). */
  pidNamespace?: string | null;
}

/** Another process holds the job's lock: who, and how fresh its heartbeat is. */
export interface JobBusy {
  /** The lock folder. */
  lock: string;
  /** Null when its holder has not recorded itself yet (it took the lock a moment ago) or its record is unreadable. */
  holder: LockHolder | null;
  /** Time since the holder's last heartbeat (the lock folder's mtime). */
  heartbeatAgeMs: number;
  /** A lock whose heartbeat is older than this is taken over. */
  staleAfterMs: number;
}

/** The environment variable that sets the staleness, in seconds. */
export const LOCK_STALE_ENV = 'SEEDANCE_LOCK_STALE_SECONDS';
/** A holder that has not beaten its heartbeat for this long is taken to be dead (six missed beats; a network file system's lag fits). */
export const DEFAULT_LOCK_STALE_SECONDS = 30;
/** proper-lockfile's floor: it raises any staleness below 2 s to 2 s. */
const MIN_STALE_SECONDS = 2;
const MAX_STALE_SECONDS = 24 * 3600;

/** The staleness from SEEDANCE_LOCK_STALE_SECONDS (default 30 s), or why its value is refused. */
export function lockStaleMs(env: NodeJS.ProcessEnv): { ok: true; ms: number } | { ok: false; message: string } {
  const raw = env[LOCK_STALE_ENV];
  if (raw === undefined || raw.trim() === '') return { ok: true, ms: DEFAULT_LOCK_STALE_SECONDS * 1000 };
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < MIN_STALE_SECONDS || seconds > MAX_STALE_SECONDS) {
    return { ok: false, message: `${LOCK_STALE_ENV}=${raw} is not a number of seconds from ${MIN_STALE_SECONDS} to ${MAX_STALE_SECONDS} (default ${DEFAULT_LOCK_STALE_SECONDS})` };
  }
  return { ok: true, ms: Math.round(seconds * 1000) };
}

/** How often the holder refreshes its lock: six beats per staleness, never under proper-lockfile's 1 s floor nor over half. */
export function heartbeatMs(staleMs: number): number {
  return Math.max(1000, Math.min(Math.floor(staleMs / 6), Math.floor(staleMs / 2)));
}

/**
 * Whether the holder is known to be dead: on this host, in this PID namespace, and its pid no longer runs. Anything
 * else (another host, another container, a live pid, even a reused one) waits for the heartbeat to go stale.
 */
export function holderIsDead(holder: LockHolder, here: { host: string; pidNamespace: string | null; pid: number }, alive: (pid: number) => boolean): boolean {
  if (holder.host !== here.host || (holder.pidNamespace ?? null) !== here.pidNamespace || holder.pid === here.pid) return false;
  return !alive(holder.pid);
}

/** Global options of the command line that take a value: their value is not the command's name. */
const GLOBAL_VALUE_OPTIONS = new Set(['--profile', '--api-base', '--endpoint']);

/**
 * "seedance-preflight run" from process.argv: the program and its command, never a flag or a value (an --api-base
 * URL may carry credentials, a --prompt is the user's text). The bundled and tsx entry points are named bin.js / bin.ts.
 */
export function commandSummary(argv: readonly string[]): string {
  const script = argv[1] === undefined ? 'node' : basename(argv[1]);
  const program = /^bin\.[cm]?[jt]s$/.test(script) ? 'seedance-preflight' : script;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) return /^[a-z][a-z-]*$/.test(arg) ? `${program} ${arg}` : program;
  }
  return program;
}

/** "pid 4242 on host-a (seedance-preflight run), holding it since 2025-01-01T10:00:00.000Z, last heartbeat 3 s ago". */
export function describeHolder(busy: JobBusy): string {
  const heartbeat = `last heartbeat ${Math.max(0, Math.round(busy.heartbeatAgeMs / 1000))} s ago`;
  if (!busy.holder) return `a process that has not recorded itself yet (it took the lock a moment ago), ${heartbeat}`;
  const { pid, host, command, startedAt } = busy.holder;
  return `pid ${pid} on ${host} (${command}), holding it since ${startedAt}, ${heartbeat}`;
}

/** The one line a second process prints: who holds the job, since when, and when a dead holder's lock is taken over. */
export function busyMessage(busy: JobBusy): string {
  return `busy: another process runs this job: ${describeHolder(busy)} (lock ${busy.lock})`;
}

/** What to do about it. */
export function busyHint(busy: JobBusy): string {
  return `run it again once that process has ended (nothing was changed here); if it died, its lock is taken over once its heartbeat is ${Math.round(busy.staleAfterMs / 1000)} s old (${LOCK_STALE_ENV})`;
}
