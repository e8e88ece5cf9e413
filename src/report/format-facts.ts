import { formatNumber, formatValue } from '../check/format-value.js';
import type { MediaInfo } from '../probe/media-info.js';

/** Pure: what was measured of a file, as label and value pairs (format from the bytes, codecs, displayed size, time, bytes). */
export function mediaFacts(info: MediaInfo): Array<[string, string]> {
  const facts: Array<[string, string]> = [['format', `${info.format.toUpperCase()} (from the bytes${info.extensionMatches ? '' : `; named .${info.extension}`})`]];
  if (info.kind === 'image') {
    facts.push(['size', `${info.width}×${info.height}${info.orientation !== 1 ? ` (EXIF orientation ${info.orientation}; stored ${info.storedWidth}×${info.storedHeight})` : ''}`]);
    if (info.hasAlpha) facts.push(['alpha', 'yes']);
    if (info.frames > 1) facts.push(['frames', String(info.frames)]);
  }
  if (info.kind === 'video') {
    facts.push(['codec', `${info.videoCodec}${info.pixelFormat ? ` ${info.pixelFormat}` : ''}`]);
    facts.push(['size', `${info.width}×${info.height}${info.rotation ? ` (rotated ${info.rotation}°; stored ${info.storedWidth}×${info.storedHeight})` : ''}`]);
    facts.push(['frame rate', info.fps === null ? 'unknown' : `${formatNumber(info.fps, 2)} fps${info.variableFrameRate ? ' (variable)' : ''}`]);
    facts.push(['audio', info.hasAudio ? (info.audioCodec ?? 'yes') : 'none']);
  }
  if (info.kind === 'audio') {
    facts.push(['codec', info.audioCodec]);
    if (info.sampleRate !== null) facts.push(['sample rate', `${formatNumber(info.sampleRate, 0)} Hz`]);
    if (info.channels !== null) facts.push(['channels', String(info.channels)]);
  }
  if (info.kind !== 'image') facts.push(['duration', durations(info.duration, info.containerDuration, info.streamDuration)]);
  facts.push(['bytes', `${formatValue(info.sizeBytes, 'bytes')} (${formatNumber(info.sizeBytes, 0)} bytes)`]);
  return facts;
}

function durations(judged: number | null, container: number | null, stream: number | null): string {
  const s = (v: number | null) => (v === null ? 'unknown' : formatValue(v, 's'));
  return container !== null && stream !== null && Math.abs(container - stream) > 0.005 ? `${s(judged)} (container ${s(container)}, streams ${s(stream)})` : s(judged);
}

/** A fix action's before or after value as text. */
export function formatFixValue(value: number | string | null): string {
  if (value === null) return '—';
  return typeof value === 'number' ? formatNumber(value, 2) : value;
}
