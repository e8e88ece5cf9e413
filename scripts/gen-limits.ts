// Writes docs/LIMITS.md from the built-in profiles and the rule catalog (`npm run docs:limits`); a test holds the file to it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderLimitsDocument } from './limits/render-limits.js';

/** Beside the repository's package.json, wherever the command is run from. */
export const LIMITS_DOCUMENT_PATH = fileURLToPath(new URL('../docs/LIMITS.md', import.meta.url));

writeFileSync(LIMITS_DOCUMENT_PATH, renderLimitsDocument());
console.log(`wrote ${LIMITS_DOCUMENT_PATH}`);
