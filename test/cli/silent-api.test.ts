import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli-process.js';

// a real TCP server that accepts every connection and never answers: the API the user must not wait on for minutes
let server: Server;
let base: string;
const sockets: Socket[] = [];
/** Requests received (undici may open a spare connection, so requests are counted, not requests). */
let requests = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk: Buffer) => void (requests += (chunk.toString('latin1').match(/^GET \/v1\/tasks\//gm) ?? []).length));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const env = () => ({ EVOLINK_API_KEY: 'sk-silent-test-key', EVOLINK_BASE_URL: base, SEEDANCE_REQUEST_TIMEOUT: undefined });
const TASK = 'task-unified-1774857405-abc123';

describe('status against an API that accepts the connection and never answers', () => {
  it('--request-timeout 0.5: 3 tries, then one line naming the API, the bound and what raises it (exit 1)', async () => {
    const before = requests;
    const cli = startCli(['status', TASK, '--request-timeout', '0.5'], env());
    const { code } = await cli.exited;
    expect(code).toBe(1);
    expect(cli.stdout()).toBe('');
    expect(cli.stderr()).toBe(
      `query: query request to ${base}/v1/tasks/${TASK} got no answer within 0.5 s; retrying in 0.5 s (attempt 1 failed)\n` +
        `query: query request to ${base}/v1/tasks/${TASK} got no answer within 0.5 s; retrying in 1 s (attempt 2 failed)\n` +
        `seedance-preflight: the API at ${base} did not answer within 0.5 s (3 tries, 3 s in all): check the network or --api-base; --request-timeout raises the bound\n`,
    );
    expect(requests - before).toBe(3);
  });

  it('SEEDANCE_REQUEST_TIMEOUT sets it too; --json gives the same message and hint as data', async () => {
    const cli = startCli(['--json', 'status', TASK], { ...env(), SEEDANCE_REQUEST_TIMEOUT: '0.2' });
    const { code } = await cli.exited;
    expect(code).toBe(1);
    expect(JSON.parse(cli.stdout())).toEqual({
      ok: false,
      task: null,
      download: null,
      error: { kind: 'network', message: `the API at ${base} did not answer within 0.2 s (3 tries, 2.1 s in all)`, hint: 'check the network or --api-base; --request-timeout raises the bound' },
    });
  });

  it('a bad --request-timeout or SEEDANCE_REQUEST_TIMEOUT is a usage error naming it (exit 2), before any request', async () => {
    const before = requests;
    const flag = startCli(['status', TASK, '--request-timeout', 'soon'], env());
    const variable = startCli(['status', TASK], { ...env(), SEEDANCE_REQUEST_TIMEOUT: '0' });
    expect((await flag.exited).code).toBe(2);
    expect((await variable.exited).code).toBe(2);
    expect(flag.stderr()).toBe('seedance-preflight: --request-timeout must be a number of seconds greater than 0, not "soon"\n');
    expect(variable.stderr()).toBe('seedance-preflight: SEEDANCE_REQUEST_TIMEOUT must be a number of seconds greater than 0, not "0"\n');
    expect(requests).toBe(before);
  });
});
