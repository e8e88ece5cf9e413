/**
 * The presentation times of a Matroska track's first blocks, read from the block headers alone (track number and
 * relative timestamp; no frame data): what its stated DefaultDuration is checked against, as the ffprobe path checks
 * its stated rate against packet times.
 */
import { readElement } from './ebml.js';

const CLUSTER = 0x1f43b675;
const CLUSTER_TIMESTAMP = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
/** Enough bytes for any element header and the start of a block's header. */
const HEADER_BYTES = 32;

/** Reads `length` bytes at `position` (fewer at the end of the file). */
export type ReadAt = (position: number, length: number) => Uint8Array;

/** Pure over `read`: seconds of the first `max` blocks of `track`, walking clusters from `from` up to `end`. */
export function blockTimes(read: ReadAt, from: number, end: number, track: number, timestampScale: number, max: number): number[] {
  const times: number[] = [];
  let cluster = 0;
  let at = from;
  while (at < end && times.length < max) {
    const head = read(at, HEADER_BYTES);
    const element = readElement(head, 0);
    if (!element) break;
    if (element.id === CLUSTER) {
      at += element.start; // into the cluster: its children follow (its size may be unknown, as a live recording writes it)
      continue;
    }
    if (element.size === null) break;
    if (element.id === CLUSTER_TIMESTAMP) cluster = uint(head, element.start, element.size);
    else if (element.id === SIMPLE_BLOCK) push(head.subarray(element.start));
    else if (element.id === BLOCK_GROUP) {
      const inner = read(at + element.start, Math.min(element.size, 4096));
      for (let i = 0; i < inner.length; ) {
        const child = readElement(inner, i);
        if (!child || child.size === null) break;
        if (child.id === BLOCK) push(inner.subarray(child.start));
        i = child.start + child.size;
      }
    }
    at += element.start + element.size;
  }
  return times;

  function push(block: Uint8Array): void {
    const first = block[0];
    if (first === undefined || first === 0) return;
    const length = Math.clz32(first) - 23;
    let number = first & (0xff >> length);
    for (let i = 1; i < length; i++) number = number * 256 + block[i]!;
    if (number !== track || block.length < length + 2) return;
    const relative = ((block[length]! << 8) | block[length + 1]!) << 16 >> 16;
    times.push(((cluster + relative) * timestampScale) / 1e9);
  }
}

function uint(bytes: Uint8Array, start: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size && start + i < bytes.length; i++) value = value * 256 + bytes[start + i]!;
  return value;
}
