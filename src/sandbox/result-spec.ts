import type { AcceptedMedia } from './media-review.js';
import type { OutputSizeTable } from './openapi-documents.js';
import type { ResultVideoSpec } from './result-video.js';

/** What the provider would generate for an accepted request: the documents' defaults filled in, sizes from their table. Pure. */
export function resultSpecFor(request: Record<string, unknown>, defaults: Readonly<Record<string, unknown>>, sizes: OutputSizeTable, accepted: AcceptedMedia): ResultVideoSpec {
  const field = <T>(name: string): T => (request[name] ?? defaults[name]) as T;
  const bySize = sizes.get(field<string>('quality'));
  if (!bySize) throw new Error(`no output size for quality ${JSON.stringify(field('quality'))} in the documents' table`);
  let ratio = field<string>('aspect_ratio');
  if (ratio === 'adaptive') {
    // the documents: adaptive decides by video > image > prompt; with only a prompt, the default ratio
    const reference = accepted.firstVideo ?? accepted.firstImage;
    ratio = reference ? nearestRatio(bySize, reference.width / reference.height) : String(defaults.aspect_ratio);
  }
  const size = bySize.get(ratio);
  if (!size) throw new Error(`no output size for aspect ratio ${JSON.stringify(ratio)} in the documents' table`);
  return { seconds: field<number>('duration'), width: size.width, height: size.height, audio: field<boolean>('generate_audio') };
}

/** The table's ratio whose frame is nearest the reference's shape (on a log scale: 2:1 and 1:2 are as far from 1:1). */
function nearestRatio(bySize: ReadonlyMap<string, { width: number; height: number }>, aspect: number): string {
  const distance = (size: { width: number; height: number }) => Math.abs(Math.log(size.width / size.height / aspect));
  return [...bySize].reduce((best, entry) => (distance(entry[1]) < distance(best[1]) ? entry : best))[0];
}
