import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { waitFor } from './cli-process.js';

// no vitest here: the queue bench starts its Redis with this too

/** A redis-server of one test file's own: it may be flushed or restarted without touching the shared test Redis. */
export interface PrivateRedis {
  url: string;
  /** A connection as BullMQ wants it (commands wait for a reconnection); closed by stop(). */
  connect(): Redis;
  /** Stops the server and starts it again on the same port: it comes back empty (nothing is kept on disk). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a redis-server on a free port that keeps nothing on disk (as the Redis of the issue: it comes back empty). */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
    probe.on('error', reject);
  });
  const url = `redis://127.0.0.1:${port}`;
  const answers = async () => {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    const ok = await probe.connect().then(() => true, () => false);
    probe.disconnect();
    return ok;
  };
  const start = async () => {
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const closed = new Promise((resolve) => server.on('close', resolve));
    await waitFor(answers, `redis-server on port ${port}`, { timeoutMs: 10_000, everyMs: 50 });
    return async () => {
      server.kill('SIGTERM');
      await closed;
    };
  };
  let stopServer = await start();
  const connections: Redis[] = [];
  return {
    url,
    connect() {
      const connection = new Redis(url, { maxRetriesPerRequest: null });
      connection.on('error', () => undefined);
      connections.push(connection);
      return connection;
    },
    async restart() {
      await stopServer();
      stopServer = await start();
    },
    async stop() {
      for (const connection of connections) connection.disconnect();
      await stopServer();
    },
  };
}
