/** The `quality` values both documents define (docs/LIMITS.md#request.quality). */
export type OutputQuality = '480p' | '720p' | '1080p' | '4k';
/** The fixed `aspect_ratio` values; `adaptive` resolves to one of them. */
export type OutputRatio = '16:9' | '4:3' | '1:1' | '3:4' | '9:16' | '21:9';

export interface FrameSize {
  width: number;
  height: number;
}

const size = (width: number, height: number): FrameSize => ({ width, height });

/** Output frame size for each quality × aspect_ratio (docs/LIMITS.md#output_sizes; both documents, aspect_ratio: 各解像度の対応ピクセル値). */
export const OUTPUT_SIZES: Readonly<Record<OutputQuality, Readonly<Record<OutputRatio, FrameSize>>>> = {
  '480p': { '16:9': size(864, 496), '4:3': size(752, 560), '1:1': size(640, 640), '3:4': size(560, 752), '9:16': size(496, 864), '21:9': size(992, 432) },
  '720p': { '16:9': size(1280, 720), '4:3': size(1112, 834), '1:1': size(960, 960), '3:4': size(834, 1112), '9:16': size(720, 1280), '21:9': size(1470, 630) },
  '1080p': { '16:9': size(1920, 1080), '4:3': size(1664, 1248), '1:1': size(1440, 1440), '3:4': size(1248, 1664), '9:16': size(1080, 1920), '21:9': size(2206, 946) },
  '4k': { '16:9': size(3840, 2160), '4:3': size(3326, 2494), '1:1': size(2880, 2880), '3:4': size(2494, 3326), '9:16': size(2160, 3840), '21:9': size(4398, 1886) },
};

export const OUTPUT_RATIOS: readonly OutputRatio[] = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];

/** Defaults of the documents: duration 5 s, quality 720p, aspect_ratio 16:9, generate_audio true (docs/LIMITS.md, request fields). */
export const OUTPUT_DEFAULTS = { durationSeconds: 5, quality: '720p', aspectRatio: '16:9', generateAudio: true } as const;

const RATIO_VALUES: Readonly<Record<OutputRatio, number>> = { '16:9': 16 / 9, '4:3': 4 / 3, '1:1': 1, '3:4': 3 / 4, '9:16': 9 / 16, '21:9': 21 / 9 };

/** The fixed ratio nearest a frame's width / height, compared on a log scale so 2:1 and 1:2 are equally far from 1:1. */
export function nearestOutputRatio(width: number, height: number): OutputRatio {
  const target = Math.log(width / height);
  let best: OutputRatio = '16:9';
  for (const ratio of OUTPUT_RATIOS) if (Math.abs(Math.log(RATIO_VALUES[ratio]) - target) < Math.abs(Math.log(RATIO_VALUES[best]) - target)) best = ratio;
  return best;
}
