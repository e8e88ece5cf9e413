import { readFile } from 'node:fs/promises';
import { writeAtomically } from '../shared/write-atomically.js';

export interface SandboxPorts {
  api: number;
  s3: number;
}

/** The ports the folder's sandbox listened on last time, or null: tried first, so journals and printed settings stay valid. */
export async function readPorts(file: string): Promise<SandboxPorts | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const data = JSON.parse(text) as Partial<SandboxPorts>;
    return isPort(data.api) && isPort(data.s3) ? { api: data.api, s3: data.s3 } : null;
  } catch {
    return null;
  }
}

export async function writePorts(file: string, ports: SandboxPorts): Promise<void> {
  await writeAtomically(file, `${JSON.stringify(ports)}\n`);
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;
}

/** Runs `listen` on the preferred port, or on a free one when that is taken (only when the port was a preference, not asked for). */
export async function onPreferredPort<T>(preferred: number | undefined, required: boolean, listen: (port: number) => Promise<T>): Promise<T> {
  if (preferred === undefined || preferred === 0) return listen(0);
  try {
    return await listen(preferred);
  } catch (error) {
    if (required || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return listen(0);
  }
}
