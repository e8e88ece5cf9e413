/** Which reader takes each video and audio container, and why: read by the probe and shown by `doctor`. */
import type { MediaFormat } from '../media-info.js';

type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'tiff' | 'avif' | 'heic' | 'svg' | 'psd' | 'jp2' | 'jxl';
type StreamFormat = Exclude<MediaFormat, ImageFormat>;

/** Why a container always goes to ffprobe; null: it is read in-process (unless the reading is unsure). Every format is listed. */
export const CONTAINER_ROUTES: Readonly<Record<StreamFormat, string | null>> = {
  mp4: null, mov: null, m4a: null, '3gp': null, mkv: null, webm: null, mp3: null, wav: null, flac: null, ogg: null,
  aac: 'ADTS holds no length: ffprobe estimates it and counts the packets',
  mpegts: 'its timing (PTS from the first packet of each stream) is not reproduced in-process',
  mpegps: 'not read by the toolkit',
  avi: 'not read by the toolkit',
  flv: 'not read by the toolkit',
  asf: 'not read by the toolkit',
  mxf: 'not read by the toolkit',
  aiff: 'not read by the toolkit',
  rf64: 'not read by the toolkit',
  wavpack: 'not read by the toolkit',
  ac3: 'not read by the toolkit',
  amr: 'not read by the toolkit',
  m4v: 'not read by the toolkit',
};

/** When a file of an in-process container still goes to ffprobe (the fallback codes of fallback.ts, in words). */
export const FALLBACK_CASES =
  'an estimated duration, a codec other than H.264, H.265 or VP9 video (or one whose audio ffprobe would name otherwise), ' +
  'a parse error, a file that may be truncated, or a trait it cannot read exactly: HDR or rare colour tags, ' +
  'an edit list that trims, text or data tracks, cover art or attachments, a variable or implausible frame rate';

export function inProcessFormats(): StreamFormat[] {
  return (Object.keys(CONTAINER_ROUTES) as StreamFormat[]).filter((format) => CONTAINER_ROUTES[format] === null);
}

/** The containers ffprobe always reads, grouped by reason (in table order). */
export function ffprobeFormats(): Array<{ formats: StreamFormat[]; why: string }> {
  const groups = new Map<string, StreamFormat[]>();
  for (const [format, why] of Object.entries(CONTAINER_ROUTES) as Array<[StreamFormat, string | null]>) if (why) groups.set(why, [...(groups.get(why) ?? []), format]);
  return [...groups].map(([why, formats]) => ({ formats, why }));
}

/** How images are read (never by the in-process video reader). */
export const IMAGE_ROUTE = 'sharp metadata, no decode; HEIC: libheif header reading, no decode; BMP, PSD, JPEG 2000: ffprobe';
