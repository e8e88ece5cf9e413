import type { BitReader } from './h264-sps.js';

/** The picture facts of a VUI (H.264 E.1.1, H.265 E.2.1: the same opening fields): what ffprobe prints of them. */
export interface VuiPicture {
  /** Sample aspect ratio; null when the stream does not state one. */
  sampleAspect: { num: number; den: number } | null;
  /** Video signal type; null when absent. */
  fullRange: boolean | null;
  /** Colour description codes (ITU-T H.273); null when absent. */
  colour: { primaries: number; transfer: number; matrix: number } | null;
}

/** H.264 Table E-1 (H.265 Table E.1 is the same): aspect_ratio_idc 1–16. */
const ASPECT_RATIOS: ReadonlyArray<[number, number]> = [
  [0, 1], [1, 1], [12, 11], [10, 11], [16, 11], [40, 33], [24, 11], [20, 11], [32, 11], [80, 33], [18, 11], [15, 11], [64, 33], [160, 99], [4, 3], [3, 2], [2, 1],
];
/** Pure: reads vui_parameters_present_flag and the VUI's opening fields, up to the colour description. */
export function readVuiPicture(bits: BitReader): VuiPicture {
  let sampleAspect: VuiPicture['sampleAspect'] = null;
  let fullRange: boolean | null = null;
  let colour: VuiPicture['colour'] = null;
  if (bits.u(1)) {
    if (bits.u(1)) {
      const idc = bits.u(8);
      if (idc === 255) sampleAspect = { num: bits.u(16), den: bits.u(16) };
      else if (ASPECT_RATIOS[idc]) sampleAspect = { num: ASPECT_RATIOS[idc]![0], den: ASPECT_RATIOS[idc]![1] };
    }
    if (bits.u(1)) bits.u(1); // overscan
    if (bits.u(1)) {
      bits.u(3); // video_format
      fullRange = bits.u(1) === 1;
      if (bits.u(1)) colour = { primaries: bits.u(8), transfer: bits.u(8), matrix: bits.u(8) };
    }
  }
  return { sampleAspect, fullRange, colour };
}
