import { randomBytes } from 'node:crypto';
import { startS3Store, S3_STORE_CREDENTIALS, type S3Store } from './s3-store.js';
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
  /** Where the store keeps objects (default: a temporary folder removed on close). */
  directory?: string;
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
  close(): Promise<void>;
}

export const DEFAULT_SANDBOX_BUCKET = 'seedance';

/** Starts the local S3-compatible store and the API simulator on loopback ports. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apiKey = options.apiKey ?? `sk-sandbox-${randomBytes(16).toString('hex')}`;
  const bucket = options.bucket ?? DEFAULT_SANDBOX_BUCKET;
  const s3 = await startS3Store({ port: options.s3Port, directory: options.directory, buckets: [bucket] });
  let simulator: Simulator;
  try {
    simulator = await startSimulator({
      apiKey,
      port: options.apiPort,
      taskDurationMs: options.taskDurationMs,
      allowInsecureCallbacks: options.allowInsecureCallbacks,
      callbackPolicy: options.callbackPolicy,
    });
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
    async close() {
      await Promise.allSettled([simulator.close(), s3.close()]);
    },
  };
}

/** The settings that point the tool at a sandbox (names shared with the upload stage). */
function sandboxEnv(settings: { apiBaseUrl: string; apiKey: string; bucket: string; s3Endpoint: string }): Record<string, string> {
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
  };
}
