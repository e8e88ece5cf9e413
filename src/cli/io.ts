import { outputRedactor } from '../shared/redact.js';
import type { Terminal } from './terminal/terminal.js';

/** Where a command writes and what it reads of its environment: injectable, so commands are tested in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stderr is a terminal: progress is drawn only then. */
  stderrIsTTY: boolean;
  /** The stream progress bars draw on, when stderr is a terminal. */
  progressStream?: NodeJS.WritableStream;
  /** The run's terminal (runCli makes it): -q, -v, the live area; terminalOf(io) gives a default one without it. */
  terminal?: Terminal;
}

export function processIo(): CliIo {
  // the last guard of the redaction policy: whatever a line says, URL credentials and known secrets leave masked
  // the environment is read once: nothing changes process.env while a command runs
  const redact = outputRedactor(process.env);
  return {
    stdout: (text) => process.stdout.write(redact(text)),
    stderr: (text) => process.stderr.write(redact(text)),
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    progressStream: process.stderr,
  };
}

/** Exit codes of the command line (DESIGN.md). */
export const EXIT = {
  ok: 0,
  /** Media or request do not conform, or a fix, upload or task failed. */
  failed: 1,
  /** Bad flag, missing path, missing key, broken environment. */
  usage: 2,
  /** Another process holds the job's lock: nothing was touched; try again when it ends (sysexits' EX_TEMPFAIL). */
  busy: 75,
} as const;

/** A usage or environment error: printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
