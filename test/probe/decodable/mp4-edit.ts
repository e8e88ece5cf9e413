/**
 * Byte edits of MP4/MOV boxes for fixtures: rename a box, replace it, or insert a child, growing every enclosing box.
 * Paths name boxes from the top: ['moov', 'trak#1', 'mdia', …] ('#n': the n-th of that type, from 0). Edits that
 * change sizes need the index after the media (ffmpeg's default, no +faststart), so no chunk offset moves.
 */

/** Where a box's children start, past its own fields: full boxes with an entry count, sample entries. */
const CHILDREN_AT: Readonly<Record<string, number>> = { stsd: 8, dref: 8, avc1: 78, avc3: 78, hvc1: 78, hev1: 78, mp4a: 28, meta: 4 };

export interface BoxAt {
  type: string;
  /** Offset of the box's size field. */
  at: number;
  size: number;
}

/** A box: 32-bit size, type, payload. */
export function box(type: string, ...payload: Uint8Array[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** The chain of boxes down `path`; throws when a step is missing. */
export function boxPath(bytes: Uint8Array, path: readonly string[]): BoxAt[] {
  const chain: BoxAt[] = [];
  let from = 0;
  let end = bytes.length;
  for (const step of path) {
    const [type, nth = '0'] = step.split('#');
    let seen = 0;
    let found: BoxAt | null = null;
    for (let at = from; at + 8 <= end; ) {
      const size = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32BE(at);
      const name = Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1');
      if (size < 8) break;
      if (name === type && seen++ === Number(nth)) {
        found = { type: name, at, size };
        break;
      }
      at += size;
    }
    if (!found) throw new Error(`no ${step} under ${chain.map((b) => b.type).join('/') || 'the top'}`);
    chain.push(found);
    from = found.at + 8 + (CHILDREN_AT[found.type] ?? 0);
    end = found.at + found.size;
  }
  return chain;
}

/** A copy with the box at `path` renamed (same size: a 'free' box is skipped by readers). */
export function renameBox(bytes: Buffer, path: readonly string[], type: string): Buffer {
  const out = Buffer.from(bytes);
  out.write(type, boxPath(out, path).at(-1)!.at + 4, 'latin1');
  return out;
}

/** A copy with the box at `path` replaced by `replacement`, its ancestors resized. */
export function replaceBox(bytes: Buffer, path: readonly string[], replacement: Uint8Array): Buffer {
  const chain = boxPath(bytes, path);
  const target = chain.at(-1)!;
  return resized(Buffer.concat([bytes.subarray(0, target.at), replacement, bytes.subarray(target.at + target.size)]), chain.slice(0, -1), replacement.length - target.size, target.at);
}

/** A copy with `child` inserted as the last child of the box at `parent`, its ancestors resized. */
export function appendChild(bytes: Buffer, parent: readonly string[], child: Uint8Array): Buffer {
  const chain = boxPath(bytes, parent);
  const end = chain.at(-1)!.at + chain.at(-1)!.size;
  return resized(Buffer.concat([bytes.subarray(0, end), child, bytes.subarray(end)]), chain, child.length, end);
}

function resized(out: Buffer, ancestors: BoxAt[], delta: number, editAt: number): Buffer {
  const mdat = boxPath(out, ['mdat']).at(-1)!;
  if (delta !== 0 && mdat.at > editAt) throw new Error('the index is before the media: a size change would move the chunk offsets');
  for (const box of ancestors) out.writeUInt32BE(box.size + delta, box.at);
  return out;
}

/** The payload of the box at `path` (past its 8-byte header). */
export function boxPayload(bytes: Buffer, path: readonly string[]): Buffer {
  const target = boxPath(bytes, path).at(-1)!;
  return bytes.subarray(target.at + 8, target.at + target.size);
}

/** Sample tables that list nothing, by type: a track with a sample description and no samples. */
const EMPTY_TABLES: Readonly<Record<string, Buffer>> = {
  stts: box('stts', Buffer.alloc(8)), stss: box('stss', Buffer.alloc(8)), ctts: box('ctts', Buffer.alloc(8)),
  stsc: box('stsc', Buffer.alloc(8)), stsz: box('stsz', Buffer.alloc(12)), stco: box('stco', Buffer.alloc(8)), sdtp: box('sdtp', Buffer.alloc(4)),
};

/** A copy whose track `trak` (0-based) keeps its sample description and headers but lists no samples. */
export function emptyTrack(bytes: Buffer, trak: number): Buffer {
  const stbl = ['moov', `trak#${trak}`, 'mdia', 'minf', 'stbl'];
  let out = bytes;
  for (const [type, empty] of Object.entries(EMPTY_TABLES)) {
    try {
      boxPath(out, [...stbl, type]);
    } catch {
      continue; // a table the writer left out
    }
    out = replaceBox(out, [...stbl, type], empty);
  }
  return out;
}
