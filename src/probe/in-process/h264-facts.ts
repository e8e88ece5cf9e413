/**
 * Pure: what ffmpeg's H.264 and H.265 decoders report from a sequence parameter set, by ffprobe's names. For H.264 the
 * container's colour codes (an MP4 colr box) stand where the SPS says nothing: the decoder starts from them and
 * overwrites only what its VUI signals. The H.265 decoder ignores them: studio range and unspecified codes unless its
 * VUI says otherwise (checked against stream copies that add a colr box).
 */
import type { VideoColor } from '../media-info.js';
import type { ContainerColour } from './mp4-boxes.js';
import { fallBack } from './fallback.js';
import { colourName } from './ffprobe-names.js';
import type { H264Sps } from './h264-sps.js';

/** The pixel format ffmpeg's H.264 decoder opens with: full-range 8-bit is the "j" variant; monochrome and RGB are left to ffprobe. */
export function h264PixelFormat(sps: H264Sps, container: ContainerColour | null = null): string {
  if (sps.chromaFormat === 0 || (sps.bitDepth !== 8 && sps.bitDepth !== 10)) fallBack('trait', `H.264 with chroma format ${sps.chromaFormat} at ${sps.bitDepth} bits`);
  const { matrix, fullRange } = signalled(sps, container);
  if (matrix === 0) fallBack('trait', 'RGB H.264 (matrix 0)');
  const chroma = ['', '420', '422', '444'][sps.chromaFormat]!;
  return `yuv${sps.bitDepth === 8 && fullRange ? 'j' : ''}${chroma}p${sps.bitDepth === 10 ? '10le' : ''}`;
}

export function h264Colour(sps: H264Sps, container: ContainerColour | null = null): VideoColor {
  const { primaries, transfer, matrix, fullRange } = signalled(sps, container);
  return {
    primaries: primaries === null ? null : colourName('primaries', primaries),
    transfer: transfer === null ? null : colourName('transfer', transfer),
    matrix: matrix === null ? null : colourName('matrix', matrix),
    range: fullRange === null ? null : fullRange ? 'pc' : 'tv',
    bitDepth: sps.bitDepth,
    hdr: null,
  };
}

/** The colour facts the decoder ends with: the SPS's where its VUI signals them, else the container's. */
function signalled(sps: H264Sps, container: ContainerColour | null): { primaries: number | null; transfer: number | null; matrix: number | null; fullRange: boolean | null } {
  const codes = sps.colour ?? container;
  return { primaries: codes?.primaries ?? null, transfer: codes?.transfer ?? null, matrix: codes?.matrix ?? null, fullRange: sps.fullRange ?? container?.fullRange ?? null };
}

/** H.265: 4:2:0 at 8 or 10 bits only (ffmpeg has no "j" formats for it: the range is reported on its own). */
export function hevcPixelFormat(sps: H264Sps): string {
  if (sps.chromaFormat !== 1 || (sps.bitDepth !== 8 && sps.bitDepth !== 10)) fallBack('trait', `H.265 with chroma format ${sps.chromaFormat} at ${sps.bitDepth} bits`);
  return sps.bitDepth === 10 ? 'yuv420p10le' : 'yuv420p';
}

export function hevcColour(sps: H264Sps): VideoColor {
  const codes = sps.colour;
  return {
    primaries: codes ? colourName('primaries', codes.primaries) : null,
    transfer: codes ? colourName('transfer', codes.transfer) : null,
    matrix: codes ? colourName('matrix', codes.matrix) : null,
    range: sps.fullRange ? 'pc' : 'tv',
    bitDepth: sps.bitDepth,
    hdr: null,
  };
}
