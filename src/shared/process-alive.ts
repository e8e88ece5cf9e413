import { readlinkSync } from 'node:fs';

/**
 * Whether a process of this PID namespace runs with this pid: signal 0 asks without sending; EPERM means it runs, as
 * another user. Asked only of a pid recorded on this host and in this PID namespace (see pidNamespace).
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

let ownNamespace: string | null | undefined;

/**
 * This process's PID namespace ("pid:[4026531836]"), or null where there is none to read (not Linux); read once.
 * Containers sharing a host name (host networking) each have their own: a pid means something only inside one.
 */
export function pidNamespace(): string | null {
  if (ownNamespace === undefined) {
    try {
      ownNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      ownNamespace = null;
    }
  }
  return ownNamespace;
}
