import { startS3Store, S3_STORE_CREDENTIALS, type S3Store } from './s3-store.js';
import { sandboxLayout } from './sandbox-dir.js';
import { SANDBOX_API_BASE_ENV } from './sandbox-marker.js';
import { newSandboxKey, sandboxKey } from './sandbox-key.js';
import { onPreferredPort, readPorts, writePorts } from './sandbox-ports.js';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
import { DEFAULT_REGION, UPLOAD_ENV } from '../upload/upload-settings.js';

export interface SandboxOptions {
  /** The simulator's key; a fresh random one when absent. It is the sandbox's own, never a real account's. */
  apiKey?: string;
  /** Bucket created in the store (default "seedance"). */
  bucket?: string;
  /** Time from create to completed (milliseconds). */
  taskDurationMs?: number;
  /** Accept http:// and loopback callback URLs (the provider refuses them). */
  allowInsecureCallbacks?: boolean;
  apiPort?: number;
  s3Port?: number;
  /** Where the store keeps objects (default: a temporary folder removed on close); ignored with `stateDir`. */
  directory?: string;
  /**
   * The sandbox folder: the store's objects, the simulator's tasks, the key (unless `apiKey`) and the ports of last
   * time (tried first unless given) live there and survive the sandbox. Without it everything is temporary.
   */
  stateDir?: string;
  callbackPolicy?: SimulatorOptions['callbackPolicy'];
}

export interface Sandbox {
  apiBaseUrl: string;
  apiKey: string;
  bucket: string;
  s3: S3Store;
  /** The variables that point the tool at the sandbox. */
  env: Record<string, string>;
  simulator: Simulator;
  /** The sandbox folder its state lives in; null when it is all temporary. */
  stateDir: string | null;
  close(): Promise<void>;
}

export const DEFAULT_SANDBOX_BUCKET = 'seedance';

/** Starts the local S3-compatible store and the API simulator on loopback ports. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const layout = options.stateDir === undefined ? null : sandboxLayout(options.stateDir);
  const apiKey = options.apiKey ?? (layout ? await sandboxKey(layout.key) : newSandboxKey());
  const bucket = options.bucket ?? DEFAULT_SANDBOX_BUCKET;
  const last = layout ? await readPorts(layout.ports) : null;
  const s3 = await onPreferredPort(options.s3Port ?? last?.s3, options.s3Port !== undefined, (port) => startS3Store({ port, directory: layout?.store ?? options.directory, buckets: [bucket] }));
  let simulator: Simulator;
  try {
    simulator = await onPreferredPort(options.apiPort ?? last?.api, options.apiPort !== undefined, (port) =>
      startSimulator({
        apiKey,
        port,
        taskDurationMs: options.taskDurationMs,
        allowInsecureCallbacks: options.allowInsecureCallbacks,
        callbackPolicy: options.callbackPolicy,
        tasksFile: layout?.tasks,
      }),
    );
    if (layout && (last?.api !== simulator.port || last.s3 !== s3.port)) await writePorts(layout.ports, { api: simulator.port, s3: s3.port });
  } catch (error) {
    await s3.close();
    throw error;
  }
  return {
    apiBaseUrl: simulator.baseUrl,
    apiKey,
    bucket,
    s3,
    simulator,
    env: sandboxEnv({ apiBaseUrl: simulator.baseUrl, apiKey, bucket, s3Endpoint: s3.endpoint }),
    stateDir: options.stateDir ?? null,
    async close() {
      // the simulator first: the media reviews it lets finish read from the store
      await simulator.close().catch(() => undefined);
      await s3.close().catch(() => undefined);
    },
  };
}

/** The settings that point the tool at a sandbox (names shared with the upload stage). */
export function sandboxEnv(settings: { apiBaseUrl: string; apiKey: string; bucket: string; s3Endpoint: string }): Record<string, string> {
  return {
    EVOLINK_API_KEY: settings.apiKey,
    EVOLINK_BASE_URL: settings.apiBaseUrl,
    AWS_ACCESS_KEY_ID: S3_STORE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_STORE_CREDENTIALS.secretAccessKey,
    AWS_REGION: DEFAULT_REGION,
    [UPLOAD_ENV.bucket]: settings.bucket,
    [UPLOAD_ENV.endpoint]: settings.s3Endpoint,
    [UPLOAD_ENV.forcePathStyle]: 'true',
    [UPLOAD_ENV.urlMode]: 'public',
    [SANDBOX_API_BASE_ENV]: settings.apiBaseUrl,
  };
}
