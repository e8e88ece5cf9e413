import { z } from 'zod';

/** Task statuses: the four the documents list, plus `cancelled`, which callbacks mention (TASKS.md). */
export const TASK_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses after which a task never changes (TASKS.md: treat `cancelled` as terminal). */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/** A failed task's `error` (TASKS.md query): code such as invalid_parameters or image_processing_error. */
export const taskErrorSchema = z
  .object({ code: z.string(), message: z.string().optional(), type: z.string().optional() })
  .loose();

/** The task object of create and query (VideoGenerationResponse + TASKS.md); unknown fields are kept. */
export const taskSchema = z
  .object({
    id: z.string().min(1),
    // an unknown future status is kept as text rather than rejected
    status: z.union([z.enum(TASK_STATUSES), z.string()]),
    created: z.number().optional(),
    model: z.string().optional(),
    object: z.string().optional(),
    progress: z.number().optional(),
    type: z.string().optional(),
    task_info: z
      .object({ can_cancel: z.boolean().optional(), estimated_time: z.number().optional(), video_duration: z.number().optional() })
      .loose()
      .optional(),
    usage: z
      .object({ billing_rule: z.string().optional(), credits_reserved: z.number().optional(), user_group: z.string().optional() })
      .loose()
      .optional(),
    results: z.array(z.string()).optional(),
    error: taskErrorSchema.optional(),
  })
  .loose();

export type Task = z.infer<typeof taskSchema>;
export type TaskError = z.infer<typeof taskErrorSchema>;

export function isTerminal(task: Pick<Task, 'status'>): boolean {
  return TERMINAL_STATUSES.has(task.status);
}

/** TASKS.md: ids that do not start with this are answered 400 invalid_task_id. */
export const TASK_ID_PREFIX = 'task-unified-';
