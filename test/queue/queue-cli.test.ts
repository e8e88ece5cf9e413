import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REDIS_URL_RULE } from '../../src/queue/redis-url.js';
import { cli } from '../helpers/run-cli.js';

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const PASSWORD = 'hunter2-never-shown';
const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url));
/** What a worker needs besides the queue: an API key, a bucket and AWS keys (never used: Redis fails first). */
const WORKER_ENV = { EVOLINK_API_KEY: 'sk-test-not-used', SEEDANCE_S3_BUCKET: 'media', AWS_ACCESS_KEY_ID: 'AKIA-not-used', AWS_SECRET_ACCESS_KEY: 'not-used', SEEDANCE_QUEUE_URL: undefined };

describe('Redis unreachable: exit 2 naming host and port, never the password', () => {
  it.each([
    // ROOT is checked before Redis is reached: the demo folder (only read) is a ROOT that exists
    ['batch', (url: string) => ['batch', 'demo', '--queue', url]],
    ['batch, URL from SEEDANCE_QUEUE_URL', (url: string) => ['batch', 'demo', '--queue']],
    ['worker', (url: string) => ['worker', '--queue', url]],
    ['queue status', (url: string) => ['queue', 'status', '--queue', url]],
  ])('%s', async (name, args) => {
    const port = await closedPort();
    const url = `redis://:${PASSWORD}@127.0.0.1:${port}/0`;
    const env = name.includes('SEEDANCE_QUEUE_URL') ? { ...WORKER_ENV, SEEDANCE_QUEUE_URL: url } : WORKER_ENV;
    const result = await cli(args(url), { env, cwd: FIXTURES });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `seedance-preflight: cannot reach Redis at 127.0.0.1:${port} (ECONNREFUSED): start Redis there, or point --queue (or SEEDANCE_QUEUE_URL) at a running server\n`,
    });
    expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD);
  });
});

describe('queue flags: usage errors (exit 2)', () => {
  it.each([
    [['worker'], 'worker cannot start: 1 setting is missing: the queue (--queue redis://HOST:PORT, SEEDANCE_QUEUE_URL or queue in the config file)'],
    [['queue', 'status'], 'no queue given: pass --queue redis://HOST:PORT or set SEEDANCE_QUEUE_URL'],
    [['batch', 'jobs', '--queue'], 'no queue given: pass --queue redis://HOST:PORT or set SEEDANCE_QUEUE_URL'],
    [['worker', '--queue', `redis://:${PASSWORD}@queue-host:6379/cache`], `--queue "redis://***@queue-host:6379/cache" names database "cache", not a whole number: ${REDIS_URL_RULE}`],
    [['queue', 'status', '--queue', 'queue-host:6379'], `--queue "queue-host:6379" is not a URL: ${REDIS_URL_RULE}`],
    [['worker', '--queue', 'redis://h:1', '--queue-name', 'a:b'], '--queue-name "a:b" is not a queue name: use 1 to 100 letters, digits, \'.\', \'_\' or \'-\''],
    [['worker', '--queue', 'redis://h:1', '--lock-duration', '0'], '--lock-duration must be a number of seconds greater than 0, not "0"'],
    [['worker', '--queue', 'redis://h:1', '--api-concurrency', 'two'], '--concurrency must be a whole number of at least 1, not "two"'],
    [['worker', '--queue', 'redis://h:1', '--root', 'no/such/mount'], '--root no/such/mount is not a folder on this machine: give the path where this worker mounts the ROOT the batches were enqueued from'],
    [['queue'], 'queue needs a command: seedance-preflight queue status --queue redis://HOST:PORT (see seedance-preflight queue --help)'],
    [['queue', 'stats'], 'queue has no command "stats": seedance-preflight queue status --queue redis://HOST:PORT (see seedance-preflight queue --help)'],
    [['batch', 'jobs', '--no-wait'], '--no-wait needs --queue: a local batch always runs to the end'],
    [['batch', 'jobs', '--queue-name', 'nightly'], '--queue-name needs --queue'],
    [['batch', 'jobs', '--queue', 'redis://h:1', '--dry-run'], '--dry-run does not go with --queue: the workers run the jobs; run a local batch for it'],
    [['batch', 'jobs', '--queue', 'redis://h:1', '--media-concurrency', '2'], '--media-concurrency does not go with --queue: give it to each seedance-preflight worker'],
  ])('%j', async (args, message) => {
    const result = await cli(args, { env: WORKER_ENV });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `seedance-preflight: ${message}\n` });
  });
});

describe('--help of the queue commands explains with examples', () => {
  it.each([
    [['worker', '--help'], 'Usage: seedance-preflight worker [options]', '  seedance-preflight worker --queue redis://127.0.0.1:6379\n'],
    [['queue', 'status', '--help'], 'Usage: seedance-preflight queue status [options]', '  seedance-preflight queue status --queue redis://127.0.0.1:6379\n'],
    [['batch', '--help'], 'Usage: seedance-preflight batch [options] <root>', '  seedance-preflight batch jobs/ --queue redis://127.0.0.1:6379 --junit batch.xml\n'],
  ])('%j', async (args, usage, example) => {
    const result = await cli(args, { env: WORKER_ENV });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(usage);
    expect(result.stdout.slice(result.stdout.indexOf('\nExamples:\n'))).toContain(`\n${example}`);
    // the URL's form survives the output's redaction (it masked a "[:PASSWORD@]" placeholder into "***@]")
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('redis://HOST:PORT[/DB], with :PASSWORD@ just before HOST when it needs one');
    expect(result.stdout).not.toContain('***');
  });

  it('the command list names worker and queue', async () => {
    const result = await cli(['--help'], { env: WORKER_ENV });
    expect(result.stdout).toMatch(/\n {2}worker \[options\] +take jobs enqueued by `batch --queue` and run\n/);
    expect(result.stdout).toMatch(/\n {2}queue +look at the queue of distributed batches\n/);
  });
});
