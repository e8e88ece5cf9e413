import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveBaseUrl } from '../submit/base-url.js';
import { redactUrls } from '../shared/redact.js';
import { UPLOAD_ENV, UploadSettingsError, uploadSettingsFrom } from '../upload/upload-settings.js';
import { UsageError, type CliIo } from './io.js';
import { QUEUE_URL_ENV } from './queue-flags.js';
import { uploadFlagsAsSettings, type UploadFlags } from './upload-flags.js';
import { terminalOf } from './terminal/terminal.js';

/** The commands whose settings are checked before any work. */
export type SettingsCommand = 'upload' | 'submit' | 'run' | 'batch' | 'worker';

/** One setting a command cannot start without (missing) or cannot use as given (wrong). */
export interface SettingProblem {
  setting: 'queue' | 'bucket' | 'aws-credentials' | 'api-key' | 'upload-value' | 'api-base';
  state: 'missing' | 'wrong';
  /** What to set, or what is wrong and how to fix it. */
  text: string;
}

export interface SettingsInput {
  command: SettingsCommand;
  dryRun: boolean;
  env: NodeJS.ProcessEnv;
  flags: UploadFlags & { apiBase?: string; queue?: string | boolean };
  /** Whether the AWS shared credentials or config file exists (the SDK's profile chain reads them). */
  awsSharedFileExists: boolean;
}

export const MISSING_TEXT = {
  queue: `the queue (--queue redis://HOST:PORT, ${QUEUE_URL_ENV} or queue in the config file)`,
  bucket: `the S3 bucket (--bucket, ${UPLOAD_ENV.bucket} or bucket in the config file)`,
  'aws-credentials': 'AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a shared credentials file)',
  'api-key': 'EVOLINK_API_KEY (your API key: https://evolink.ai/dashboard/keys; to try without one, run seedance-preflight sandbox and use the variables it prints)',
} as const;

/** Every missing or wrong setting `command` needs, at once; a dry run uploads and sends nothing, so needs no bucket, credentials or key. */
export function settingsProblems(input: SettingsInput): SettingProblem[] {
  const { command, dryRun, env, flags } = input;
  const uploads = command !== 'submit' && !(dryRun && (command === 'run' || command === 'batch'));
  const callsApi = command !== 'upload' && !dryRun;
  const readsUploadFlags = command !== 'submit';
  const problems: SettingProblem[] = [];
  const queueSet = (typeof flags.queue === 'string' && flags.queue.trim() !== '') || Boolean(env[QUEUE_URL_ENV]?.trim());
  if (command === 'worker' && !queueSet) problems.push({ setting: 'queue', state: 'missing', text: MISSING_TEXT.queue });
  const bucketSet = Boolean(flags.bucket?.trim() || env[UPLOAD_ENV.bucket]?.trim());
  if (uploads && !bucketSet) problems.push({ setting: 'bucket', state: 'missing', text: MISSING_TEXT.bucket });
  if (uploads && !awsCredentialsFindable(env, input.awsSharedFileExists)) problems.push({ setting: 'aws-credentials', state: 'missing', text: MISSING_TEXT['aws-credentials'] });
  if (callsApi && !env.EVOLINK_API_KEY?.trim()) problems.push({ setting: 'api-key', state: 'missing', text: MISSING_TEXT['api-key'] });
  if (readsUploadFlags) {
    for (const text of uploadValueProblems(env, flags)) problems.push({ setting: 'upload-value', state: 'wrong', text });
  }
  if (command !== 'upload') {
    const base = apiBaseProblem(env, flags.apiBase);
    if (base) problems.push({ setting: 'api-base', state: 'wrong', text: base });
  }
  return problems;
}

/** The one line a command that cannot start prints: "run cannot start: 2 settings are missing: A; B". */
export function settingsProblemsLine(command: SettingsCommand, problems: readonly SettingProblem[]): string {
  const missing = problems.filter((p) => p.state === 'missing').length;
  const state = missing === problems.length ? 'missing' : missing === 0 ? 'wrong' : 'missing or wrong';
  const count = problems.length === 1 ? `1 setting is ${state}` : `${problems.length} settings are ${state}`;
  return `${command} cannot start: ${count}: ${problems.map((p) => p.text).join('; ')}`;
}

/**
 * The SDK's chain without its network steps: access-key variables, a web identity token, a container's credentials,
 * or a shared credentials/config file (profiles, SSO, credential_process). An EC2 instance role is seen only by asking
 * the instance metadata service (a network call): unless AWS_EC2_METADATA_DISABLED=true rules it out, credentials may
 * come from there, and a machine without any is told at the upload (exit 2, the same wording).
 */
export function awsCredentialsFindable(env: NodeJS.ProcessEnv, awsSharedFileExists: boolean): boolean {
  if (env.AWS_ACCESS_KEY_ID?.trim() && env.AWS_SECRET_ACCESS_KEY?.trim()) return true;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE?.trim() || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI?.trim() || env.AWS_CONTAINER_CREDENTIALS_FULL_URI?.trim()) return true;
  if (awsSharedFileExists) return true;
  return env.AWS_EC2_METADATA_DISABLED?.trim().toLowerCase() !== 'true';
}

/** The SDK's shared files: $AWS_SHARED_CREDENTIALS_FILE / $AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config. */
export function awsSharedFileExists(env: NodeJS.ProcessEnv): boolean {
  const home = env.HOME?.trim() || homedir();
  const files = [env.AWS_SHARED_CREDENTIALS_FILE?.trim() || join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE?.trim() || join(home, '.aws', 'config')];
  return files.some((file) => existsSync(file));
}

/** Checks `command`'s settings before any work: every problem in one usage error (exit 2); a dry run notes what a real run would need. */
export function requireSettings(command: SettingsCommand, flags: SettingsInput['flags'], env: NodeJS.ProcessEnv, options: { dryRun?: boolean; io?: CliIo } = {}): void {
  const input = { command, dryRun: Boolean(options.dryRun), env, flags, awsSharedFileExists: awsSharedFileExists(env) };
  const problems = settingsProblems(input);
  if (problems.length > 0) throw new UsageError(settingsProblemsLine(command, problems));
  if (!input.dryRun || !options.io) return;
  const needed = settingsProblems({ ...input, dryRun: false }).map((p) => p.text);
  // a note, not an error: -q leaves it out
  if (needed.length > 0) terminalOf(options.io).info(`seedance-preflight: note: a dry run needs no settings; a real ${command} would also need ${needed.join('; ')}\n`);
}

/** Each upload value checked on its own (flag, else its variable), then together: every wrong one, not only the first. */
function uploadValueProblems(env: NodeJS.ProcessEnv, flags: UploadFlags): string[] {
  const fields = [['urlMode', 'urlMode'], ['expires', 'expiresSeconds'], ['endpoint', 'endpoint'], ['publicBaseUrl', 'publicBaseUrl']] as const;
  const alone = fields.map(([flag, setting]) => () => uploadSettingsFrom({ [UPLOAD_ENV[setting]]: env[UPLOAD_ENV[setting]] }, { ...uploadFlagsAsSettings({ [flag]: flags[flag] }), bucket: 'checked-apart' }));
  const together = () => uploadSettingsFrom(env, { ...uploadFlagsAsSettings(flags), bucket: 'checked-apart' });
  const messages: string[] = [];
  for (const check of [...alone, together]) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof UploadSettingsError)) throw error;
      if (!messages.includes(error.message)) messages.push(error.message);
    }
  }
  // together repeats a field's own error (dropped as a duplicate), or adds the one only a pair makes (a public base URL with presigned)
  return messages;
}

function apiBaseProblem(env: NodeJS.ProcessEnv, apiBase: string | undefined): string | null {
  const base = resolveBaseUrl(apiBase, env);
  const flag = apiBase?.trim() ? '--api-base' : 'EVOLINK_BASE_URL';
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return `${flag} must be an http(s) URL such as https://api.evolink.ai, not "${redactUrls(base)}"`;
  }
  // the wording of apiClientFrom's own refusal (status and wait meet it there)
  if (url.username || url.password) return `${flag} ${redactUrls(base)} carries credentials (user:password@), which are never sent (the API takes EVOLINK_API_KEY): remove the "user:password@" part`;
  return null;
}
