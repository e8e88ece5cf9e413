import { createRequire } from 'node:module';
import { accessSync, chmodSync, constants, copyFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { PreflightError } from '../shared/errors.js';
import { temporaryPathFor } from '../shared/temp-file.js';
import { runProcess, type RunOptions, type RunResult } from '../shared/spawn.js';

export type ToolName = 'ffmpeg' | 'ffprobe';

export interface ToolBinary {
  name: ToolName;
  path: string;
  /** Where the path came from: the environment override or the bundled installer package. */
  origin: 'env' | 'bundled';
  /** The environment to run it with (see toolEnv). */
  env: NodeJS.ProcessEnv;
}

/** A folder that never exists: glibc then skips its module cache and loads no system character-set module. */
const NO_GCONV_MODULES = '/nonexistent/seedance-preflight-no-gconv';

/**
 * The environment for ffmpeg and ffprobe. Static builds (the bundled ones among them) crash (SIGSEGV) loading the
 * system's gconv modules for MPEG-TS service names; with GCONV_PATH set to a missing folder they use glibc's built-in
 * conversions and read those names right. A dynamically linked ffmpeg still finds its modules in the default folder.
 */
export function toolEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GCONV_PATH: NO_GCONV_MODULES };
}

const requireHere = createRequire(import.meta.url);
const ENV_VARS: Record<ToolName, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const resolved = new Map<ToolName, ToolBinary>();

export class BinaryNotFoundError extends PreflightError {
  readonly kind = 'binary-missing';
  constructor(readonly tool: ToolName, detail: string) {
    super(`${tool} is not available: ${detail}. Run 'npm ci' again, or set ${ENV_VARS[tool]} to an ${tool} binary.`);
  }
}

/** The binary for a tool: $FFMPEG_PATH / $FFPROBE_PATH, else the one bundled in @ffmpeg-installer / @ffprobe-installer. */
export function toolBinary(name: ToolName, env: NodeJS.ProcessEnv = process.env): ToolBinary {
  const override = env[ENV_VARS[name]];
  if (override) return { name, path: override, origin: 'env', env: toolEnv(env) };
  const cached = resolved.get(name);
  if (cached) return cached;
  const binary: ToolBinary = { name, path: ensureExecutable(name, bundledPath(name)), origin: 'bundled', env: toolEnv(env) };
  resolved.set(name, binary);
  return binary;
}

/** Runs ffmpeg or ffprobe (as toolBinary finds it) with its environment. */
export function runTool(name: ToolName, args: readonly string[], options: Omit<RunOptions, 'env'> = {}): Promise<RunResult> {
  const binary = toolBinary(name);
  return runProcess(binary.path, args, { ...options, env: binary.env });
}

function bundledPath(name: ToolName): string {
  const pkg = `@${name}-installer/${process.platform}-${process.arch}`;
  try {
    return requireHere.resolve(`${pkg}/${name}${process.platform === 'win32' ? '.exe' : ''}`);
  } catch (error) {
    throw new BinaryNotFoundError(name, `the package ${pkg} is not installed (${(error as Error).message.split('\n')[0]})`);
  }
}

// npm 11 skips the installers' postinstall `chmod u+x` unless scripts are allowed, so the run bit may be missing.
export function ensureExecutable(name: ToolName, path: string): string {
  if (isExecutable(path)) return path;
  try {
    chmodSync(path, statSync(path).mode | 0o111);
    if (isExecutable(path)) return path;
  } catch {
    // read-only node_modules: fall through to a private executable copy
  }
  const dir = join(tmpdir(), `seedance-preflight-bin-${process.getuid?.() ?? 'user'}`);
  const copy = join(dir, `${name}-${statSync(path).size}`);
  if (!isExecutable(copy)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // whole and executable before it takes the name: another process may be running the copy already
    const temp = temporaryPathFor(copy);
    try {
      copyFileSync(path, temp);
      chmodSync(temp, 0o755);
      renameSync(temp, copy);
    } finally {
      rmSync(temp, { force: true });
    }
  }
  return copy;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
