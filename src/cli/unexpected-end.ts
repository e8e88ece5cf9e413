import { redactForOutput } from '../shared/redact.js';
import { EXIT_OUTPUT_CLOSED, isClosedOutput } from './closed-output.js';

/** The stack is shown only on request: a user's mistake is never answered with one. */
export const DEBUG_ENV = 'SEEDANCE_DEBUG';

/** Whether SEEDANCE_DEBUG asks for stacks ("1", "true", "yes", "on"). */
export function debugOn(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true|yes|on)$/i.test(env[DEBUG_ENV] ?? '');
}

/** A message's first non-empty line, bounded: an error's message can carry a whole tool's output. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((part) => part.trim() !== '')?.trim() ?? '';
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

/** Pure: a bug's report: one line naming the error, and its stack only when `debug` is on. */
export function unexpectedText(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${firstLine(error.message)}` : firstLine(String(error));
  if (debug) return `seedance-preflight: unexpected error: ${message}\n${error instanceof Error && error.stack ? `${error.stack}\n` : ''}`;
  return `seedance-preflight: unexpected error: ${message} (set ${DEBUG_ENV}=1 for the stack)\n`;
}

/** For uncaughtException and unhandledRejection: one line on stderr (never a stack unless asked), then exit 1 as Node would. */
export function endUnexpectedly(error: unknown): void {
  if (isClosedOutput(error)) process.exit(EXIT_OUTPUT_CLOSED);
  try {
    // written past the io wrapper, so through its policy: a bug's message may quote a URL or a key
    process.stderr.write(redactForOutput(unexpectedText(error, debugOn(process.env)), process.env));
  } catch {
    // stderr itself is gone: the exit code still tells
  }
  process.exit(1);
}
