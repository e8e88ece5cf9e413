import { styleText } from 'node:util';

/** How the status words of progress lines are coloured; the identity when colour is off. */
export interface Paint {
  ok(text: string): string;
  failed(text: string): string;
  warning(text: string): string;
  dim(text: string): string;
}

const same = (text: string) => text;
export const NO_PAINT: Paint = { ok: same, failed: same, warning: same, dim: same };
/** colorWanted decides (FORCE_COLOR into a pipe included): styleText is not to check process.stdout again. */
const NO_CHECK = { validateStream: false };
const PAINT: Paint = {
  ok: (text) => styleText('green', text, NO_CHECK),
  failed: (text) => styleText('red', text, NO_CHECK),
  warning: (text) => styleText('yellow', text, NO_CHECK),
  dim: (text) => styleText('dim', text, NO_CHECK),
};

export function paintFor(on: boolean): Paint {
  return on ? PAINT : NO_PAINT;
}

/** FORCE_COLOR as Node reads it: set and not "0" or "false" forces colour (also into a pipe). */
function forced(env: NodeJS.ProcessEnv): boolean {
  const value = env.FORCE_COLOR;
  return value !== undefined && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * Pure: whether to colour. --no-color always wins; then FORCE_COLOR forces it; then NO_COLOR (any non-empty value,
 * no-color.org), TERM=dumb or a stream that is not a terminal turn it off.
 */
export function colorWanted(given: { flag: boolean; env: NodeJS.ProcessEnv; isTTY: boolean }): boolean {
  if (!given.flag) return false;
  if (forced(given.env)) return true;
  if (given.env.NO_COLOR) return false;
  if (given.env.TERM === 'dumb') return false;
  return given.isTTY;
}
