import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_MODEL, TEXT_MODEL, type ModelName } from '../spec/profile.js';
import { TASK_ID_PREFIX, type Task } from '../submit/task.js';
import { DEFAULT_CALLBACK_POLICY, deliverCallback, type CallbackAttempt, type CallbackPolicy } from './callbacks.js';
import { validateCreate } from './create-validation.js';
import { reviewMedia, type MediaReview, type TaskFailure } from './media-review.js';
import { loadOpenApiDocuments, type DocumentedError } from './openapi-documents.js';
import { resultSpecFor } from './result-spec.js';
import { resultVideo, type ResultVideoSpec } from './result-video.js';
import { loadTasks, taskWriter, type StoredTask } from './task-store.js';

export type FaultStatus = 402 | 403 | 429 | 500 | 503;

export interface SimulatorOptions {
  apiKey: string;
  /** Loopback port; 0 (the default) picks a free one. */
  port?: number;
  /** Time from create to completed (milliseconds): pending for the first fifth, then processing with rising progress. */
  taskDurationMs?: number;
  /** Accept http:// and loopback callback URLs (the provider refuses them); for local receivers only. */
  allowInsecureCallbacks?: boolean;
  callbackPolicy?: Partial<CallbackPolicy>;
  /** Keep the tasks in this file (written atomically after each change) and take up those it holds: a task whose end passed while no simulator ran ends at start. */
  tasksFile?: string;
}

export interface SimulatorCounters {
  /** Every request the simulator received. */
  total: number;
  create: number;
  query: number;
  /** GETs of result videos. */
  download: number;
  unauthorized: number;
  /** Answers forced by failNext. */
  faults: number;
  /** Creates whose connection was dropped by dropNextCreateAfterBody. */
  dropped: number;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  kind: 'create' | 'query' | 'download' | 'other';
  /** The answer's status; null when the connection was dropped. */
  status: number | null;
}

/** Tasks in flight (pending or processing: created, not yet ended) now and at most at once, and every task created. */
export interface SimulatorStats {
  inFlight: number;
  /** The most tasks in flight at once since the simulator started (an account's concurrent-task limit is checked against it). */
  maxInFlight: number;
  tasks: { id: string; createdAt: string; status: string; prompt: string | null }[];
}

/** The stats over HTTP, for a test that runs the sandbox as its own process; not an API route of the provider. */
export const STATS_PATH = '/_sandbox/stats';

export interface Simulator {
  baseUrl: string;
  port: number;
  /** The file a completed task serves as results[0] (made for its request); null until it completes. */
  resultFile(taskId: string): string | null;
  /** The next `count` tasks created serve a result that differs from their request in what is given (a provider's fault, for QC tests). */
  alterNextResults(count: number, alteration: Partial<ResultVideoSpec>): void;
  /** The next `count` API requests (create or query, or only the one named) are answered with this status and the documented body. */
  failNext(status: FaultStatus, count: number, options?: { retryAfterSeconds?: number; only?: 'create' | 'query' }): void;
  /** The next `count` creates are read in full, then the connection is closed without an answer; the task is created unless createTask is false. */
  dropNextCreateAfterBody(count: number, options?: { createTask?: boolean }): void;
  /** The next `count` tasks created fail at their end with this error (content_policy_violation, generation_timeout…). */
  failNextTasks(count: number, error: { code: string; message: string; type?: string }): void;
  /** Every task created so far, as a query would show it now. */
  createdTasks(): Task[];
  /** When a task was created and reached its terminal status (epoch ms). */
  timeline(taskId: string): { createdAt: number; finishedAt: number | null } | null;
  counters(): SimulatorCounters;
  /** Also served at GET /_sandbox/stats (with the simulator's API key); those requests are not counted or logged. */
  stats(): SimulatorStats;
  requestLog(): RequestLogEntry[];
  callbacks(): CallbackAttempt[];
  close(): Promise<void>;
}

interface TaskRecord extends StoredTask {
  /** The generated file, once the task completed (made again from `spec` when a restarted simulator serves it). */
  resultPath: string | null;
  timer: NodeJS.Timeout | null;
}

const MAX_BODY_BYTES = 1_000_000;
const PENDING_FRACTION = 0.2;
/** How long closing waits for media reviews under way. */
const REVIEW_GRACE_MS = 10_000;
/** TASKS.md lists 503 with its type only; these words are ours. */
const SERVICE_UNAVAILABLE: DocumentedError = { code: 'service_unavailable', message: 'Service temporarily unavailable', type: 'service_unavailable_error' };

/** An HTTP server that answers as the Seedance 2.0 API does: create, query, documented errors, callbacks, a result video. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const documents = loadOpenApiDocuments();
  const durationMs = options.taskDurationMs ?? 5000;
  const callbackPolicy: CallbackPolicy = { ...DEFAULT_CALLBACK_POLICY, ...options.callbackPolicy };
  const kept = options.tasksFile ? await loadTasks(options.tasksFile) : [];
  const workDir = await mkdtemp(join(tmpdir(), 'seedance-sim-'));
  const lifetime = new AbortController();

  const tasks = new Map<string, TaskRecord>();
  const faults: { status: FaultStatus; retryAfterSeconds?: number; only?: 'create' | 'query' }[] = [];
  const drops: { createTask: boolean }[] = [];
  const taskFailures: TaskFailure[] = [];
  const alterations: Partial<ResultVideoSpec>[] = [];
  const counters: SimulatorCounters = { total: 0, create: 0, query: 0, download: 0, unauthorized: 0, faults: 0, dropped: 0 };
  const log: RequestLogEntry[] = [];
  const callbackLog: CallbackAttempt[] = [];
  const background = new Set<Promise<unknown>>();
  const reviews = new Set<Promise<unknown>>();
  let requestCounter = 0;
  let baseUrl = '';
  let inFlight = 0;
  let maxInFlight = 0;
  const store = options.tasksFile ? taskWriter(options.tasksFile, () => [...tasks.values()].map(({ resultPath: _p, timer: _t, ...stored }) => stored)) : null;

  const documented = (status: number, model: ModelName = REFERENCE_MODEL): DocumentedError =>
    documents.errors.get(model)!.get(status) ?? (status === 503 ? SERVICE_UNAVAILABLE : { code: 'error', message: `HTTP ${status}`, type: 'api_error' });

  function snapshot(record: TaskRecord, now = Date.now()): Task {
    // the result's link names this simulator's address of the day: a restart may have moved it
    if (record.final) return record.final.status === 'completed' ? { ...structuredClone(record.final), results: [`${baseUrl}/files/${record.id}.mp4`] } : structuredClone(record.final);
    const fraction = Math.min(1, (now - record.createdAt) / record.durationMs);
    const pending = fraction < PENDING_FRACTION;
    return {
      created: Math.floor(record.createdAt / 1000),
      id: record.id,
      model: record.model,
      object: 'video.generation.task',
      progress: pending ? 0 : Math.min(99, Math.floor(fraction * 100)),
      status: pending ? 'pending' : 'processing',
      task_info: { can_cancel: pending, estimated_time: Math.max(0, Math.ceil((record.durationMs - (now - record.createdAt)) / 1000)), video_duration: (record.request.duration as number | undefined) ?? 5 },
      type: 'video',
      usage: { billing_rule: 'per_second', credits_reserved: ((record.request.duration as number | undefined) ?? 5) * 10, user_group: 'default' },
    };
  }

  function finish(record: TaskRecord, failure: TaskFailure | null, resultPath: string | null = null): void {
    if (record.final || lifetime.signal.aborted) return;
    if (record.timer) clearTimeout(record.timer);
    const base = snapshot(record);
    record.finishedAt = Date.now();
    inFlight--;
    record.resultPath = failure ? null : resultPath;
    record.final = failure
      ? { ...base, status: 'failed', task_info: { ...base.task_info, can_cancel: false, estimated_time: 0 }, error: { ...failure } }
      : { ...base, status: 'completed', progress: 100, task_info: { ...base.task_info, can_cancel: false, estimated_time: 0 }, results: [`${baseUrl}/files/${record.id}.mp4`] };
    const callbackUrl = record.request.callback_url;
    // TASKS.md: POSTed on completed, failed or cancelled; the body is the query object
    if (typeof callbackUrl === 'string') track(deliverCallback(record.id, callbackUrl, record.final, callbackPolicy, (a) => callbackLog.push(a), lifetime.signal));
    store?.changed();
  }

  function track(promise: Promise<unknown>): void {
    const guarded = promise.catch(() => undefined).finally(() => background.delete(guarded));
    background.add(guarded);
  }

  function createTask(request: Record<string, unknown>): TaskRecord {
    const id = `${TASK_ID_PREFIX}${Math.floor(Date.now() / 1000)}-${randomBytes(4).toString('hex')}`;
    const record: TaskRecord = { id, model: request.model as ModelName, request, createdAt: Date.now(), durationMs, final: null, finishedAt: null, forcedFailure: taskFailures.shift() ?? null, alteration: alterations.shift() ?? {}, spec: null, resultPath: null, timer: null };
    tasks.set(id, record);
    store?.changed();
    run(record);
    return record;
  }

  /** Takes a task through review and generation to its end (createdAt + durationMs); one taken up after a restart keeps its times. */
  function run(record: TaskRecord): void {
    const { id, request } = record;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // its end passed while no simulator ran: it ends now, its video made when first asked for
    if (record.spec && Date.now() >= record.createdAt + record.durationMs) return finish(record, record.forcedFailure);
    // a task whose media were accepted before a restart is not reviewed again (its URLs may point at a store that moved)
    const review = record.spec ? Promise.resolve(null) : (async (): Promise<MediaReview | null> => {
      const dir = join(workDir, id);
      await mkdir(dir, { recursive: true });
      try {
        return await reviewMedia(request, dir, lifetime.signal);
      } catch (error) {
        if (lifetime.signal.aborted) return null;
        return { ok: false, failure: { code: 'service_error', message: `the sandbox could not review the media: ${(error as Error).message}`, type: 'api_error' } };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    // the video is made while the task runs: what the request asks for, unless told to get it wrong
    const cannotMake = (error: unknown): { failure: TaskFailure } => ({ failure: { code: 'generation_failed_no_content', message: `the sandbox could not make the result video: ${(error as Error).message}`, type: 'api_error' } });
    // what the video will be, recorded as soon as the media pass: a restarted simulator needs neither the media nor their store
    const specified = review.then((reviewed): { failure: TaskFailure } | null => {
      if (record.spec || !reviewed?.ok) return null;
      try {
        record.spec = { ...resultSpecFor(request, documents.defaults.get(record.model)!, documents.outputSizes.get(record.model)!, reviewed.accepted), ...record.alteration };
        store?.changed();
        return null;
      } catch (error) {
        return cannotMake(error);
      }
    });
    reviews.add(specified);
    void specified.finally(() => reviews.delete(specified));
    const generation = specified.then(async (failed): Promise<{ path: string } | { failure: TaskFailure } | null> => {
      if (failed) return failed;
      if (!record.spec) return null;
      try {
        return { path: await resultVideo(record.spec) };
      } catch (error) {
        return cannotMake(error);
      }
    });
    // media problems fail the task as soon as they are found; otherwise it completes at its end
    track(review.then((reviewed) => reviewed && !reviewed.ok && finish(record, reviewed.failure)));
    record.timer = setTimeout(() => track(generation.then((made) => {
      if (made && 'failure' in made) return finish(record, made.failure);
      return finish(record, record.forcedFailure, made?.path ?? null);
    })), Math.max(0, record.createdAt + record.durationMs - Date.now()));
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'x-request-id': `req-sandbox-${++requestCounter}`, ...headers });
    res.end(text);
  }
  const sendError = (res: ServerResponse, status: number, error: DocumentedError & { param?: string }, headers?: Record<string, string>) => send(res, status, { error }, headers);

  function authorized(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${options.apiKey}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function takeFault(kind: 'create' | 'query') {
    const index = faults.findIndex((f) => f.only === undefined || f.only === kind);
    return index < 0 ? undefined : faults.splice(index, 1)[0];
  }

  async function handle(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const download = url.pathname.match(/^\/files\/(task-unified-[\w-]+)\.mp4$/);
    if (download && req.method === 'GET') {
      entry.kind = 'download';
      counters.download++;
      const record = tasks.get(download[1]!);
      if (record?.final?.status !== 'completed' || !(record.resultPath || record.spec)) return sendError(res, 404, { code: 'not_found', message: 'no such result', type: 'invalid_request_error' });
      // a task that ended before a restart: its video is made again from what it was (kept in the temp folder, or remade)
      const path = (record.resultPath = record.resultPath && (await exists(record.resultPath)) ? record.resultPath : await resultVideo(record.spec!));
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String((await stat(path)).size) });
      createReadStream(path).pipe(res);
      return;
    }
    const isCreate = url.pathname === '/v1/videos/generations';
    const taskQuery = url.pathname.match(/^\/v1\/tasks\/([^/]+)$/);
    if (!isCreate && !taskQuery) return sendError(res, 404, { code: 'not_found', message: `no route ${req.method} ${url.pathname}`, type: 'invalid_request_error' });
    const kind = isCreate ? 'create' : 'query';
    entry.kind = kind;
    counters[kind]++;
    if ((isCreate && req.method !== 'POST') || (taskQuery && req.method !== 'GET')) {
      return sendError(res, 405, { code: 'method_not_allowed', message: `${req.method} is not allowed on ${url.pathname}`, type: 'invalid_request_error' });
    }
    const text = isCreate ? await readBody(req) : '';
    if (text === null) return sendError(res, 413, { code: 'request_too_large', message: `the body exceeds ${MAX_BODY_BYTES} bytes`, type: 'invalid_request_error' });
    if (!authorized(req)) {
      counters.unauthorized++;
      return sendError(res, 401, documented(401));
    }
    let body: unknown;
    if (isCreate) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const drop = drops.shift();
      if (drop) {
        counters.dropped++;
        if (drop.createTask && validateCreate(body, documents.validators, { allowInsecureCallbacks: Boolean(options.allowInsecureCallbacks) }) === null) createTask(body as Record<string, unknown>);
        entry.status = null;
        req.socket.destroy();
        return;
      }
    }
    const fault = takeFault(kind);
    if (fault) {
      counters.faults++;
      const model = (body as { model?: unknown } | undefined)?.model === TEXT_MODEL ? TEXT_MODEL : REFERENCE_MODEL;
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return sendError(res, fault.status, documented(fault.status, model), headers);
    }
    if (isCreate) {
      if (body === undefined) return sendError(res, 400, { ...documented(400), message: `${documented(400).message}: the body is not valid JSON`, param: 'body' });
      const rejection = validateCreate(body, documents.validators, { allowInsecureCallbacks: Boolean(options.allowInsecureCallbacks) });
      if (rejection) {
        const model = (body as { model?: unknown }).model === TEXT_MODEL ? TEXT_MODEL : REFERENCE_MODEL;
        return sendError(res, 400, { ...documented(400, model), message: `${documented(400, model).message}: ${rejection.message}`, param: rejection.param });
      }
      return send(res, 200, snapshot(createTask(body as Record<string, unknown>)));
    }
    const taskId = decodeURIComponent(taskQuery![1]!);
    if (!taskId.startsWith(TASK_ID_PREFIX)) return sendError(res, 400, { code: 'invalid_task_id', message: `Invalid task ID: ${taskId} (task ids start with ${TASK_ID_PREFIX})`, type: 'invalid_request_error' });
    const record = tasks.get(taskId);
    if (!record) return sendError(res, 404, { code: 'task_not_found', message: `Task not found: ${taskId}`, type: 'invalid_request_error' });
    return send(res, 200, snapshot(record));
  }

  function stats(): SimulatorStats {
    const now = Date.now();
    const list = [...tasks.values()].map((r) => ({ id: r.id, createdAt: new Date(r.createdAt).toISOString(), status: snapshot(r, now).status, prompt: typeof r.request.prompt === 'string' ? r.request.prompt : null }));
    return { inFlight, maxInFlight, tasks: list };
  }

  const server = createServer((req, res) => {
    if (req.url === STATS_PATH && req.method === 'GET') {
      // a test's look inside, not API traffic: neither counted nor logged
      if (!authorized(req)) return sendError(res, 401, documented(401));
      return send(res, 200, stats());
    }
    counters.total++;
    const entry: RequestLogEntry = { at: Date.now(), method: req.method ?? '', path: req.url ?? '', kind: 'other', status: null };
    log.push(entry);
    res.on('finish', () => void (entry.status = res.statusCode));
    handle(req, res, entry).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, { ...documented(500), message: `${documented(500).message}: ${(error as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  if (store) {
    // the tasks of earlier runs: ended ones answer as they ended, the others go on from where their clock stands
    for (const stored of kept) {
      const record: TaskRecord = { ...stored, resultPath: null, timer: null };
      tasks.set(record.id, record);
      if (!record.final) run(record);
    }
  }

  return {
    baseUrl,
    port,
    resultFile: (taskId) => tasks.get(taskId)?.resultPath ?? null,
    alterNextResults: (count, alteration) => {
      for (let i = 0; i < count; i++) alterations.push({ ...alteration });
    },
    failNext: (status, count, opts = {}) => {
      for (let i = 0; i < count; i++) faults.push({ status, retryAfterSeconds: opts.retryAfterSeconds, only: opts.only });
    },
    dropNextCreateAfterBody: (count, opts = {}) => {
      for (let i = 0; i < count; i++) drops.push({ createTask: opts.createTask ?? true });
    },
    failNextTasks: (count, error) => {
      for (let i = 0; i < count; i++) taskFailures.push({ code: error.code, message: error.message, type: error.type ?? 'api_error' });
    },
    createdTasks: () => [...tasks.values()].map((record) => snapshot(record)),
    timeline: (taskId) => {
      const record = tasks.get(taskId);
      return record ? { createdAt: record.createdAt, finishedAt: record.finishedAt } : null;
    },
    counters: () => ({ ...counters }),
    stats,
    requestLog: () => log.map((entry) => ({ ...entry })),
    callbacks: () => callbackLog.map((attempt) => ({ ...attempt })),
    async close() {
      // reviews under way end first (a local fetch and probe each), so a restart finds what their tasks will make
      await Promise.race([Promise.allSettled([...reviews]), new Promise((resolve) => setTimeout(resolve, REVIEW_GRACE_MS).unref())]);
      lifetime.abort();
      for (const record of tasks.values()) if (record.timer) clearTimeout(record.timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(background);
      await store?.flush();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The body as text; null past MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
