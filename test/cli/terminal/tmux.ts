import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's tmux (apt-get install tmux); SEEDANCE_TEST_TMUX names another. */
export const TMUX = process.env.SEEDANCE_TEST_TMUX ?? '/usr/bin/tmux';
/** Why the terminal tests cannot run here, or null. */
export const TMUX_MISSING = existsSync(TMUX) ? null : `no tmux at ${TMUX} (apt-get install tmux, or set SEEDANCE_TEST_TMUX)`;

let sockets = 0;
const EXIT_MARK = '[sp-term exit] ';
const EXIT_LINE = /^\[sp-term exit\] (\d+)\n?/m;

/** A command running in a real terminal of a fixed size: a detached tmux session on a server of its own (its own socket). */
export interface TmuxPane {
  /** The screen as shown (with `escapes`, colours and attributes as escape sequences), the scrolled-off history included. */
  capture(options?: { escapes?: boolean }): Promise<string>;
  /** The command's exit status once it has ended, else null (the pane stays after it ends: remain-on-exit). */
  exitStatus(): Promise<number | null>;
  sendKeys(...keys: string[]): Promise<void>;
  /** Kills the session's server (and the command, if still running). */
  kill(): Promise<void>;
}

/**
 * Starts `command` (an argument array, never a shell string) in `cwd` in a `columns`×`rows` terminal, with `env` set
 * and `unset` removed on top of this process's environment (TERM is xterm-256color, as a terminal emulator sets it).
 */
export async function startInTmux(command: readonly string[], options: { cwd: string; columns: number; rows: number; env?: Record<string, string>; unset?: readonly string[]; configDir: string }): Promise<TmuxPane> {
  const socket = `sp-term-${process.pid}-${++sockets}`;
  const config = join(options.configDir, `${socket}.conf`);
  // the pane outlives the command, so its last screen and exit status can be read; history keeps what scrolled off
  await writeFile(config, 'set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n');
  const tmux = (...args: string[]) => run(TMUX, ['-L', socket, ...args], { encoding: 'utf8' });
  const env = ['env', ...(options.unset ?? []).flatMap((name) => ['-u', name]), 'TERM=xterm-256color', ...Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`)];
  // the exit status is printed by sh after the command ("$@": the arguments as given, never parsed by a shell)
  await tmux('-f', config, 'new-session', '-d', '-s', 'main', '-x', String(options.columns), '-y', String(options.rows), '-c', options.cwd, '--', 'sh', '-c', `"$@"; echo "${EXIT_MARK}$?"`, 'sh', ...env, ...command);
  const captureRaw = async (escapes: boolean) => (await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'main', ...(escapes ? ['-e'] : []))).stdout;
  return {
    async capture({ escapes = false } = {}) {
      // what the wrapper and tmux add after the command: its status line, tmux's 'Pane is dead'
      return (await captureRaw(escapes)).replace(EXIT_LINE, '').replace(/^Pane is dead.*\n?/m, '');
    },
    async exitStatus() {
      const status = EXIT_LINE.exec(await captureRaw(false))?.[1];
      return status === undefined ? null : Number(status);
    },
    async sendKeys(...keys) {
      await tmux('send-keys', '-t', 'main', ...keys);
    },
    async kill() {
      await tmux('kill-server').catch(() => undefined);
    },
  };
}
