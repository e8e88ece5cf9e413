/**
 * A command as one line a POSIX shell (bash, zsh) runs as it was spawned: for display only (verbose output); the tool
 * itself always spawns argument arrays and never a shell.
 */

/** Words that need no quotes in any POSIX shell. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Characters that would break the one line (newlines, tabs, other controls): written as $'…' escapes. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** One argument quoted for a POSIX shell: as is when plain, '…' otherwise, $'…' when it holds control characters. */
export function quoteArg(arg: string): string {
  if (arg === '') return "''";
  if (PLAIN.test(arg)) return arg;
  if (!CONTROL.test(arg)) return `'${arg.replaceAll("'", `'\\''`)}'`;
  return `$'${arg.replace(/[\\'\u0000-\u001f\u007f]/g, escapeChar)}'`;
}

/** The command and its arguments, each quoted, space-separated. */
export function shellLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteArg).join(' ');
}

const NAMED: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(char: string): string {
  return NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
