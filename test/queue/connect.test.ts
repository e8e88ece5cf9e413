import { describe, expect, it, vi } from 'vitest';
import { connectRedis } from '../../src/queue/connect.js';
import { parseRedisUrl } from '../../src/queue/redis-url.js';
import { redisForTests, TEST_REDIS_URL } from '../helpers/redis.js';
import { startSwitchableRelay } from '../helpers/sandbox-job.js';

const { missing } = await redisForTests('test/queue/connect.test.ts');

describe.skipIf(missing !== null)('connectRedis: a connection lost after the first one is retried, and said so once', () => {
  it('Redis going away and coming back: one "lost" call, one "back" call, and commands work again', async () => {
    const relay = await startSwitchableRelay(TEST_REDIS_URL);
    const { port } = new URL(relay.endpoint);
    const events: string[] = [];
    let notify: () => void = () => undefined;
    const next = () => new Promise<void>((resolve) => (notify = resolve));
    const redis = await connectRedis(parseRedisUrl(`redis://127.0.0.1:${port}`), {
      onReconnecting: (reason) => {
        events.push(`lost (${reason})`);
        notify();
      },
      onReconnected: () => {
        events.push('back');
        notify();
      },
    });
    try {
      expect(await redis.ping()).toBe('PONG');
      const lost = next();
      relay.down = true;
      await lost;
      // while it is down, the retries (each refused by the relay) are not told again
      await vi.waitFor(() => expect(relay.refused).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 100 });
      const back = next();
      relay.down = false;
      await back;
      expect(await redis.ping()).toBe('PONG');
      expect(events).toEqual(['lost (connection closed)', 'back']);
    } finally {
      redis.disconnect();
      await relay.close();
    }
  });
});
