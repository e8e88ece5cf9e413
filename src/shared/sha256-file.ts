import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Streams a file once: its SHA-256 and byte count; `onChunk` sees every chunk on the way (to sniff a header, say). */
export async function sha256File(path: string, options: { signal?: AbortSignal; onChunk?: (chunk: Buffer) => void } = {}): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { signal: options.signal }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    options.onChunk?.(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
