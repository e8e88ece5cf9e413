/** The limits document the package ships, generated from the profiles by `npm run docs:limits`; every rule's source cites it. */
export const LIMITS_DOCUMENT = 'docs/LIMITS.md';

/** The provider's documents, by the names they are published under (docs.evolink.ai, in Japanese). */
export const REFERENCE_DOC = 'seedance-2.0-reference-to-video.ja.md';
export const TEXT_DOC = 'seedance-2.0-text-to-video.ja.md';
export const BOTH_DOCS = `${REFERENCE_DOC} and ${TEXT_DOC}`;

/** A source: the section of the shipped document (a rule id or a reading), then the passage or reasoning the figure rests on. */
export function cite(anchor: string, basis: string): string {
  return `${LIMITS_DOCUMENT}#${anchor}; ${basis}`;
}

/** A source split back into its section and its basis; null when it does not cite the shipped document (a custom profile's own words). */
export function parseCitation(source: string): { anchor: string; basis: string } | null {
  const match = /^docs\/LIMITS\.md#([a-z0-9_.]+); (.+)$/s.exec(source);
  return match ? { anchor: match[1]!, basis: match[2]! } : null;
}
