import { displayPath } from '../../shared/display-path.js';

/**
 * A progress line's detail as the terminal shows it: the pipeline's "done: result PATH" names the result absolutely, so it
 * is shown relative to the command's folder like every other path; any other detail as it is.
 */
export function stageDetail(stage: string, detail: string, cwd: string): string {
  return stage === 'done' && detail.startsWith('result ') ? `result ${displayPath(detail.slice('result '.length), cwd)}` : detail;
}
