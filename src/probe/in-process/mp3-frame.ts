/** Pure: the first MPEG audio frame header, and whether it is a Xing/Info or VBRI frame that states the frame count. */

export interface MpegAudioStart {
  /** ffprobe's codec name by layer. */
  codec: 'mp1' | 'mp2' | 'mp3';
  /** The frame count is in the header: the length is exact, not estimated from the bitrate. */
  exactFrameCount: boolean;
}

/** Reads the bytes where the audio starts (after any ID3v2 tag); null when they do not start with a frame sync. */
export function readMpegAudioStart(bytes: Uint8Array): MpegAudioStart | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || (bytes[1]! & 0xe0) !== 0xe0) return null;
  const version = (bytes[1]! >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5, 1 reserved
  const layer = (bytes[1]! >> 1) & 3; // 3 layer I, 2 layer II, 1 layer III
  if (version === 1 || layer === 0) return null;
  const codec = layer === 3 ? 'mp1' : layer === 2 ? 'mp2' : 'mp3';
  const mono = ((bytes[3]! >> 6) & 3) === 3;
  // the Xing/Info tag follows the layer III side information, whose size depends on version and channels
  const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const tag = ascii(bytes, 4 + sideInfo);
  const xingFrames = (tag === 'Xing' || tag === 'Info') && bytes.length >= 4 + sideInfo + 8 && (bytes[4 + sideInfo + 7]! & 1) === 1;
  return { codec, exactFrameCount: codec === 'mp3' && (xingFrames || ascii(bytes, 36) === 'VBRI') };
}

function ascii(bytes: Uint8Array, at: number): string {
  return at + 4 <= bytes.length ? String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!) : '';
}
