import type { Command } from 'commander';
import { toolBinary, toolEnv, type ToolName } from '../../probe/binaries.js';
import { findOnPath, toolYear } from '../../probe/path-tool.js';
import { runProcess } from '../../shared/spawn.js';
import { defaultCacheDir } from '../../probe/probe-cache.js';
import { FALLBACK_CASES, IMAGE_ROUTE, ffprobeFormats, inProcessFormats } from '../../probe/in-process/routes.js';
import { formatLimit } from '../../check/format-value.js';
import type { Profile } from '../../spec/profile.js';
import { UPLOAD_ENV, uploadSettingsFrom } from '../../upload/upload-settings.js';
import { resolveBaseUrl } from '../../submit/base-url.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../submit/retry-policy.js';
import { hasCredentials } from '../../shared/redact.js';
import { urlForLog } from '../../shared/log-url.js';
import { REQUEST_TIMEOUT_ENV } from '../api-flags.js';
import { loadProfileOption } from '../parse-options.js';
import { EXIT, type CliIo } from '../io.js';
import { excludedFlags, sectionValues, settingFaults, settingRows, unknownVariables, withConfigAsEnv, type SettingRow } from '../settings/settings-report.js';
import { settledSettings, type SettledSettings } from '../settings/settle-settings.js';
import { CONFIG_NAMES } from '../settings/config-file.js';
import { GLOBAL, findSetting } from '../settings/setting-table.js';

interface ToolReport {
  name: ToolName;
  path: string | null;
  origin: string | null;
  version: string | null;
  /** The year the build was made (its copyright line). */
  year: number | null;
  /** A newer build of the same tool on the PATH, when the bundled one is in use. */
  newerOnPath: { path: string; version: string; year: number } | null;
  error: string | null;
}

export function registerDoctor(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('doctor')
    .summary('show the ffmpeg/ffprobe in use, the limit profile, and the S3 and API settings (secrets redacted)')
    .addHelpText('after', '\nExamples:\n  seedance-preflight doctor\n  seedance-preflight doctor --profile strict-927k\n  seedance-preflight --json doctor')
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals() as { json?: boolean; profile?: string; apiBase?: string; endpoint?: string; forcePathStyle?: boolean };
      setExit(await runDoctor(globals, io, settledSettings(command), flagsGiven(command.parent!)));
    });
}

/** The program's own options given on this command line that are settings (doctor takes no others). */
function flagsGiven(root: Command): Record<string, unknown> {
  const given = root.options.filter((o) => o.long && findSetting(o.long, GLOBAL) && root.getOptionValueSource(o.attributeName()) === 'cli');
  return Object.fromEntries(given.map((o) => [o.attributeName(), root.getOptionValue(o.attributeName())]));
}

async function runDoctor(options: { json?: boolean; profile?: string; apiBase?: string; endpoint?: string; forcePathStyle?: boolean }, io: CliIo, settled: SettledSettings, flags: Record<string, unknown>): Promise<number> {
  const profile = await loadProfileOption(options.profile);
  // the config file's values under the variables the sections read, where no variable is set
  const env = withConfigAsEnv(io.env, settled.values);
  const tools = await Promise.all((['ffmpeg', 'ffprobe'] as const).map((name) => inspectTool(name, env)));
  const sources = {
    configFile: settled.config && { path: settled.config.shown, from: settled.config.how },
    values: settingRows({ env: io.env, values: settled.values, config: settled.config, flags }),
    // values the commands that take them would refuse: doctor fails (exit 2), as for a missing tool
    problems: settingFaults({ env: io.env, values: settled.values, config: settled.config }),
    unknownVariables: unknownVariables(io.env),
    neverFromEnvOrConfig: excludedFlags(),
  };
  const baseUrl = resolveBaseUrl(options.apiBase, env);
  const settings = {
    api: {
      // every URL is shown with its credentials as ***; an API base carrying some is refused by every API command
      baseUrl: urlForLog(baseUrl),
      apiKey: presence(env.EVOLINK_API_KEY),
      requestTimeoutSeconds: requestTimeoutSeconds(env),
      error: hasCredentials(baseUrl) ? 'the API base URL carries credentials (user:password@), which are never sent: remove them' : null,
    },
    s3: { ...s3Settings(env, options), bucketBySection: sectionValues(settled.values, 'bucket') },
    queue: env.SEEDANCE_QUEUE_URL?.trim() ? urlForLog(env.SEEDANCE_QUEUE_URL.trim()) : null,
    queueBySection: sectionValues(settled.values, 'queue'),
    proxies: proxies(env),
    probeCache: defaultCacheDir(env),
    probing: { inProcess: inProcessFormats(), ffprobe: ffprobeFormats(), ffprobeWhenUnsure: FALLBACK_CASES, images: IMAGE_ROUTE },
  };
  const ok = tools.every((t) => t.error === null) && sources.problems.length === 0;
  if (options.json) {
    io.stdout(`${JSON.stringify({ ok, tools, profile: { name: profile.name, description: profile.description, limits: profileLimits(profile) }, settings, settingSources: sources }, null, 2)}\n`);
  } else {
    const lines = tools.flatMap(toolLines);
    lines.push(`profile: ${profile.name}: ${profile.description}`);
    for (const [key, limit] of Object.entries(profileLimits(profile))) lines.push(`    ${key.padEnd(34)} ${limit}`);
    lines.push(`${settings.api.error ? '✗ ' : ''}API: ${settings.api.baseUrl}  EVOLINK_API_KEY ${settings.api.apiKey}  request timeout ${settings.api.requestTimeoutSeconds === null ? '(invalid)' : `${settings.api.requestTimeoutSeconds} s`}${settings.api.error ? `: ${settings.api.error}` : ''}`);
    lines.push(...s3Lines(settings.s3));
    lines.push(`queue: ${settings.queue ?? (bySection(settings.queueBySection) || '(not set: --queue, SEEDANCE_QUEUE_URL or queue in the config file)')}`);
    const proxyList = Object.entries(settings.proxies);
    lines.push(`proxies: ${proxyList.length ? proxyList.map(([name, url]) => `${name} ${url}`).join('  ') : '(none set)'}`);
    lines.push(`probe cache: ${settings.probeCache}`);
    lines.push(...sourceLines(sources));
    lines.push(...probingLines(settings.probing));
    io.stdout(`${lines.join('\n')}\n`);
  }
  return ok ? EXIT.ok : EXIT.usage;
}

async function inspectTool(name: ToolName, env: NodeJS.ProcessEnv): Promise<ToolReport> {
  try {
    const binary = toolBinary(name, env);
    const { stdout } = await runProcess(binary.path, ['-version'], { timeoutMs: 10_000, env: binary.env });
    const year = toolYear(stdout);
    const newerOnPath = binary.origin === 'bundled' && year !== null ? await newerBuildOnPath(name, year, env) : null;
    return { name, path: binary.path, origin: binary.origin, version: parseToolVersion(stdout), year, newerOnPath, error: null };
  } catch (error) {
    return { name, path: null, origin: null, version: null, year: null, newerOnPath: null, error: (error as Error).message };
  }
}

/** The tool of the same name on the PATH when it was built in a later year than the bundled one (which dates from 2018). */
async function newerBuildOnPath(name: ToolName, bundledYear: number, env: NodeJS.ProcessEnv): Promise<ToolReport['newerOnPath']> {
  const path = findOnPath(name, env);
  if (!path) return null;
  try {
    const { stdout } = await runProcess(path, ['-version'], { timeoutMs: 10_000, env: toolEnv(env) });
    const year = toolYear(stdout);
    return year !== null && year > bundledYear ? { path, version: parseToolVersion(stdout), year } : null;
  } catch {
    return null;
  }
}

function toolLines(t: ToolReport): string[] {
  if (t.error) return [`✗ ${t.name}: ${t.error}`];
  const variable = t.name === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const lines = [`✓ ${t.name} ${t.version}${t.year ? ` (${t.year})` : ''}`, `    ${t.path} (${t.origin === 'env' ? `from ${variable}` : 'bundled'})`];
  if (t.newerOnPath) lines.push(`    a newer ${t.name} is on the PATH: ${t.newerOnPath.path} ${t.newerOnPath.version} (${t.newerOnPath.year}); to use it: export ${variable}=${t.newerOnPath.path}`);
  return lines;
}

/** "ffmpeg version N-47683-g0e8eb07980-static https://…" → "N-47683-g0e8eb07980-static". */
function parseToolVersion(output: string): string {
  return output.match(/version (\S+)/)?.[1] ?? 'unknown';
}

function profileLimits(profile: Profile): Record<string, string> {
  const mb = profile.bytesPerMB.value;
  return {
    'image formats': profile.image.formats.value.join(', '),
    'image sides': formatLimit({ ...profile.image.side.value, unit: 'px' }),
    'image aspect ratio': formatLimit({ ...profile.image.aspectRatio.value, unit: 'ratio' }),
    'image size': formatLimit({ max: profile.image.maxBytes.value, unit: 'bytes' }, mb),
    'video formats': profile.video.formats.value.join(', '),
    'video sides': formatLimit({ ...profile.video.side.value, unit: 'px' }),
    'video pixels': formatLimit({ ...profile.video.pixels.value, unit: 'pixels' }),
    'video pixels for 480p/720p output': formatLimit({ max: profile.video.maxPixelsUpTo720p.value, unit: 'pixels' }),
    'video aspect ratio': formatLimit({ ...profile.video.aspectRatio.value, unit: 'ratio' }),
    'video duration': formatLimit({ ...profile.video.duration.value, unit: 's' }),
    'video frame rate': formatLimit({ ...profile.video.fps.value, unit: 'fps' }),
    'video size': formatLimit({ max: profile.video.maxBytes.value, unit: 'bytes' }, mb),
    'audio formats': profile.audio.formats.value.join(', '),
    'audio duration': formatLimit({ ...profile.audio.duration.value, unit: 's' }),
    'audio size': formatLimit({ max: profile.audio.maxBytes.value, unit: 'bytes' }, mb),
    'media per request': `${profile.request.maxImages.value} images, ${profile.request.maxVideos.value} videos, ${profile.request.maxAudios.value} audio`,
    'total video / audio': `${profile.request.totalVideoSeconds.value} s / ${profile.request.totalAudioSeconds.value} s`,
    'total media size': formatLimit({ max: profile.request.totalMediaBytes.value, unit: 'bytes' }, mb),
    'output duration': formatLimit({ ...profile.request.duration.value, unit: 's' }),
  };
}

interface S3Report {
  bucket: string | null;
  prefix: string | null;
  endpoint: string | null;
  forcePathStyle: boolean | null;
  region: string | null;
  urlMode: 'public' | 'presigned' | null;
  expiresSeconds: number | null;
  publicBaseUrl: string | null;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  profile: string | null;
  /** A setting that the upload command would refuse. */
  error: string | null;
}

/** The upload settings as `upload` would resolve them (flags and SEEDANCE_S3_*), credentials only as present or not. */
function s3Settings(env: NodeJS.ProcessEnv, options: { endpoint?: string; forcePathStyle?: boolean }): S3Report {
  const credentials = {
    accessKeyId: presence(env.AWS_ACCESS_KEY_ID),
    secretAccessKey: presence(env.AWS_SECRET_ACCESS_KEY),
    sessionToken: presence(env.AWS_SESSION_TOKEN),
    profile: env.AWS_PROFILE ?? null,
  };
  const bucket = env[UPLOAD_ENV.bucket]?.trim() || null;
  try {
    // a missing bucket is reported as such, not as an error: upload may still get --bucket
    const s = uploadSettingsFrom(env, { bucket: bucket ?? '-', ...(options.endpoint !== undefined && { endpoint: options.endpoint }), ...(options.forcePathStyle && { forcePathStyle: true }) });
    const shown = (url: string | undefined) => (url === undefined ? null : urlForLog(url));
    return { bucket, prefix: s.prefix, endpoint: shown(s.endpoint), forcePathStyle: s.forcePathStyle, region: s.region, urlMode: s.urlMode, expiresSeconds: s.expiresSeconds, publicBaseUrl: shown(s.publicBaseUrl), ...credentials, error: null };
  } catch (error) {
    return { bucket, prefix: null, endpoint: null, forcePathStyle: null, region: null, urlMode: null, expiresSeconds: null, publicBaseUrl: null, ...credentials, error: (error as Error).message };
  }
}

/** "b (upload section), c (run section)": values only some commands' sections give. */
function bySection(values: Record<string, string>): string {
  return Object.entries(values).map(([section, value]) => `${value} (${section} section)`).join(', ');
}

function s3Lines(s3: S3Report & { bucketBySection: Record<string, string> }): string[] {
  const credentials = `    AWS_ACCESS_KEY_ID ${s3.accessKeyId}  AWS_SECRET_ACCESS_KEY ${s3.secretAccessKey}  AWS_SESSION_TOKEN ${s3.sessionToken}${s3.profile ? `  AWS_PROFILE ${s3.profile}` : ''}`;
  if (s3.error) return [`✗ S3: ${s3.error}`, credentials];
  const mode = s3.urlMode === 'presigned' ? `presigned (expires after ${s3.expiresSeconds} s)` : 'public';
  return [
    `S3: bucket ${s3.bucket ?? (bySection(s3.bucketBySection) || `(not set: --bucket, ${UPLOAD_ENV.bucket} or bucket in the config file)`)}  prefix ${s3.prefix || '(none)'}  endpoint ${s3.endpoint ?? '(AWS S3)'}${s3.forcePathStyle ? ' path-style' : ''}  region ${s3.region}`,
    `    URL mode ${mode}  public base URL ${s3.publicBaseUrl ?? '(none)'}`,
    credentials,
  ];
}

const CONFIG_FROM = { flag: '--config', env: 'SEEDANCE_CONFIG', found: 'found upward from the working folder' } as const;

/** The settings not at their default, each with where it comes from, and the flags that never come from a variable or a file. */
function sourceLines(sources: { configFile: { path: string; from: keyof typeof CONFIG_FROM } | null; values: SettingRow[]; problems: string[]; unknownVariables: Array<{ name: string; didYouMean: string | null }>; neverFromEnvOrConfig: string[] }): string[] {
  const file = sources.configFile ? `config file ${sources.configFile.path} (${CONFIG_FROM[sources.configFile.from]})` : `no config file (${CONFIG_NAMES.join(', ')} in the working folder or one above, up to a .git folder or your home folder)`;
  const names = sources.values.map((row) => `${row.section ? `${row.section}: ` : ''}${row.key}`);
  const width = Math.max(0, ...names.map((name) => name.length));
  const valueWidth = Math.max(0, ...sources.values.map((row) => row.value.length));
  const rows = sources.values.map((row, i) => `    ${names[i]!.padEnd(width)}  ${row.value.padEnd(valueWidth)}  (${row.source === 'config' ? '' : `${row.source} `}${row.from})`);
  return [
    `settings: ${file}`,
    ...(rows.length ? rows : ['    every setting at its default (no flag, SEEDANCE_* variable or config file sets one)']),
    ...sources.problems.map((problem) => `  ✗ ${problem}`),
    ...sources.unknownVariables.map(({ name, didYouMean }) => `  ! ${name} is not a variable seedance-preflight reads${didYouMean ? `; did you mean ${didYouMean}?` : ''}`),
    `    never from a variable or a config file: ${sources.neverFromEnvOrConfig.join(', ')} (README "Settings" says why)`,
  ];
}

/** Which reader takes each kind of file, and why. */
function probingLines(probing: { inProcess: string[]; ffprobe: Array<{ formats: string[]; why: string }>; ffprobeWhenUnsure: string }): string[] {
  const names = (formats: string[]) => formats.map((f) => f.toUpperCase()).join(', ');
  return [
    `probing video and audio: in-process (mediabunny, no process per file) for ${names(probing.inProcess)}`,
    ...probing.ffprobe.map(({ formats, why }) => `    ffprobe for ${names(formats)}: ${why}`),
    `    ffprobe also for a file of the in-process containers when the reading is unsure: ${probing.ffprobeWhenUnsure}`,
    `probing images: ${IMAGE_ROUTE}`,
  ];
}

/** Proxy variables that are set, each URL with its credentials as ***. */
function proxies(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];
  return Object.fromEntries(names.flatMap((name) => (env[name]?.trim() ? [[name, urlForLog(env[name]!.trim())]] : [])));
}

/** The per-request API timeout in force (seconds), or null when SEEDANCE_REQUEST_TIMEOUT is not a number above 0. */
function requestTimeoutSeconds(env: NodeJS.ProcessEnv): number | null {
  const value = env[REQUEST_TIMEOUT_ENV]?.trim();
  if (!value) return DEFAULT_REQUEST_TIMEOUT_MS / 1000;
  const seconds = Number(value);
  return /^(\d+\.?\d*|\.\d+)$/.test(value) && seconds > 0 ? seconds : null;
}

/** The one redaction policy for secrets (API key, AWS credentials): present or not, never the value, not even its length. */
function presence(secret: string | undefined): string {
  return secret ? 'set (hidden)' : 'not set';
}
