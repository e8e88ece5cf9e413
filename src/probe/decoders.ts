import { runProcess } from '../shared/spawn.js';
import type { ToolBinary } from './binaries.js';

/** Decodable codecs per ffmpeg binary path: asked once per process, since a binary's build does not change. */
const asked = new Map<string, Promise<ReadonlySet<string>>>();

/** The codec names the ffmpeg `binary` can decode (`ffmpeg -decoders`, asked once per path, run with its environment). */
export function decodableCodecs(binary: Pick<ToolBinary, 'path' | 'env'>): Promise<ReadonlySet<string>> {
  let codecs = asked.get(binary.path);
  if (!codecs) {
    codecs = runProcess(binary.path, ['-hide_banner', '-decoders'], { env: binary.env }).then(({ stdout }) => parseDecoders(stdout));
    // a failed run is not cached: the next file asks again
    codecs.catch(() => asked.delete(binary.path));
    asked.set(binary.path, codecs);
  }
  return codecs;
}

/**
 * Pure: `ffmpeg -decoders` → codec names. A line is "flags name description"; wrapper decoders name their codec at
 * the end ("libaom-av1 libaom AV1 (codec av1)"), the others are named after it.
 */
export function parseDecoders(text: string): Set<string> {
  const codecs = new Set<string>();
  const listed = text.slice(text.indexOf('------') + 6);
  for (const line of listed.split('\n')) {
    const match = line.match(/^\s*[VASDFXB.]{6}\s+(\S+)\s+(.*)$/);
    if (!match) continue;
    const codec = match[2]!.match(/\(codec (\S+)\)\s*$/);
    codecs.add(codec ? codec[1]! : match[1]!);
  }
  return codecs;
}
