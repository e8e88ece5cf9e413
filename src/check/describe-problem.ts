import { formatLimit } from './format-value.js';
import type { Violation } from './violation.js';

/**
 * What is wrong and the rule, for error messages outside the CLI (a fix that did not conform, a task the
 * sandbox fails): "clip.mp4: frame rate is 15 fps; allowed: 24–60 fps (rule video.fps)". What to do is the
 * violation's `fix`; the CLI writes the whole sentence (src/text/violation-text.ts).
 */
export function describeProblem(v: Violation, options: { subject?: boolean } = {}): string {
  const allowed = v.limit ? `; allowed: ${formatLimit(v.limit, v.bytesPerMB)}` : '';
  const subject = options.subject === false ? '' : `${v.subject}: `;
  return `${subject}${v.problem}${allowed} (rule ${v.rule})`;
}
