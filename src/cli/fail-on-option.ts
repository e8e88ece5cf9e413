import { Option, type Command } from 'commander';
import { FAIL_ON_LEVELS, type FailOn } from '../check/fail-on.js';
import { UsageError } from './io.js';

/** --strict and --fail-on LEVEL, declared once for check and fix. */
export function addFailOnFlags(command: Command, what: string): Command {
  return command
    .option('--strict', `warnings fail ${what} too (exit 1), for CI that must trust a green ${what.replace(/^the /, '')}`)
    .addOption(new Option('--fail-on <level>', `the least severity that fails ${what}; --fail-on warning is --strict`).choices(FAIL_ON_LEVELS).default(undefined, 'error'));
}

/** --strict is --fail-on warning; the two saying different things is a usage error, not a guess. */
export function failOnOption(options: { strict?: boolean; failOn?: FailOn }): FailOn {
  if (options.strict && options.failOn === 'error') throw new UsageError('--strict and --fail-on error contradict each other: give one (--strict is --fail-on warning)');
  return options.strict ? 'warning' : (options.failOn ?? 'error');
}

/** The flag that made warnings fail, as the summary names it: --strict, --fail-on warning, or none. */
export function strictFlagOf(options: { strict?: boolean }, failOn: FailOn): string | undefined {
  return failOn === 'warning' ? (options.strict ? '--strict' : '--fail-on warning') : undefined;
}
