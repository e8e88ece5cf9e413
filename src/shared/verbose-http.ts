/**
 * Every HTTP request the process makes, as verbose lines, read from Node's diagnostics channels: fetch (undici: the
 * API client, result downloads, media URL reads, URL checks) and node:http (the AWS SDK's S3 calls). One hook below
 * every client, subscribed only while a sink is set, so with verbose output off the clients do not even publish.
 * Only method, URL (through urlForLog), status, time and an error's message are read: never headers or bodies.
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { urlForLog } from './log-url.js';
import { redactUrls } from './redact.js';

type Log = (line: string) => void;

/** What undici's channels carry about a request (its own type is not exported by Node). */
interface UndiciRequest {
  method: string;
  origin: string | URL;
  path: string;
}

interface Pending {
  line: string;
  startedAt: number;
  status?: number;
}

/** "POST https://api.example/v1/videos/generations": what both ends of a request are named by. */
export function requestName(method: string, url: string): string {
  return `${method} ${urlForLog(url)}`;
}

export const sentLine = (name: string) => `→ ${name}`;
export const answeredLine = (name: string, status: number, ms: number) => `← ${status} ${name} in ${Math.round(ms)} ms`;
/** "✗ GET … failed in 12 ms: connect ECONNREFUSED …"; a request the tool itself aborted (a read that had enough, a timeout) says "aborted". */
export function failedLine(name: string, status: number | undefined, ms: number, error: Error): string {
  const after = status === undefined ? '' : ` after ${status}`;
  const time = ` in ${Math.round(ms)} ms`;
  return error.name === 'AbortError' ? `✗ ${name} aborted${after}${time}` : `✗ ${name} failed${after}${time}: ${redactUrls(errorText(error))}`;
}

function errorText(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}

let unsubscribe: (() => void) | null = null;

/** Starts (log: it must not throw, as verboseLog does not) or stops (null) logging HTTP requests; a second start replaces the first. */
export function watchHttp(log: Log | null): void {
  unsubscribe?.();
  unsubscribe = log ? subscribeAll(log) : null;
}

function subscribeAll(log: Log): () => void {
  const pending = new WeakMap<object, Pending>();
  const sent = (request: object, method: string, url: string) => {
    const line = requestName(method, url);
    pending.set(request, { line, startedAt: performance.now() });
    log(sentLine(line));
  };
  const answered = (request: object, status: number) => {
    const entry = pending.get(request);
    if (!entry || entry.status !== undefined) return;
    entry.status = status;
    log(answeredLine(entry.line, status, performance.now() - entry.startedAt));
  };
  const finished = (request: object) => pending.delete(request);
  const failed = (request: object, error: Error) => {
    const entry = pending.get(request);
    if (!entry) return;
    pending.delete(request);
    log(failedLine(entry.line, entry.status, performance.now() - entry.startedAt, error));
  };

  const handlers: Record<string, (message: unknown) => void> = {
    'undici:request:create': (m) => {
      const { request } = m as { request: UndiciRequest };
      sent(request, request.method, `${String(request.origin).replace(/\/$/, '')}${request.path}`);
    },
    'undici:request:headers': (m) => {
      const { request, response } = m as { request: object; response: { statusCode: number } };
      answered(request, response.statusCode);
    },
    'undici:request:trailers': (m) => finished((m as { request: object }).request),
    'undici:request:error': (m) => {
      const { request, error } = m as { request: object; error: Error };
      failed(request, error);
    },
    'http.client.request.start': (m) => {
      const { request } = m as { request: ClientRequest };
      sent(request, request.method, nodeRequestUrl(request));
    },
    'http.client.response.finish': (m) => {
      const { request, response } = m as { request: ClientRequest; response: IncomingMessage };
      answered(request, response.statusCode ?? 0);
      finished(request);
    },
    'http.client.request.error': (m) => {
      const { request, error } = m as { request: ClientRequest; error: Error };
      failed(request, error);
    },
  };
  for (const [name, handler] of Object.entries(handlers)) diagnostics.subscribe(name, handler);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) diagnostics.unsubscribe(name, handler);
  };
}

/** scheme://host[:port]/path of a node:http request, from what it was made with (the Host header names the port). */
function nodeRequestUrl(request: ClientRequest): string {
  const host = request.getHeader('host');
  return `${request.protocol}//${typeof host === 'string' ? host : request.host}${request.path}`;
}
