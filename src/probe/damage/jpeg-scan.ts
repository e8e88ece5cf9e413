/**
 * Pure: counts the blocks a baseline JPEG's scan holds by decoding its Huffman codes (no pixels): a scan cut short and
 * closed with an EOI looks whole by its markers, but holds fewer MCUs than its frame needs.
 */

interface HuffmanTable {
  /** Per code length 1–16: the largest code (-1 when none), and where its values start. */
  maxCode: Int32Array;
  valPtr: Int32Array;
  minCode: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
}

export interface ScanCount {
  /** MCUs the frame needs and MCUs the scan holds before its data ends. */
  expected: number;
  decoded: number;
}

/** Null when this count does not apply (progressive or lossless, a scan without every component, a table missing or a code invalid). */
export function countScanMcus(bytes: Uint8Array): ScanCount | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const dc = new Map<number, HuffmanTable>();
  const ac = new Map<number, HuffmanTable>();
  let components: Component[] | null = null;
  let width = 0;
  let height = 0;
  let restartInterval = 0;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const body = at + 4;
    const end = at + 2 + length;
    if (end > bytes.length) return null;
    if (marker === 0xc4 && !readHuffmanTables(bytes, body, end, dc, ac)) return null;
    if (marker === 0xdd) restartInterval = (bytes[body]! << 8) | bytes[body + 1]!;
    if ((marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)) return null; // progressive, lossless, arithmetic
    if (marker === 0xc0 || marker === 0xc1) {
      height = (bytes[body + 1]! << 8) | bytes[body + 2]!;
      width = (bytes[body + 3]! << 8) | bytes[body + 4]!;
      const count = bytes[body + 5]!;
      components = Array.from({ length: count }, (_, i) => ({ id: bytes[body + 6 + i * 3]!, h: bytes[body + 7 + i * 3]! >> 4, v: bytes[body + 7 + i * 3]! & 15 }));
    }
    if (marker === 0xda) {
      if (!components || width === 0 || height === 0) return null;
      const count = bytes[body]!;
      if (count !== components.length) return null;
      const tables = Array.from({ length: count }, (_, i) => ({ id: bytes[body + 1 + i * 2]!, dc: dc.get(bytes[body + 2 + i * 2]! >> 4), ac: ac.get(bytes[body + 2 + i * 2]! & 15) }));
      const ordered = tables.map((t) => ({ ...t, component: components!.find((c) => c.id === t.id) }));
      if (ordered.some((t) => !t.dc || !t.ac || !t.component)) return null;
      return decodeScan(bytes, end, width, height, ordered as Array<{ dc: HuffmanTable; ac: HuffmanTable; component: Component }>, restartInterval);
    }
    at = end;
  }
  return null;
}

function readHuffmanTables(bytes: Uint8Array, from: number, to: number, dc: Map<number, HuffmanTable>, ac: Map<number, HuffmanTable>): boolean {
  let at = from;
  while (at < to) {
    const kind = bytes[at]! >> 4;
    const id = bytes[at]! & 15;
    const counts = bytes.subarray(at + 1, at + 17);
    const total = counts.reduce((a, b) => a + b, 0);
    if (at + 17 + total > to) return false;
    const table = buildTable(counts, bytes.subarray(at + 17, at + 17 + total));
    (kind === 0 ? dc : ac).set(id, table);
    at += 17 + total;
  }
  return true;
}

/** The JPEG standard's decoding tables (F.2.2.3): codes of each length are consecutive. */
function buildTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const minCode = new Int32Array(17);
  const valPtr = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1]!;
    if (n > 0) {
      valPtr[length] = k;
      minCode[length] = code;
      code += n;
      k += n;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  return { maxCode, minCode, valPtr, values: Uint8Array.from(values) };
}

/** Codes up to this many bits are found with one table lookup. */
const LOOKUP_BITS = 9;

/** Per (LOOKUP_BITS)-bit prefix: (code length << 8) | value, 0 when the code is longer. */
function lookupTable(table: HuffmanTable): Uint16Array {
  const lut = new Uint16Array(1 << LOOKUP_BITS);
  for (let length = 1; length <= LOOKUP_BITS; length++) {
    for (let code = table.minCode[length]!; code <= table.maxCode[length]!; code++) {
      const value = table.values[table.valPtr[length]! + code - table.minCode[length]!]!;
      const shift = LOOKUP_BITS - length;
      for (let fill = 0; fill < 1 << shift; fill++) lut[(code << shift) | fill] = (length << 8) | value;
    }
  }
  return lut;
}

/** The entropy-coded bytes with stuffing removed, split at restart markers; stops at any other marker. */
function entropySegments(bytes: Uint8Array, start: number): { data: Uint8Array; ends: number[] } {
  const data = new Uint8Array(bytes.length - start);
  const ends: number[] = [];
  let n = 0;
  let at = start;
  while (at < bytes.length) {
    const byte = bytes[at]!;
    if (byte !== 0xff) {
      data[n++] = byte;
      at++;
      continue;
    }
    const next = bytes[at + 1];
    if (next === 0x00) {
      data[n++] = 0xff;
      at += 2;
    } else if (next === 0xff) at++; // fill byte before a marker
    else if (next !== undefined && next >= 0xd0 && next <= 0xd7) {
      ends.push(n);
      at += 2;
    } else break;
  }
  ends.push(n);
  return { data: data.subarray(0, n), ends };
}

function decodeScan(bytes: Uint8Array, start: number, width: number, height: number, scan: Array<{ dc: HuffmanTable; ac: HuffmanTable; component: Component }>, restartInterval: number): ScanCount | null {
  const hMax = Math.max(...scan.map((s) => s.component.h));
  const vMax = Math.max(...scan.map((s) => s.component.v));
  const single = scan.length === 1;
  // one component: its blocks are the MCUs, over its own (subsampled) size
  const expected = single
    ? Math.ceil(Math.ceil((width * scan[0]!.component.h) / hMax) / 8) * Math.ceil(Math.ceil((height * scan[0]!.component.v) / vMax) / 8)
    : Math.ceil(width / (8 * hMax)) * Math.ceil(height / (8 * vMax));
  const blocks = scan.map((s) => (single ? 1 : s.component.h * s.component.v));
  const tables = scan.map((s) => ({ dc: s.dc, ac: s.ac, dcLut: lookupTable(s.dc), acLut: lookupTable(s.ac) }));
  const { data, ends } = entropySegments(bytes, start);
  let segment = 0;
  let pos = 0;
  let end = ends[0]! * 8;

  let decoded = 0;
  const last = data.length;
  while (decoded < expected) {
    if (restartInterval > 0 && decoded > 0 && decoded % restartInterval === 0) {
      // the next restart segment starts at a byte boundary
      if (++segment >= ends.length) break;
      pos = ends[segment - 1]! * 8;
      end = ends[segment]! * 8;
    }
    for (let c = 0; c < tables.length; c++) {
      const t = tables[c]!;
      for (let b = 0; b < blocks[c]!; b++) {
        // one DC code and its bits, then AC codes to the end of block (inlined: this loop runs for every block of the picture)
        for (let k = 0; k < 64; ) {
          const table = k === 0 ? t.dc : t.ac;
          const lut = k === 0 ? t.dcLut : t.acLut;
          const i = pos >> 3;
          const word = ((i < last ? data[i]! : 0) << 16) | ((i + 1 < last ? data[i + 1]! : 0) << 8) | (i + 2 < last ? data[i + 2]! : 0);
          const bits = (word >> (8 - (pos & 7))) & 0xffff;
          const hit = lut[bits >> (16 - LOOKUP_BITS)]!;
          let symbol = -1;
          if (hit !== 0) {
            pos += hit >> 8;
            symbol = hit & 0xff;
          } else {
            for (let length = LOOKUP_BITS + 1; length <= 16; length++) {
              const code = bits >> (16 - length);
              if (code <= table.maxCode[length]!) {
                pos += length;
                symbol = table.values[table.valPtr[length]! + code - table.minCode[length]!]!;
                break;
              }
            }
          }
          // no code matches: the bits past the end of cut data, or corrupt data
          if (symbol < 0) return pos + 16 > end ? { expected, decoded } : null;
          if (k === 0) {
            pos += symbol; // the DC difference's bits
            k = 1;
            continue;
          }
          const size = symbol & 15;
          if (size === 0) {
            if (symbol >> 4 !== 15) break; // end of block
            k += 16;
          } else {
            k += (symbol >> 4) + 1;
            pos += size;
          }
        }
      }
    }
    // the MCU used bits past the end of its segment: the data ran out inside it
    if (pos > end) break;
    decoded++;
  }
  return { expected, decoded };
}
