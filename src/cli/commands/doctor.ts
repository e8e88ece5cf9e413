import type { Command } from 'commander';
import { toolBinary, type ToolName } from '../../probe/binaries.js';
import { runProcess } from '../../probe/spawn.js';
import { defaultCacheDir } from '../../probe/probe-cache.js';
import { formatLimit } from '../../check/format-value.js';
import { loadProfile, ProfileError } from '../../spec/load-profile.js';
import type { Profile } from '../../spec/profile.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

interface ToolReport {
  name: ToolName;
  path: string | null;
  origin: string | null;
  version: string | null;
  error: string | null;
}

export function registerDoctor(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('doctor')
    .summary('show the ffmpeg/ffprobe in use, the limit profile, and the S3 and API settings (secrets redacted)')
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals() as { json?: boolean; profile?: string; apiBase?: string; endpoint?: string };
      setExit(await runDoctor(globals, io));
    });
}

async function runDoctor(options: { json?: boolean; profile?: string; apiBase?: string; endpoint?: string }, io: CliIo): Promise<number> {
  const profile = await loadProfile(options.profile).catch((error: unknown) => {
    throw error instanceof ProfileError ? new UsageError(error.message) : error;
  });
  const tools = await Promise.all((['ffmpeg', 'ffprobe'] as const).map((name) => inspectTool(name, io.env)));
  const env = io.env;
  const settings = {
    api: { baseUrl: options.apiBase ?? env.EVOLINK_BASE_URL ?? 'https://api.evolink.ai', apiKey: redact(env.EVOLINK_API_KEY) },
    s3: {
      endpoint: options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? null,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? null,
      accessKeyId: redact(env.AWS_ACCESS_KEY_ID),
      secretAccessKey: redact(env.AWS_SECRET_ACCESS_KEY),
      profile: env.AWS_PROFILE ?? null,
    },
    probeCache: defaultCacheDir(env),
  };
  const ok = tools.every((t) => t.error === null);
  if (options.json) {
    io.stdout(`${JSON.stringify({ ok, tools, profile: { name: profile.name, description: profile.description, limits: profileLimits(profile) }, settings }, null, 2)}\n`);
  } else {
    const lines = tools.map((t) => (t.error ? `✗ ${t.name}: ${t.error}` : `✓ ${t.name} ${t.version}\n    ${t.path} (${t.origin === 'env' ? `from ${t.name === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'}` : 'bundled'})`));
    lines.push(`profile: ${profile.name}: ${profile.description}`);
    for (const [key, limit] of Object.entries(profileLimits(profile))) lines.push(`    ${key.padEnd(34)} ${limit}`);
    lines.push(`API: ${settings.api.baseUrl}  EVOLINK_API_KEY ${settings.api.apiKey}`);
    lines.push(`S3: endpoint ${settings.s3.endpoint ?? '(AWS default)'}  region ${settings.s3.region ?? '(not set)'}  AWS_ACCESS_KEY_ID ${settings.s3.accessKeyId}  AWS_SECRET_ACCESS_KEY ${settings.s3.secretAccessKey}${settings.s3.profile ? `  AWS_PROFILE ${settings.s3.profile}` : ''}`);
    lines.push(`probe cache: ${settings.probeCache}`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  return ok ? EXIT.ok : EXIT.usage;
}

async function inspectTool(name: ToolName, env: NodeJS.ProcessEnv): Promise<ToolReport> {
  try {
    const binary = toolBinary(name, env);
    const { stdout } = await runProcess(binary.path, ['-version'], { timeoutMs: 10_000 });
    return { name, path: binary.path, origin: binary.origin, version: parseToolVersion(stdout), error: null };
  } catch (error) {
    return { name, path: null, origin: null, version: null, error: (error as Error).message };
  }
}

/** "ffmpeg version N-47683-g0e8eb07980-static https://…" → "N-47683-g0e8eb07980-static". */
export function parseToolVersion(output: string): string {
  return output.match(/version (\S+)/)?.[1] ?? 'unknown';
}

/** A secret's presence, never its value. */
export function redact(secret: string | undefined): string {
  return secret ? `set (${secret.length} characters, hidden)` : 'not set';
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
    'video short side': formatLimit({ max: profile.video.maxShortSide.value, unit: 'px' }),
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
