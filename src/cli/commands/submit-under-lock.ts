import type { JobLock } from '../../pipeline/job-lock.js';
import { EXIT, type CliIo } from '../io.js';
import { formatTaskJson } from '../output/task-json.js';

export interface HeldRequest {
  /** The request file's lock, held. */
  lock: JobLock;
  /** The request file as the user named it, for messages. */
  label: string;
  request: Record<string, unknown>;
  json: boolean;
  io: CliIo;
}

/**
 * The create (and its wait) under the request file's lock: verified right before, so that a lock another process took
 * over sends nothing (exit 75, as when it was busy from the start); given back after whatever happened, a failure to
 * give it back only noted (the command's own exit code stands).
 */
export async function createUnderLock(held: HeldRequest, create: () => Promise<number>): Promise<number> {
  try {
    if (!(await held.lock.verify())) return reportLost(held);
    return await create();
  } finally {
    await held.lock.release().catch((error: Error) => {
      held.io.stderr(`seedance-preflight: note: ${held.label}: the request file's lock could not be released (${error.message}); another process takes it over once its heartbeat is stale\n`);
    });
  }
}

function reportLost(held: HeldRequest): number {
  const message = `nothing was sent: the request file's lock was lost right before the create (${String(held.lock.lost.reason)})`;
  const hint = 'run it again once the other process has ended: it may be creating this task now';
  if (held.json) held.io.stdout(formatTaskJson({ ok: false, dryRun: false, request: held.request, task: null, error: { kind: 'busy', message, hint } }));
  else held.io.stderr(`seedance-preflight: ${held.label}: ${message}\n  to do: ${hint}\n`);
  return EXIT.busy;
}
