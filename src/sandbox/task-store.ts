import { readFile } from 'node:fs/promises';
import type { ModelName } from '../spec/profile.js';
import type { Task } from '../submit/task.js';
import { writeAtomically } from '../shared/write-atomically.js';
import type { TaskFailure } from './media-review.js';
import type { ResultVideoSpec } from './result-video.js';

/** A simulator task as its file keeps it: enough to answer queries, finish it and make its video again after a restart. */
export interface StoredTask {
  id: string;
  model: ModelName;
  request: Record<string, unknown>;
  createdAt: number;
  durationMs: number;
  /** The task's last answer once it ended (its result URL is rebuilt on the simulator's address of the day). */
  final: Task | null;
  finishedAt: number | null;
  forcedFailure: TaskFailure | null;
  alteration: Partial<ResultVideoSpec>;
  /** What the result video is, once the media review accepted the request (null before, or when it failed). */
  spec: ResultVideoSpec | null;
}

/** The file's name in a sandbox folder. */
export const TASKS_FILE = 'tasks.json';
const VERSION = 1;

/** The tasks a simulator kept in `file`; [] when it has none. A file that is not one of ours is an error naming it. */
export async function loadTasks(file: string): Promise<StoredTask[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return [];
  let data: { version?: unknown; tasks?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    throw new Error(`${file} is not the sandbox's task file (not JSON): move it aside to start the sandbox with no tasks`);
  }
  if (data.version !== VERSION || !Array.isArray(data.tasks)) throw new Error(`${file} is not a version ${VERSION} sandbox task file: move it aside to start the sandbox with no tasks`);
  return data.tasks as StoredTask[];
}

/** Writes of one file, one at a time; a change made while one is on its way is written by the next (never lost, never reordered). */
export function taskWriter(file: string, snapshot: () => StoredTask[]): { changed(): void; flush(): Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  const write = async (): Promise<void> => {
    do {
      again = false;
      await writeAtomically(file, `${JSON.stringify({ version: VERSION, tasks: snapshot() }, null, 1)}\n`);
    } while (again);
  };
  return {
    changed() {
      if (running) {
        again = true;
        return;
      }
      running = write().finally(() => (running = null));
      // a failed write is said at the next flush; the simulator goes on answering from memory meanwhile
      running.catch(() => undefined);
    },
    async flush() {
      while (running) await running;
    },
  };
}
