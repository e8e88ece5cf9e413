import { describe, expect, it } from 'vitest';
import { describeRedisTarget, parseRedisUrl, redactRedisUrl, REDIS_URL_RULE } from '../../src/queue/redis-url.js';

describe('parseRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6379', { host: '127.0.0.1', port: 6379, db: 0 }],
    ['redis://queue-host', { host: 'queue-host', port: 6379, db: 0 }],
    ['redis://queue-host:6380/3', { host: 'queue-host', port: 6380, db: 3 }],
    ['redis://:s3cret@queue-host:6379/0', { host: 'queue-host', port: 6379, db: 0, password: 's3cret' }],
    ['redis://:p%40ss%2Fword@queue-host:6379', { host: 'queue-host', port: 6379, db: 0, password: 'p@ss/word' }],
    ['redis://worker:s3cret@queue-host:6379', { host: 'queue-host', port: 6379, db: 0, username: 'worker', password: 's3cret' }],
    ['redis://[::1]:6379/1', { host: '::1', port: 6379, db: 1 }],
    ['  redis://h:1/  ', { host: 'h', port: 1, db: 0 }],
  ])('%s', (text, target) => {
    expect(parseRedisUrl(text)).toEqual(target);
  });

  it.each([
    ['queue-host:6379', 'is not a URL'],
    ['http://queue-host:6379', 'has the scheme http, not redis'],
    ['rediss://:s3cret@queue-host:6379', 'has the scheme rediss, not redis'],
    ['redis:/queue-host', 'is not a URL'],
    ['redis:///0', 'names no host'],
    ['redis://:s3cret@queue-host:99999', 'is not a URL'],
    ['redis://queue-host:0', 'has port 0'],
    ['redis://:s3cret@queue-host:6379/cache', 'names database "cache", not a whole number'],
    ['redis://queue-host:6379/0?tls=1', 'has a query or fragment, which are not read'],
  ])('%s is refused: %s', (text, why) => {
    const shown = redactRedisUrl(text);
    expect(() => parseRedisUrl(text)).toThrow(`--queue ${JSON.stringify(shown)} ${why}: ${REDIS_URL_RULE}`);
    // the password is never in the message
    try {
      parseRedisUrl(text);
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
  });
});

describe('redactRedisUrl and describeRedisTarget: a password is never shown', () => {
  it.each([
    ['redis://:s3cret@h:6379/0', 'redis://***@h:6379/0'],
    ['redis://user:s3cret@h:6379', 'redis://***@h:6379'],
    ['redis://h:6379', 'redis://h:6379'],
    ['redis://:s3cret@h:99999', 'redis://***@h:99999'],
  ])('%s → %s', (text, shown) => {
    expect(redactRedisUrl(text)).toBe(shown);
  });

  it.each([
    [{ host: 'h', port: 6379, db: 0 }, 'redis://h:6379/0'],
    [{ host: 'h', port: 6379, db: 2, password: 's3cret' }, 'redis://***@h:6379/2'],
    [{ host: '::1', port: 6380, db: 0, username: 'worker', password: 's3cret' }, 'redis://***@[::1]:6380/0'],
  ])('%j → %s', (target, shown) => {
    expect(describeRedisTarget(target)).toBe(shown);
  });
});
