/** Pure: EBML element headers and values (Matroska, WebM), read from bytes in memory. */

export interface Element {
  id: number;
  /** Offset of the payload in the bytes read, and its size; null size means "unknown" (a live stream's Segment or Cluster). */
  start: number;
  size: number | null;
}

/** The element header at `at`; null when the bytes end inside it or it is malformed. */
export function readElement(bytes: Uint8Array, at: number): Element | null {
  const id = readVint(bytes, at, true);
  if (!id || id.length > 4) return null;
  const size = readVint(bytes, at + id.length, false);
  if (!size) return null;
  return { id: id.value, start: at + id.length + size.length, size: size.unknown ? null : size.value };
}

/** The elements directly inside bytes[start, end). Throws when one overruns its parent. */
export function children(bytes: Uint8Array, start: number, end: number): Element[] {
  const found: Element[] = [];
  let at = start;
  while (at < end) {
    const element = readElement(bytes, at);
    if (!element || element.size === null || element.start + element.size > end) throw new Error(`an EBML element at byte ${at} overruns its parent`);
    found.push(element);
    at = element.start + element.size;
  }
  return found;
}

export function readUint(bytes: Uint8Array, element: Element): number {
  let value = 0;
  for (let i = 0; i < element.size!; i++) value = value * 256 + bytes[element.start + i]!;
  return value;
}

export function readFloat(bytes: Uint8Array, element: Element): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + element.start, element.size!);
  return element.size === 4 ? view.getFloat32(0) : element.size === 8 ? view.getFloat64(0) : 0;
}

export function readString(bytes: Uint8Array, element: Element): string {
  return new TextDecoder().decode(bytes.subarray(element.start, element.start + element.size!)).replace(/\0+$/, '');
}

/** A variable-length integer: the leading zeros of the first byte give its length. IDs keep their marker bit. */
function readVint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | null {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[at + i]!;
    allOnes &&= bytes[at + i] === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}
