/** A JPEG XL image's size and orientation, read from its header (nothing here decodes JPEG XL). */
export interface JxlHeader {
  width: number;
  height: number;
  /** EXIF-style orientation 1–8 from the image metadata (1 when the metadata is all default). */
  orientation: number;
}

/** Pure: the header of a JPEG XL codestream (FF 0A) or ISO-BMFF container (JXL signature box), or null when it is neither. */
export function parseJxlHeader(bytes: Uint8Array): JxlHeader | null {
  const codestream = bytes[0] === 0xff && bytes[1] === 0x0a ? bytes : codestreamInContainer(bytes);
  if (!codestream) return null;
  try {
    return readSizeAndOrientation(codestream.subarray(2));
  } catch {
    return null; // the header runs past the bytes given
  }
}

/** The start of the codestream inside a container: the `jxlc` box, or the first `jxlp` box after its 4-byte index. */
function codestreamInContainer(bytes: Uint8Array): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (at: number) => String.fromCharCode(...bytes.subarray(at + 4, at + 8));
  if (bytes.length < 12 || type(0) !== 'JXL ') return null;
  for (let at = 0; at + 8 <= bytes.length; ) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1 && at + 16 <= bytes.length) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    }
    if (type(at) === 'jxlc') return bytes.subarray(at + header);
    if (type(at) === 'jxlp') return bytes.subarray(at + header + 4);
    if (size < header) return null;
    at += size;
  }
  return null;
}

/** SizeHeader, then the start of ImageMetadata (ISO/IEC 18181-1 §D.2, §A.6): bits are read least significant first. */
function readSizeAndOrientation(bytes: Uint8Array): JxlHeader {
  let bit = 0;
  const read = (count: number): number => {
    let value = 0;
    for (let i = 0; i < count; i++, bit++) {
      const byte = bytes[bit >> 3];
      if (byte === undefined) throw new RangeError('JPEG XL header truncated');
      value += ((byte >> (bit & 7)) & 1) * 2 ** i;
    }
    return value;
  };
  // U32(Bits(9), Bits(13), Bits(18), Bits(30)) + 1
  const size = () => read([9, 13, 18, 30][read(2)]!) + 1;
  const small = read(1) === 1;
  const height = small ? (read(5) + 1) * 8 : size();
  const ratio = read(3);
  const ratios: Array<[number, number]> = [[1, 1], [12, 10], [4, 3], [3, 2], [16, 9], [5, 4], [2, 1]];
  const width = ratio === 0 ? (small ? (read(5) + 1) * 8 : size()) : Math.floor((height * ratios[ratio - 1]![0]) / ratios[ratio - 1]![1]);
  const allDefault = read(1) === 1;
  const orientation = !allDefault && read(1) === 1 ? read(3) + 1 : 1;
  return { width, height, orientation };
}
