import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './shared/package-root.js';

/** The package version, read from the package.json above this module (src/, dist/ or the bundled CLI). */
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }).version;
