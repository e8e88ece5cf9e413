import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { multipartCalls } from './s3-multipart-calls.js';

/** s3rver accepts any request signed with this fixed pair; they are not secrets. */
export const S3_STORE_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3StoreOptions {
  /** Loopback port; 0 (the default) picks a free one. */
  port?: number;
  /** Where objects are kept; a fresh temporary folder (removed on close) when absent. */
  directory?: string;
  /** Buckets created at start. */
  buckets?: readonly string[];
}

export interface S3Store {
  /** For example http://127.0.0.1:43817 — use with forcePathStyle. */
  endpoint: string;
  port: number;
  directory: string;
  close(): Promise<void>;
}

/** Starts a local S3-compatible store (s3rver) on a loopback port. */
export async function startS3Store(options: S3StoreOptions = {}): Promise<S3Store> {
  // s3rver pulls in koa and friends: load it only when a store is really started
  const { default: S3rver } = await import('s3rver');
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'seedance-s3-')));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  // before s3rver's router (its last middleware), which refuses these calls; like s3rver's, they take any signature
  server.middleware.splice(server.middleware.length - 1, 0, multipartCalls(directory));
  const port = await listen(server, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory,
    async close() {
      await server.close();
      if (ownDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}

/** What s3rver's own run() does, but with a port already taken rejected (its listen drops the error: an uncaught 'error' event). */
async function listen(s3rver: InstanceType<typeof import('s3rver').default>, port: number): Promise<number> {
  const internals = s3rver as unknown as { configureBuckets(): Promise<void>; callback(): RequestListener; httpServer?: Server; logger: { exceptions: { unhandle(): void }; close(): void } };
  await internals.configureBuckets();
  const server = createServer();
  server.on('request', internals.callback()).on('close', () => {
    internals.logger.exceptions.unhandle();
    internals.logger.close();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // s3rver's close() closes this server
  internals.httpServer = server;
  return (server.address() as AddressInfo).port;
}
