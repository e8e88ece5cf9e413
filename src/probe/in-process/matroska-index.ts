/**
 * The Matroska elements ffprobe's answer depends on and the toolkit does not show: every track entry (with its UID,
 * DefaultDuration, display size and whether it carries Colour or Projection), the segment's duration, the per-track
 * DURATION tags and whether there are attachments. Read from the segment's start and through its SeekHead, as ffmpeg does.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { children, readElement, readFloat, readString, readUint, type Element } from './ebml.js';
import { fallBack } from './fallback.js';
import type { ContainerColour } from './mp4-boxes.js';

export interface MkvVideo {
  pixelWidth: number;
  pixelHeight: number;
  displayWidth: number | null;
  displayHeight: number | null;
  displayUnit: number;
  /** The Colour element's codes (H.273) and range, as the container states them; null without one. */
  colour: ContainerColour | null;
  /** Child elements ffmpeg turns into stream facts we do not reproduce (Projection, mastering metadata, …). */
  unread: string[];
}

export interface MkvTrack {
  /** TrackNumber: how blocks and the toolkit name the track. */
  number: number;
  type: number;
  /** TrackUID as hex, to match tags to it. */
  uid: string;
  codecId: string;
  codecPrivate: Uint8Array | null;
  defaultDurationNs: number | null;
  video: MkvVideo | null;
}

export interface MkvIndex {
  timestampScale: number;
  /** Segment duration in timestamp ticks; null when the header states none (a live recording). */
  duration: number | null;
  tracks: MkvTrack[];
  hasAttachments: boolean;
  /** DURATION tag per TrackUID (hex). */
  durationTags: Map<string, string>;
  /** Byte offset of the first Cluster (where the blocks start), and of the segment's end; null when no cluster came before anything else. */
  firstCluster?: number | null;
  segmentEnd?: number;
}

const ID = {
  segment: 0x18538067, seekHead: 0x114d9b74, seek: 0x4dbb, seekId: 0x53ab, seekPosition: 0x53ac, info: 0x1549a966,
  timestampScale: 0x2ad7b1, duration: 0x4489, tracks: 0x1654ae6b, trackEntry: 0xae, trackNumber: 0xd7, trackType: 0x83, trackUid: 0x73c5,
  codecId: 0x86, codecPrivate: 0x63a2, defaultDuration: 0x23e383, video: 0xe0, pixelWidth: 0xb0, pixelHeight: 0xba,
  displayWidth: 0x54b0, displayHeight: 0x54ba, displayUnit: 0x54b2, colour: 0x55b0, projection: 0x7670,
  matrixCoefficients: 0x55b1, range: 0x55b9, transferCharacteristics: 0x55ba, primaries: 0x55bb, masteringMetadata: 0x55d0,
  maxCll: 0x55bc, maxFall: 0x55bd, tags: 0x1254c367,
  tag: 0x7373, targets: 0x63c0, tagTrackUid: 0x63c5, simpleTag: 0x67c8, tagName: 0x45a3, tagString: 0x4487,
  attachments: 0x1941a469, cluster: 0x1f43b675, contentEncodings: 0x6d80,
} as const;
/** Top-level elements larger than this are not read into memory (the caller falls back). */
const MAX_ELEMENT_BYTES = 16 * 1024 * 1024;

/** Reads the index of the Matroska file at `path`. Throws (or falls back) on anything it cannot read whole. */
export function readMatroskaIndex(path: string, fileSize: number): MkvIndex {
  const fd = openSync(path, 'r');
  try {
    const read = (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, readSync(fd, buffer, 0, length, position));
    };
    const header = readElement(read(0, 64), 0);
    if (!header || header.size === null) fallBack('parse-error', 'no EBML header');
    const segment = readElement(read(header.start + header.size, 16), 0);
    if (!segment || segment.id !== ID.segment) fallBack('parse-error', 'no Segment after the EBML header');
    const segmentStart = header.start + header.size + segment.start;
    if (segment.size !== null && segmentStart + segment.size > fileSize) fallBack('maybe-truncated', `the segment states ${segmentStart + segment.size - fileSize} bytes more than the file holds`);
    const segmentEnd = segment.size === null ? fileSize : segmentStart + segment.size;

    const found = new Map<number, Uint8Array>();
    const take = (at: number): Element | null => {
      const element = readElement(read(at, 16), 0);
      if (!element) return null;
      if ([ID.info, ID.tracks, ID.tags, ID.seekHead].includes(element.id as never) && !found.has(element.id)) {
        if (element.size === null || element.size > MAX_ELEMENT_BYTES) fallBack('trait', 'a header element of unknown or very large size');
        if (at + element.start + element.size > fileSize) fallBack('maybe-truncated', 'a header element runs past the end of the file');
        found.set(element.id, read(at + element.start, element.size));
      }
      if (element.id === ID.attachments) found.set(element.id, new Uint8Array());
      return element;
    };
    // the elements before the first cluster, in order
    let firstCluster: number | null = null;
    for (let at = segmentStart; at < segmentEnd; ) {
      const element = take(at);
      if (element?.id === ID.cluster) firstCluster = at;
      if (!element || element.id === ID.cluster || element.size === null) break;
      at += element.start + element.size;
    }
    // then those the SeekHead points to further on (Tags usually follow the clusters)
    for (const position of seekPositions(found.get(ID.seekHead))) {
      if (segmentStart + position >= fileSize) fallBack('maybe-truncated', 'the SeekHead points past the end of the file');
      take(segmentStart + position);
    }
    return { ...parseIndex(found), firstCluster, segmentEnd };
  } finally {
    closeSync(fd);
  }
}

function seekPositions(seekHead: Uint8Array | undefined): number[] {
  if (!seekHead) return [];
  return children(seekHead, 0, seekHead.length)
    .filter((e) => e.id === ID.seek)
    .flatMap((seek) => children(seekHead, seek.start, seek.start + seek.size!).filter((e) => e.id === ID.seekPosition).map((e) => readUint(seekHead, e)));
}

function parseIndex(found: Map<number, Uint8Array>): MkvIndex {
  const info = found.get(ID.info);
  const tracks = found.get(ID.tracks);
  if (!info || !tracks) fallBack('parse-error', 'no Info or Tracks element');
  const infoElements = children(info, 0, info.length);
  const scale = infoElements.find((e) => e.id === ID.timestampScale);
  const duration = infoElements.find((e) => e.id === ID.duration);
  return {
    timestampScale: scale ? readUint(info, scale) : 1_000_000,
    duration: duration ? readFloat(info, duration) : null,
    tracks: children(tracks, 0, tracks.length).filter((e) => e.id === ID.trackEntry).map((entry) => parseTrack(tracks, entry)),
    hasAttachments: found.has(ID.attachments),
    durationTags: durationTags(found.get(ID.tags)),
  };
}

function parseTrack(bytes: Uint8Array, entry: Element): MkvTrack {
  const fields = children(bytes, entry.start, entry.start + entry.size!);
  const one = (id: number) => fields.find((e) => e.id === id);
  const uint = (id: number) => (one(id) ? readUint(bytes, one(id)!) : null);
  const uid = one(ID.trackUid);
  const video = one(ID.video);
  const codecPrivate = one(ID.codecPrivate);
  if (one(ID.contentEncodings)) fallBack('trait', 'compressed or encrypted track data (ContentEncodings)');
  return {
    number: uint(ID.trackNumber) ?? 0,
    type: uint(ID.trackType) ?? 0,
    uid: uid ? hex(bytes.subarray(uid.start, uid.start + uid.size!)) : '',
    codecId: one(ID.codecId) ? readString(bytes, one(ID.codecId)!) : '',
    codecPrivate: codecPrivate ? bytes.subarray(codecPrivate.start, codecPrivate.start + codecPrivate.size!) : null,
    defaultDurationNs: uint(ID.defaultDuration),
    video: video ? parseVideo(bytes, video) : null,
  };
}

function parseVideo(bytes: Uint8Array, video: Element): MkvVideo {
  const fields = children(bytes, video.start, video.start + video.size!);
  const uint = (id: number) => {
    const element = fields.find((e) => e.id === id);
    return element ? readUint(bytes, element) : null;
  };
  return {
    pixelWidth: uint(ID.pixelWidth) ?? 0,
    pixelHeight: uint(ID.pixelHeight) ?? 0,
    displayWidth: uint(ID.displayWidth),
    displayHeight: uint(ID.displayHeight),
    displayUnit: uint(ID.displayUnit) ?? 0,
    colour: colourElement(bytes, fields.find((e) => e.id === ID.colour)),
    unread: [...(fields.some((e) => e.id === ID.projection) ? ['Projection'] : []), ...colourUnread(bytes, fields.find((e) => e.id === ID.colour))],
  };
}

/** Colour's codes (2 "unspecified" when absent, as ffmpeg defaults them) and Range (1 broadcast, 2 full; else unstated). */
function colourElement(bytes: Uint8Array, colour: Element | undefined): ContainerColour | null {
  if (!colour) return null;
  const fields = children(bytes, colour.start, colour.start + colour.size!);
  const uint = (id: number, otherwise: number) => {
    const element = fields.find((e) => e.id === id);
    return element ? readUint(bytes, element) : otherwise;
  };
  const range = uint(ID.range, 0);
  return { primaries: uint(ID.primaries, 2), transfer: uint(ID.transferCharacteristics, 2), matrix: uint(ID.matrixCoefficients, 2), fullRange: range === 1 ? false : range === 2 ? true : null };
}

/** HDR metadata in Colour becomes side data ffprobe reads: left to it. */
function colourUnread(bytes: Uint8Array, colour: Element | undefined): string[] {
  if (!colour) return [];
  const ids = children(bytes, colour.start, colour.start + colour.size!).map((e) => e.id);
  return ids.some((id) => id === ID.masteringMetadata || id === ID.maxCll || id === ID.maxFall) ? ['HDR metadata in Colour'] : [];
}

/** DURATION tags aimed at one track, as ffmpeg attaches them to that stream. */
function durationTags(tags: Uint8Array | undefined): Map<string, string> {
  const found = new Map<string, string>();
  if (!tags) return found;
  for (const tag of children(tags, 0, tags.length).filter((e) => e.id === ID.tag)) {
    const fields = children(tags, tag.start, tag.start + tag.size!);
    const targets = fields.find((e) => e.id === ID.targets);
    const uids = targets ? children(tags, targets.start, targets.start + targets.size!).filter((e) => e.id === ID.tagTrackUid) : [];
    if (uids.length !== 1) continue;
    const uid = hex(tags.subarray(uids[0]!.start, uids[0]!.start + uids[0]!.size!));
    for (const simple of fields.filter((e) => e.id === ID.simpleTag)) {
      const parts = children(tags, simple.start, simple.start + simple.size!);
      const name = parts.find((e) => e.id === ID.tagName);
      const value = parts.find((e) => e.id === ID.tagString);
      // ffprobe-parse reads the tag by these two spellings only
      if (name && value && ['DURATION', 'duration'].includes(readString(tags, name))) found.set(uid, readString(tags, value));
    }
  }
  return found;
}

/** A UID's bytes as hex without leading zero bytes, so 00 01 and 01 name the same track. */
function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/^(00)+/, '');
}
