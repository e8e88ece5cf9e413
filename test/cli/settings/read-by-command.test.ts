import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../../helpers/fixtures.js';
import { cli } from '../../helpers/run-cli.js';
import { projectFolder } from './project-folder.js';

/**
 * Settings a command reads from its variable itself (the API base, the request timeout, the bucket): flag > variable >
 * config file, seen in what a real command sends to a real local server.
 */
const { dir, cleanup } = await tempDir('sp-read-by-');
const CLEAR = Object.fromEntries(Object.keys(process.env).filter((k) => /^(SEEDANCE_|EVOLINK_|AWS_)/.test(k)).map((k) => [k, '']));
let server: ReturnType<typeof createServer>;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    seen.push(`${request.method} ${request.url}`);
    // /slow never answers: the request timeout in force says when the client gives up
    if (request.url?.startsWith('/slow')) return;
    response.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code><Message>denied</Message></Error>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await cleanup();
});

const project = (config: object | null) => projectFolder(dir, config);

/** The requests one run made. */
async function requests(args: string[], env: Record<string, string>, config: object | null) {
  seen.length = 0;
  const run = await cli(args, { cwd: project(config), env: { ...CLEAR, ...env } });
  return { run, seen: [...seen] };
}

describe('status: the API base from the flag, else EVOLINK_BASE_URL, else the config file', () => {
  const key = { EVOLINK_API_KEY: 'sk-read-by-test' };
  it.each([
    ['the config file alone', [], {}, '/config'],
    ['the variable over the config file', [], { EVOLINK_BASE_URL: '/env' }, '/env'],
    ['the flag over both', ['--api-base', '/flag'], { EVOLINK_BASE_URL: '/env' }, '/flag'],
  ] as const)('%s', async (_name, flag, env, path) => {
    const withBase = (text: string) => (text.startsWith('/') ? `${base}${text}` : text);
    const { seen } = await requests(['status', 'task-1', ...flag.map(withBase)], { ...key, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, withBase(v)])) }, { apiBase: `${base}/config` });
    expect(new Set(seen)).toEqual(new Set([`GET ${path}/v1/tasks/task-1`]));
  });
});

describe('status: the request timeout from the flag, else SEEDANCE_REQUEST_TIMEOUT, else the config file', () => {
  it.each([
    ['the config file alone', [], {}, '0.2 s'],
    ['the variable over the config file', [], { SEEDANCE_REQUEST_TIMEOUT: '0.3' }, '0.3 s'],
    ['the flag over both', ['--request-timeout', '0.4'], { SEEDANCE_REQUEST_TIMEOUT: '0.3' }, '0.4 s'],
  ] as const)('%s', async (_name, flag, env, within) => {
    const { run } = await requests(['status', 'task-1', ...flag], { EVOLINK_API_KEY: 'sk-read-by-test', EVOLINK_BASE_URL: `${base}/slow`, ...env }, { requestTimeout: 0.2 });
    expect(run.stderr).toContain(`the API at ${base}/slow did not answer within ${within} (3 tries`);
  });
});

describe('upload: the bucket from the flag, else SEEDANCE_S3_BUCKET, else the config file', () => {
  const aws = { AWS_ACCESS_KEY_ID: 'AKIA-READ-BY', AWS_SECRET_ACCESS_KEY: 'read-by-secret', AWS_REGION: 'us-east-1' };
  it.each([
    ['the config file alone', [], {}, 'from-config'],
    ['the variable over the config file', [], { SEEDANCE_S3_BUCKET: 'from-env' }, 'from-env'],
    ['the flag over both', ['--bucket', 'from-flag'], { SEEDANCE_S3_BUCKET: 'from-env' }, 'from-flag'],
  ] as const)('%s', async (_name, flag, env, bucket) => {
    const { run, seen } = await requests(['upload', fixture('valid-3s.mp3'), ...flag], { ...aws, ...env }, { bucket: 'from-config', endpoint: base, forcePathStyle: true });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`access to bucket "${bucket}" at ${base} was denied (AccessDenied)`);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((request) => request.split(' ')[1]!.startsWith(`/${bucket}/`))).toBe(true);
  });
});
