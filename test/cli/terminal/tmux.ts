import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
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
  /** The command's exit status once it has ended, else null. */
  exitStatus(): Promise<number | null>;
  sendKeys(...keys: string[]): Promise<void>;
  /** Whether the terminal shows its cursor (a live area hides it while drawn). */
  cursorVisible(): Promise<boolean>;
  /** Kills the session's server (and the command, if still running) and removes its socket. */
  kill(): Promise<void>;
}

/**
 * Starts `command` (an argument array, never a shell string) in `cwd` in a `columns`×`rows` terminal, with `env` set
 * and `unset` removed on top of this process's environment (TERM is xterm-256color, as a terminal emulator sets it).
 */
export async function startInTmux(command: readonly string[], options: { cwd: string; columns: number; rows: number; env?: Record<string, string>; unset?: readonly string[]; configDir: string }): Promise<TmuxPane> {
  const socket = `sp-term-${process.pid}-${++sockets}`;
  const config = join(options.configDir, `${socket}.conf`);
  // history keeps what scrolled off, but not a screen cleared from its top row (tmux's scroll-on-clear would keep every
  // frame of a live area drawn there); no status line takes a row of the screen
  await writeFile(config, 'set -g history-limit 5000\nset -g scroll-on-clear off\nset -g status off\n');
  const tmux = (...args: string[]) => run(TMUX, ['-L', socket, ...args], { encoding: 'utf8' });
  const env = ['env', ...(options.unset ?? []).flatMap((name) => ['-u', name]), 'TERM=xterm-256color', ...Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`)];
  // sh prints the exit status after the command ("$@": the arguments as given, never parsed by a shell), outlives a
  // Ctrl-C (its trap is no ignore: the command gets the signal as usual) and keeps the pane alive: a dead pane's
  // cursor reads as hidden
  const wrapper = `trap : INT; "$@"; echo "${EXIT_MARK}$?"; exec sleep 3600`;
  await tmux('-f', config, 'new-session', '-d', '-s', 'main', '-x', String(options.columns), '-y', String(options.rows), '-c', options.cwd, '--', 'sh', '-c', wrapper, 'sh', ...env, ...command);
  // the server leaves its socket file behind: removed with it
  const socketPath = (await tmux('display-message', '-p', '-t', 'main', '#{socket_path}')).stdout.trim();
  const captureRaw = async (escapes: boolean) => (await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'main', ...(escapes ? ['-e'] : []))).stdout;
  return {
    async capture({ escapes = false } = {}) {
      // the wrapper's status line is no part of the command's output
      return (await captureRaw(escapes)).replace(EXIT_LINE, '');
    },
    async exitStatus() {
      const status = EXIT_LINE.exec(await captureRaw(false))?.[1];
      return status === undefined ? null : Number(status);
    },
    async cursorVisible() {
      return (await tmux('display-message', '-p', '-t', 'main', '#{cursor_flag}')).stdout.trim() === '1';
    },
    async sendKeys(...keys) {
      await tmux('send-keys', '-t', 'main', ...keys);
    },
    async kill() {
      await tmux('kill-server').catch(() => undefined);
      if (socketPath) await rm(socketPath, { force: true });
    },
  };
}
