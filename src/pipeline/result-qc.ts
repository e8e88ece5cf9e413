import type { MediaInfo, ProbeFailure } from '../probe/media-info.js';
import { OUTPUT_DEFAULTS, OUTPUT_SIZES, nearestOutputRatio, type FrameSize, type OutputQuality, type OutputRatio } from '../spec/output-sizes.js';

/**
 * How far the result's duration may stray from the request's: AAC priming and frame rounding move a correct result by
 * under 0.1 s, while the faults providers have shipped are whole seconds off (always 5 s, always 2 s).
 */
export const DURATION_TOLERANCE_SECONDS = 0.5;

interface FindingBase {
  /** A result that differs from its request is paid for and usable: always a warning, never a failure. */
  severity: 'warning';
  message: string;
}

/** One way the downloaded video differs from what was asked. Sizes are compared exactly: the documents give each one to the pixel. */
export type QcFinding =
  | (FindingBase & { check: 'video'; detail: string })
  | (FindingBase & { check: 'duration'; expectedSeconds: number; actualSeconds: number | null; toleranceSeconds: number })
  | (FindingBase & { check: 'size'; expected: FrameSize; actual: FrameSize; quality: OutputQuality; aspectRatio: OutputRatio | 'adaptive'; resolvedRatio: OutputRatio })
  | (FindingBase & { check: 'audio'; expected: true; actual: false });

/** The request's first reference video and image as probed; null when absent, remote or unreadable. */
export interface ReferenceInfos {
  firstVideo: MediaInfo | null;
  firstImage: MediaInfo | null;
}

/** What the result should be, from the request and its defaults; pure. */
export function checkResultVideo(request: Record<string, unknown>, resultInfo: MediaInfo, referenceInfos: ReferenceInfos): QcFinding[] {
  if (resultInfo.kind !== 'video') {
    return [{ check: 'video', severity: 'warning', detail: `it holds ${resultInfo.kind === 'image' ? 'an image' : 'audio only'} (${resultInfo.format.toUpperCase()})`, message: `result is not a video: it holds ${resultInfo.kind === 'image' ? 'an image' : 'audio only'} (${resultInfo.format.toUpperCase()})` }];
  }
  return [durationFinding(request, resultInfo.duration), sizeFinding(request, resultInfo, referenceInfos), audioFinding(request, resultInfo.hasAudio)].filter((f): f is QcFinding => f !== null);
}

/** The finding for a result that could not be probed at all. */
export function unreadableResultFinding(failure: ProbeFailure): QcFinding {
  return { check: 'video', severity: 'warning', detail: failure.detail, message: `result cannot be read as a video: ${failure.detail}` };
}

function durationFinding(request: Record<string, unknown>, actual: number | null): QcFinding | null {
  const given = typeof request.duration === 'number';
  const expected = given ? (request.duration as number) : OUTPUT_DEFAULTS.durationSeconds;
  if (actual !== null && Math.abs(actual - expected) <= DURATION_TOLERANCE_SECONDS) return null;
  const asked = `the request asked for ${expected} s${given ? '' : ' (the default)'}`;
  const message = actual === null ? `result's duration cannot be read; ${asked}` : `result is ${actual.toFixed(1)} s; ${asked}`;
  return { check: 'duration', severity: 'warning', expectedSeconds: expected, actualSeconds: actual, toleranceSeconds: DURATION_TOLERANCE_SECONDS, message };
}

function sizeFinding(request: Record<string, unknown>, result: { width: number; height: number }, references: ReferenceInfos): QcFinding | null {
  const quality = (request.quality ?? OUTPUT_DEFAULTS.quality) as OutputQuality;
  const aspectRatio = (request.aspect_ratio ?? OUTPUT_DEFAULTS.aspectRatio) as OutputRatio | 'adaptive';
  const sizes = OUTPUT_SIZES[quality];
  // the provider accepted the request, so an unknown value means a newer document than ours: nothing to compare against
  if (!sizes || (aspectRatio !== 'adaptive' && !sizes[aspectRatio])) return null;
  const resolved = aspectRatio === 'adaptive' ? adaptiveRatio(request, references) : { ratio: aspectRatio, why: '' };
  if (!resolved) return null;
  const expected = sizes[resolved.ratio];
  if (result.width === expected.width && result.height === expected.height) return null;
  const which = aspectRatio === 'adaptive' ? ` (${resolved.ratio}, ${resolved.why})` : '';
  return {
    check: 'size',
    severity: 'warning',
    expected: { ...expected },
    actual: { width: result.width, height: result.height },
    quality,
    aspectRatio,
    resolvedRatio: resolved.ratio,
    message: `result is ${result.width}×${result.height}; the request asked for ${quality} ${aspectRatio}, which is ${expected.width}×${expected.height}${which}`,
  };
}

/** `adaptive` follows the first reference video, else the first image (LIMITS.md: video > image > prompt), else 16:9; null when that reference could not be read. */
function adaptiveRatio(request: Record<string, unknown>, references: ReferenceInfos): { ratio: OutputRatio; why: string } | null {
  const follow = (label: string, info: MediaInfo | null) => {
    if (!info || info.kind === 'audio') return null;
    return { ratio: nearestOutputRatio(info.width, info.height), why: `following ${label} at ${info.width}×${info.height}` };
  };
  if (listed(request.video_urls)) return follow('video 1', references.firstVideo);
  if (listed(request.image_urls)) return follow('image 1', references.firstImage);
  return { ratio: '16:9', why: 'no reference video or image to follow' };
}

function audioFinding(request: Record<string, unknown>, hasAudio: boolean): QcFinding | null {
  // generate_audio false asks for a silent video (無音動画): a silent track still satisfies it, so only a missing track is flagged
  const given = typeof request.generate_audio === 'boolean';
  const wanted = given ? (request.generate_audio as boolean) : OUTPUT_DEFAULTS.generateAudio;
  if (!wanted || hasAudio) return null;
  return { check: 'audio', severity: 'warning', expected: true, actual: false, message: `result has no audio; the request asked for audio (generate_audio ${given ? 'is true' : 'is true by default'})` };
}

function listed(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
