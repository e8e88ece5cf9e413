import type { FixAction, FixPlan, ImagePlan } from '../normalize/fix-plan.js';
import { audioArgs, videoArgs } from '../normalize/ffmpeg-args.js';
import type { MediaInfo } from '../probe/media-info.js';

/** The operation a plan runs, and for each of its actions the part of that operation that makes the change. */
export interface PlanOperation {
  /** The ffmpeg command line or the sharp pipeline; null when nothing runs. */
  whole: string | null;
  forAction: (action: FixAction) => string;
}

/** Flags every ffmpeg pass carries for logging and progress: noise in a report. */
const QUIET_FLAGS = new Set(['-hide_banner', '-nostdin', '-y', '-nostats']);
const QUIET_PAIRS = new Set(['-loglevel', '-progress']);

/** Pure: what a fix plan runs, as the user could type it. `source` is the source's probe (audio sample rate and channels shape the MP3 flags). */
export function planOperation(plan: FixPlan, output: string, source: MediaInfo | null): PlanOperation {
  switch (plan.type) {
    case 'keep':
      return { whole: 'copy: the bytes are kept as they are', forAction: () => `copy as .${plan.extension}` };
    case 'unfixable':
      return { whole: null, forAction: () => 'none (cannot be fixed)' };
    case 'video': {
      const args = readable(videoArgs(plan, plan.source, output));
      return { whole: commandLine(args), forAction: (action) => videoPart(action, args) };
    }
    case 'audio': {
      const audio = source?.kind === 'audio' ? { sampleRate: source.sampleRate, channels: source.channels } : { sampleRate: null, channels: null };
      const args = readable(audioArgs(plan, plan.source, output, audio));
      return { whole: commandLine(args), forAction: (action) => audioPart(action, args) };
    }
    case 'image': {
      const steps = sharpSteps(plan);
      return { whole: `${plan.decoder === 'ffmpeg' ? 'ffmpeg decode to PNG, then ' : ''}sharp(source)${steps.map((s) => s.code).join('')}.toFile(output)`, forAction: (action) => imagePart(action, steps, plan) };
    }
  }
}

/** ffmpeg's arguments without logging flags and the "file:" prefix the tool adds for safety. */
function readable(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (QUIET_FLAGS.has(arg)) continue;
    if (QUIET_PAIRS.has(arg)) {
      i++;
      continue;
    }
    out.push(arg.startsWith('file:') ? arg.slice(5) : arg);
  }
  return out;
}

function commandLine(args: readonly string[]): string {
  return ['ffmpeg', ...args].map(quote).join(' ');
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** "-flag value" of each flag present, in order. */
function flags(args: readonly string[], ...names: string[]): string {
  const parts: string[] = [];
  args.forEach((arg, i) => {
    if (names.includes(arg) && i + 1 < args.length) parts.push(`${arg} ${quote(args[i + 1]!)}`);
  });
  return parts.join(' ');
}

/** The filters of a -vf or -af chain whose names are given. */
function filters(args: readonly string[], flag: '-vf' | '-af', ...names: string[]): string {
  const chain = args[args.indexOf(flag) + 1];
  if (args.indexOf(flag) < 0 || chain === undefined) return '';
  const picked = chain.split(',').filter((f) => names.includes(f.split('=')[0]!));
  return picked.length ? `${flag} ${picked.join(',')}` : '';
}

function joined(...parts: string[]): string {
  return parts.filter(Boolean).join('; ') || 'the pass as a whole';
}

function videoPart(action: FixAction, args: readonly string[]): string {
  switch (action.rule) {
    case 'video.format':
      return joined(flags(args, '-c:v', '-c:a').includes('copy') ? flags(args, '-c:v', '-c:a') : '', flags(args, '-movflags', '-f'));
    case 'video.codec':
      return joined(flags(args, '-c:v', '-preset', '-pix_fmt'));
    case 'video.fps':
    case 'video.vfr':
      return joined(filters(args, '-vf', 'fps'));
    case 'video.dimensions':
    case 'video.aspect_ratio':
    case 'video.pixels':
    case 'video.pixels_for_quality':
      return action.before !== null && typeof action.before === 'number' ? joined('decoder autorotate', flags(args, '-metadata:s:v:0')) : joined(filters(args, '-vf', 'crop', 'scale', 'pad'));
    case 'video.duration':
    case 'request.video_total_duration':
      return joined(filters(args, '-vf', 'tpad'), filters(args, '-af', 'apad'), flags(args, '-t'));
    case 'video.size':
      return joined(flags(args, '-b:v', '-maxrate', '-bufsize'));
    case 'video.audio_codec':
      return joined(flags(args, '-c:a', '-b:a'));
    case 'video.duration_mismatch':
      return joined(flags(args, '-c:v', '-c:a'), flags(args, '-f'));
    case 'video.hdr':
      return joined(filters(args, '-vf', 'zscale', 'tonemap'), flags(args, '-color_primaries', '-color_trc', '-colorspace'));
    case 'file.extension_mismatch':
      return `written as .${String(action.after)}`;
    default:
      return 'the pass as a whole';
  }
}

function audioPart(action: FixAction, args: readonly string[]): string {
  switch (action.rule) {
    case 'audio.format':
      return joined(flags(args, '-c:a', '-b:a', '-ar', '-ac', '-f'));
    case 'audio.duration':
    case 'request.audio_total_duration':
      return joined(filters(args, '-af', 'apad'), flags(args, '-t'));
    case 'audio.size':
      return joined(flags(args, '-b:a'));
    case 'audio.duration_mismatch':
      return joined(flags(args, '-c:a', '-f'));
    case 'file.extension_mismatch':
      return `written as .${String(action.after)}`;
    default:
      return 'the pass as a whole';
  }
}

interface SharpStep {
  role: 'orient' | 'resize' | 'encode';
  code: string;
}

function sharpSteps(plan: ImagePlan): SharpStep[] {
  const steps: SharpStep[] = [];
  if (plan.autoOrient) steps.push({ role: 'orient', code: '.rotate()' });
  const g = plan.geometry;
  if (g) {
    const fit = g.crop ? 'cover' : g.contentWidth !== g.width || g.contentHeight !== g.height ? 'contain' : 'fill';
    steps.push({ role: 'resize', code: `.resize(${g.width}, ${g.height}, { fit: '${fit}' })` });
  }
  const first = plan.format === 'jpeg' ? '.jpeg({ quality: 92 })' : plan.format === 'png' ? '.png()' : '.webp({ quality: 90 })';
  steps.push({ role: 'encode', code: first });
  return steps;
}

function imagePart(action: FixAction, steps: readonly SharpStep[], plan: ImagePlan): string {
  const code = (role: SharpStep['role']) => steps.filter((s) => s.role === role).map((s) => s.code).join('');
  switch (action.rule) {
    case 'image.format':
      return `${plan.decoder === 'ffmpeg' ? 'ffmpeg decode, then ' : ''}${code('encode')}`;
    case 'image.dimensions':
    case 'image.aspect_ratio':
      return action.rule === 'image.dimensions' && typeof action.before === 'number' ? code('orient') : code('resize') || code('orient');
    case 'image.size':
      return `${code('encode')}, quality stepped down until under ${plan.maxBytes.toLocaleString('en-US')} bytes`;
    case 'file.extension_mismatch':
      return `written as .${String(action.after)}`;
    default:
      return 'the pass as a whole';
  }
}
