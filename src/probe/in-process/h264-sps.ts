import { readVuiPicture } from './vui.js';

/** Pure: the fields of an H.264 sequence parameter set that decide what ffprobe prints for the stream. */

export interface H264Sps {
  profileIdc: number;
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  chromaFormat: number;
  bitDepth: number;
  /** Displayed size: the coded macroblocks less the cropping. */
  width: number;
  height: number;
  /** VUI sample aspect ratio; null when the stream does not state one. */
  sampleAspect: { num: number; den: number } | null;
  /** VUI video signal type; null when absent. */
  fullRange: boolean | null;
  /** VUI colour description codes (ITU-T H.273); null when absent. */
  colour: { primaries: number; transfer: number; matrix: number } | null;
}

/** Profiles whose SPS carries chroma format, bit depths and scaling matrices (H.264 7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** The first SPS of an avcC record (ISO 14496-15 5.3.3.1). Throws on a record it cannot read. */
export function firstSpsOfAvcConfig(avcC: Uint8Array): Uint8Array {
  const count = avcC[5]! & 0x1f;
  if (avcC[0] !== 1 || count < 1) throw new Error('avcC holds no SPS');
  const length = (avcC[6]! << 8) | avcC[7]!;
  if (8 + length > avcC.length) throw new Error('avcC SPS overruns the record');
  return avcC.subarray(8, 8 + length);
}

/** Reads an SPS NAL unit (header byte included). Throws on a truncated or unsupported one. */
export function parseH264Sps(nal: Uint8Array): H264Sps {
  const bits = new BitReader(unescape(nal.subarray(1)));
  const profileIdc = bits.u(8);
  bits.u(16); // constraint flags, level
  bits.ue(); // seq_parameter_set_id
  let chromaFormat = 1;
  let bitDepth = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormat = bits.ue();
    if (chromaFormat === 3) bits.u(1); // separate_colour_plane_flag
    bitDepth = bits.ue() + 8;
    bits.ue(); // bit_depth_chroma
    bits.u(1); // qpprime_y_zero_transform_bypass_flag
    if (bits.u(1)) for (let i = 0; i < (chromaFormat === 3 ? 12 : 8); i++) if (bits.u(1)) skipScalingList(bits, i < 6 ? 16 : 64);
  }
  bits.ue(); // log2_max_frame_num
  const pocType = bits.ue();
  if (pocType === 0) bits.ue();
  else if (pocType === 1) {
    bits.u(1);
    bits.se();
    bits.se();
    const cycle = bits.ue();
    for (let i = 0; i < cycle; i++) bits.se();
  }
  bits.ue(); // max_num_ref_frames
  bits.u(1); // gaps_in_frame_num_allowed
  const widthMbs = bits.ue() + 1;
  const heightMapUnits = bits.ue() + 1;
  const frameMbsOnly = bits.u(1);
  if (!frameMbsOnly) bits.u(1); // mb_adaptive_frame_field
  bits.u(1); // direct_8x8_inference
  const crop = bits.u(1) ? [bits.ue(), bits.ue(), bits.ue(), bits.ue()] : [0, 0, 0, 0];
  // crop units (H.264 7-19, 7-20): chroma subsampling sets them, and a field-coded frame doubles the vertical one
  const cropX = chromaFormat === 1 || chromaFormat === 2 ? 2 : 1;
  const cropY = (chromaFormat === 1 ? 2 : 1) * (2 - frameMbsOnly);
  const width = widthMbs * 16 - cropX * (crop[0]! + crop[1]!);
  const height = heightMapUnits * 16 * (2 - frameMbsOnly) - cropY * (crop[2]! + crop[3]!);
  const { sampleAspect, fullRange, colour } = readVuiPicture(bits);
  return { profileIdc, chromaFormat, bitDepth, width, height, sampleAspect, fullRange, colour };
}

function skipScalingList(bits: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + bits.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** Drops emulation prevention bytes (00 00 03 → 00 00); H.265 escapes its NAL units the same way. */
export function unescape(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of bytes) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out.push(byte);
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

export class BitReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  u(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.bytes[this.at >> 3];
      if (byte === undefined) throw new Error('SPS ends early');
      value = value * 2 + ((byte >> (7 - (this.at & 7))) & 1);
      this.at++;
    }
    return value;
  }

  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > 31) throw new Error('SPS holds an invalid Exp-Golomb code');
    return 2 ** zeros - 1 + this.u(zeros);
  }

  se(): number {
    const code = this.ue();
    return code % 2 ? (code + 1) / 2 : -code / 2;
  }
}
