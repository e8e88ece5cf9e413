import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisNow, workersKey } from '../../src/queue/heartbeat.js';
import { cli } from '../helpers/run-cli.js';
import { privateRedis, privateRedisForTests, type PrivateRedis } from '../helpers/redis.js';

const { missing } = await privateRedisForTests('test/queue/queue-status-readonly.test.ts');

/**
 * `queue status` writes nothing: every command it sends Redis (MONITOR sees those inside BullMQ's scripts too) is one
 * that Redis itself does not flag 'write' (COMMAND INFO). A Redis of this file's own, so that MONITOR sees only it.
 */
describe.skipIf(missing !== null)('queue status sends Redis no write command (private redis-server, MONITOR)', () => {
  let server: PrivateRedis;
  let redis: Redis;
  const queueName = 'readonly';

  beforeAll(async () => {
    server = await privateRedis();
    redis = server.connect();
    // a waiting, an active and a finished job, and a worker's heartbeat record (a gone one: beaten a minute ago)
    const queue = new Queue(queueName, { connection: redis });
    const worker = new Worker(queueName, null, { connection: redis, autorun: false, name: 'host-1-abcdef' });
    await queue.add('asset-folder', { root: '/jobs', relativePath: 'a' }, { jobId: 'ja' });
    await queue.add('asset-folder', { root: '/jobs', relativePath: 'b' }, { jobId: 'jb' });
    await queue.add('asset-folder', { root: '/jobs', relativePath: 'c' }, { jobId: 'jc' });
    const done = await worker.getNextJob('token-a');
    await done!.moveToCompleted({ ok: true }, 'token-a', false);
    await worker.getNextJob('token-b');
    const now = await redisNow(redis);
    await redis.hset(workersKey(queueName), 'host-1-abcdef', JSON.stringify({ id: 'host-1-abcdef', host: 'host', pid: 1, lockDurationMs: 30_000, beatEveryMs: 5000, startedAt: now - 120_000, beatAt: now - 60_000 }));
    await worker.close();
    await queue.close();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('text and --json: the same jobs and worker, and not one write', async () => {
    const monitor = await redis.monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(String(args[0]).toLowerCase()));
    const text = await cli(['queue', 'status', '--queue', server.url, '--queue-name', queueName]);
    const json = await cli(['queue', 'status', '--queue', server.url, '--queue-name', queueName, '--json']);
    // MONITOR streams: a PING sent after the runs comes back after every command they sent
    await redis.ping('end of runs');
    await new Promise<void>((resolve) => {
      const check = () => (commands.includes('ping') ? resolve() : setTimeout(check, 10));
      check();
    });
    monitor.disconnect();

    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').slice(1, 5)).toEqual(['job  state    stage  task  worker', 'a    done     done   -     -', expect.stringMatching(/^b    active   -      -     worker host-1-abcdef gone \(last seen 60 s ago\): will be taken again when its lock expires \(in \d+ s\)$/), 'c    waiting  -      -     -']);
    expect((JSON.parse(json.stdout) as { counts: unknown }).counts).toEqual({ waiting: 1, active: 1, done: 1, failed: 0 });

    const seen = [...new Set(commands)].filter((c) => c !== 'ping').sort();
    expect(seen).toContain('hgetall');
    expect(seen).toContain('pttl');
    const info = (await redis.call('COMMAND', 'INFO', ...seen)) as [string, number, string[]][];
    const writes = info.filter((entry) => entry?.[2]?.includes('write')).map((entry) => entry[0]);
    expect(writes).toEqual([]);
  });
});
