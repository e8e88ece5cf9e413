import type { MediaInfo, ProbeFailure } from '../probe/media-info.js';
import { OUTPUT_DEFAULTS, OUTPUT_SIZES, nearestOutputRatio, type FrameSize, type OutputQuality, type OutputRatio } from '../spec/output-sizes.js';

/**
 * How far the result's duration may stray from the request's: AAC priming and frame rounding move a correct result by
 * under 0.1 s, while the faults providers have shipped are whole seconds off (always 5 s, always 2 s).
 */
export const DURATION_TOLERANCE_SECONDS = 0.5;

/** What `adaptive` resolved from: the reference it followed, or none (the documents' default ratio). */
export type AdaptiveBasis = { reference: 'video 1' | 'image 1'; width: number; height: number } | { reference: null };

/**
 * One way the downloaded video differs from what was asked, as data (the CLI writes the sentence). A result that
 * differs is paid for and usable: always a warning, never a failure. Sizes are compared exactly: the documents give
 * each one to the pixel. `defaulted`: the request left the field out, so the documents' default was expected.
 */
export type QcFinding =
  | { check: 'video'; severity: 'warning'; holds: { kind: 'image' | 'audio'; format: string } | null; detail: string | null }
  | { check: 'duration'; severity: 'warning'; expectedSeconds: number; actualSeconds: number | null; toleranceSeconds: number; defaulted: boolean }
  | { check: 'size'; severity: 'warning'; expected: FrameSize; actual: FrameSize; quality: OutputQuality; aspectRatio: OutputRatio | 'adaptive'; resolvedRatio: OutputRatio; adaptive: AdaptiveBasis | null }
  | { check: 'audio'; severity: 'warning'; expected: true; actual: false; defaulted: boolean };

/** The request's first reference video and image as probed; null when absent, remote or unreadable. */
export interface ReferenceInfos {
  firstVideo: MediaInfo | null;
  firstImage: MediaInfo | null;
}

/** What the result should be, from the request and its defaults; pure. */
export function checkResultVideo(request: Record<string, unknown>, resultInfo: MediaInfo, referenceInfos: ReferenceInfos): QcFinding[] {
  if (resultInfo.kind !== 'video') return [{ check: 'video', severity: 'warning', holds: { kind: resultInfo.kind, format: resultInfo.format }, detail: null }];
  return [durationFinding(request, resultInfo.duration), sizeFinding(request, resultInfo, referenceInfos), audioFinding(request, resultInfo.hasAudio)].filter((f): f is QcFinding => f !== null);
}

/** The finding for a result that could not be probed at all. */
export function unreadableResultFinding(failure: ProbeFailure): QcFinding {
  return { check: 'video', severity: 'warning', holds: null, detail: failure.detail };
}

function durationFinding(request: Record<string, unknown>, actual: number | null): QcFinding | null {
  const defaulted = typeof request.duration !== 'number';
  const expected = defaulted ? OUTPUT_DEFAULTS.durationSeconds : (request.duration as number);
  if (actual !== null && Math.abs(actual - expected) <= DURATION_TOLERANCE_SECONDS) return null;
  return { check: 'duration', severity: 'warning', expectedSeconds: expected, actualSeconds: actual, toleranceSeconds: DURATION_TOLERANCE_SECONDS, defaulted };
}

function sizeFinding(request: Record<string, unknown>, result: { width: number; height: number }, references: ReferenceInfos): QcFinding | null {
  const quality = (request.quality ?? OUTPUT_DEFAULTS.quality) as OutputQuality;
  const aspectRatio = (request.aspect_ratio ?? OUTPUT_DEFAULTS.aspectRatio) as OutputRatio | 'adaptive';
  const sizes = OUTPUT_SIZES[quality];
  // the provider accepted the request, so an unknown value means a newer document than ours: nothing to compare against
  if (!sizes || (aspectRatio !== 'adaptive' && !sizes[aspectRatio])) return null;
  const adaptive = aspectRatio === 'adaptive' ? adaptiveBasis(request, references) : null;
  if (adaptive === undefined) return null;
  const resolvedRatio = adaptive === null ? (aspectRatio as OutputRatio) : adaptive.reference === null ? OUTPUT_DEFAULTS.aspectRatio : nearestOutputRatio(adaptive.width, adaptive.height);
  const expected = sizes[resolvedRatio];
  if (result.width === expected.width && result.height === expected.height) return null;
  return { check: 'size', severity: 'warning', expected: { ...expected }, actual: { width: result.width, height: result.height }, quality, aspectRatio, resolvedRatio, adaptive };
}

/** `adaptive` follows the first reference video, else the first image (docs/LIMITS.md#output_sizes: video > image > prompt), else 16:9; undefined when that reference could not be read. */
function adaptiveBasis(request: Record<string, unknown>, references: ReferenceInfos): AdaptiveBasis | undefined {
  const follow = (reference: 'video 1' | 'image 1', info: MediaInfo | null): AdaptiveBasis | undefined =>
    info && info.kind !== 'audio' ? { reference, width: info.width, height: info.height } : undefined;
  if (listed(request.video_urls)) return follow('video 1', references.firstVideo);
  if (listed(request.image_urls)) return follow('image 1', references.firstImage);
  return { reference: null };
}

function audioFinding(request: Record<string, unknown>, hasAudio: boolean): QcFinding | null {
  // generate_audio false asks for a silent video (無音動画): a silent track still satisfies it, so only a missing track is flagged
  const defaulted = typeof request.generate_audio !== 'boolean';
  const wanted = defaulted ? OUTPUT_DEFAULTS.generateAudio : (request.generate_audio as boolean);
  if (!wanted || hasAudio) return null;
  return { check: 'audio', severity: 'warning', expected: true, actual: false, defaulted };
}

function listed(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
