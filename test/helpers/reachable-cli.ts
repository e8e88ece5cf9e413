import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The command line bundled into `dir` (cli.mjs beside a copy of package.json, which the version is read from), so a
 * user who may not enter the checkout (under /root, mode 0700) can run it. Pure-JS packages are inside the bundle;
 * native ones (sharp and its libvips) stay outside: a command that loads them fails there with "Cannot find package".
 */
export async function bundleReachableCli(dir: string): Promise<string> {
  const outfile = join(dir, 'cli.mjs');
  await build({
    entryPoints: [join(REPO, 'src/cli/bin.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // CommonJS packages inside an ES module need a real require
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    external: ['sharp', '@img/*'],
  });
  await copyFile(join(REPO, 'package.json'), join(dir, 'package.json'));
  return outfile;
}
