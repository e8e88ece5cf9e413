/** Pure: what ffmpeg's H.264 decoder reports from a sequence parameter set, by ffprobe's names. */
import type { VideoColor } from '../media-info.js';
import { fallBack } from './fallback.js';
import { colourName } from './ffprobe-names.js';
import type { H264Sps } from './h264-sps.js';

/** The pixel format ffmpeg's H.264 decoder opens with: full-range 8-bit is the "j" variant; monochrome and RGB are left to ffprobe. */
export function h264PixelFormat(sps: H264Sps): string {
  if (sps.chromaFormat === 0 || (sps.bitDepth !== 8 && sps.bitDepth !== 10)) fallBack('trait', `H.264 with chroma format ${sps.chromaFormat} at ${sps.bitDepth} bits`);
  if (sps.colour?.matrix === 0) fallBack('trait', 'RGB H.264 (matrix 0)');
  const chroma = ['', '420', '422', '444'][sps.chromaFormat]!;
  return `yuv${sps.bitDepth === 8 && sps.fullRange ? 'j' : ''}${chroma}p${sps.bitDepth === 10 ? '10le' : ''}`;
}

export function h264Colour(sps: H264Sps): VideoColor {
  const codes = sps.colour;
  return {
    primaries: codes ? colourName('primaries', codes.primaries) : null,
    transfer: codes ? colourName('transfer', codes.transfer) : null,
    matrix: codes ? colourName('matrix', codes.matrix) : null,
    range: sps.fullRange === null ? null : sps.fullRange ? 'pc' : 'tv',
    bitDepth: sps.bitDepth,
    hdr: null,
  };
}
