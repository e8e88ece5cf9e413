import type { CliIo } from './io.js';

/** Runs `work` with the environment, first starting the local sandbox in-process when asked (and closing it after). */
export async function withOptionalSandbox<T>(enabled: boolean, io: CliIo, work: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  if (!enabled) return work(io.env);
  const { startSandbox } = await import('../sandbox/start-sandbox.js');
  const sandbox = await startSandbox({ taskDurationMs: 3000 });
  io.stderr(`sandbox: S3 store at ${sandbox.s3.endpoint}, API simulator at ${sandbox.apiBaseUrl} (in-process, gone when this command ends)\n`);
  try {
    return await work({ ...io.env, ...sandbox.env });
  } finally {
    await sandbox.close();
  }
}
