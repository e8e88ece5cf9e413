/** Pure: the fields of an H.265 sequence parameter set (7.3.2.2) that decide what ffprobe prints for the stream. */
import { BitReader, unescape, type H264Sps } from './h264-sps.js';
import { readVuiPicture } from './vui.js';

/** The same facts as an H.264 SPS gives (profileIdc is general_profile_idc). */
export type HevcSps = H264Sps;

/** NAL unit type of a sequence parameter set. */
const SPS_NAL = 33;

/** The first SPS of an hvcC record (ISO 14496-15 8.3.3.1). Throws on a record it cannot read. */
export function firstSpsOfHvcConfig(hvcC: Uint8Array): Uint8Array {
  let at = 23;
  for (let array = 0, arrays = hvcC[22] ?? 0; array < arrays; array++) {
    const type = hvcC[at]! & 0x3f;
    const count = (hvcC[at + 1]! << 8) | hvcC[at + 2]!;
    at += 3;
    for (let i = 0; i < count; i++) {
      const length = (hvcC[at]! << 8) | hvcC[at + 1]!;
      if (at + 2 + length > hvcC.length) throw new Error('hvcC NAL unit overruns the record');
      if (type === SPS_NAL) return hvcC.subarray(at + 2, at + 2 + length);
      at += 2 + length;
    }
  }
  throw new Error('hvcC holds no SPS');
}

/** Reads an SPS NAL unit (its two header bytes included). Throws on a truncated one. */
export function parseHevcSps(nal: Uint8Array): HevcSps {
  const bits = new BitReader(unescape(nal.subarray(2)));
  bits.u(4); // sps_video_parameter_set_id
  const subLayers = bits.u(3);
  bits.u(1); // temporal_id_nesting
  const profileIdc = profileTierLevel(bits, subLayers);
  bits.ue(); // sps_seq_parameter_set_id
  const chromaFormat = bits.ue();
  if (chromaFormat === 3) bits.u(1); // separate_colour_plane_flag
  const codedWidth = bits.ue();
  const codedHeight = bits.ue();
  const window = bits.u(1) ? [bits.ue(), bits.ue(), bits.ue(), bits.ue()] : [0, 0, 0, 0];
  const subWidth = chromaFormat === 1 || chromaFormat === 2 ? 2 : 1;
  const subHeight = chromaFormat === 1 ? 2 : 1;
  const bitDepth = bits.ue() + 8;
  bits.ue(); // bit_depth_chroma
  const pocLsbBits = bits.ue() + 4;
  const orderingInfo = bits.u(1);
  // max_dec_pic_buffering, max_num_reorder_pics, max_latency_increase per sub-layer
  for (let i = 0; i < (orderingInfo ? subLayers + 1 : 1) * 3; i++) bits.ue();
  for (let i = 0; i < 6; i++) bits.ue(); // coding and transform block sizes, transform hierarchy depths
  if (bits.u(1) && bits.u(1)) skipScalingListData(bits);
  bits.u(2); // amp, sample_adaptive_offset
  if (bits.u(1)) {
    bits.u(8); // PCM bit depths
    bits.ue();
    bits.ue();
    bits.u(1);
  }
  const sets = bits.ue();
  const deltaPocs: number[] = [];
  for (let i = 0; i < sets; i++) deltaPocs.push(shortTermRefPicSet(bits, i, deltaPocs));
  if (bits.u(1)) for (let i = 0, count = bits.ue(); i < count; i++) bits.u(pocLsbBits + 1);
  bits.u(2); // temporal_mvp, strong_intra_smoothing
  const { sampleAspect, fullRange, colour } = readVuiPicture(bits);
  return {
    profileIdc, chromaFormat, bitDepth, sampleAspect, fullRange, colour,
    width: codedWidth - subWidth * (window[0]! + window[1]!),
    height: codedHeight - subHeight * (window[2]! + window[3]!),
  };
}

/** profile_tier_level (7.3.3) with its profile present: returns general_profile_idc. */
function profileTierLevel(bits: BitReader, subLayers: number): number {
  bits.u(3); // profile space, tier
  const profileIdc = bits.u(5);
  bits.u(32); // compatibility flags
  bits.u(24); // source flags and the first reserved bits (48 in all)
  bits.u(24);
  bits.u(8); // general_level_idc
  const present = Array.from({ length: subLayers }, () => [bits.u(1), bits.u(1)] as const);
  if (subLayers > 0) for (let i = subLayers; i < 8; i++) bits.u(2);
  for (const [profile, level] of present) {
    if (profile) for (let i = 0; i < 11; i++) bits.u(8); // 88 bits of sub-layer profile
    if (level) bits.u(8);
  }
  return profileIdc;
}

function skipScalingListData(bits: BitReader): void {
  for (let size = 0; size < 4; size++) {
    for (let matrix = 0; matrix < 6; matrix += size === 3 ? 3 : 1) {
      if (!bits.u(1)) bits.ue(); // scaling_list_pred_matrix_id_delta
      else {
        if (size > 1) bits.se(); // dc coefficient
        for (let i = 0, count = Math.min(64, 1 << (4 + (size << 1))); i < count; i++) bits.se();
      }
    }
  }
}

/** st_ref_pic_set (7.3.7): returns its NumDeltaPocs, which a later set predicted from it needs. */
function shortTermRefPicSet(bits: BitReader, index: number, deltaPocs: readonly number[]): number {
  if (index !== 0 && bits.u(1)) {
    bits.u(1); // delta_rps_sign
    bits.ue(); // abs_delta_rps_minus1
    let kept = 0;
    // in an SPS a set is predicted from the one before it (delta_idx_minus1 is only in slice headers)
    for (let j = 0; j <= deltaPocs[index - 1]!; j++) {
      const used = bits.u(1);
      const useDelta = used ? 1 : bits.u(1);
      kept += useDelta;
    }
    return kept;
  }
  const negative = bits.ue();
  const positive = bits.ue();
  for (let i = 0; i < negative + positive; i++) {
    bits.ue();
    bits.u(1);
  }
  return negative + positive;
}
