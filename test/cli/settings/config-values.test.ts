import { describe, expect, it } from 'vitest';
import { configValueFor, configValues } from '../../../src/cli/settings/config-values.js';

const FILE = 'seedance-preflight.config.json';
const refusal = (data: unknown) => {
  try {
    configValues(data, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('configValues: what a config file may hold', () => {
  it.each([
    ['an unknown key, with the nearest setting', { concurency: 4 }, `${FILE}: concurency is not a setting; did you mean concurrency?`],
    ['an unknown key, nothing near', { colourScheme: 'dark' }, `${FILE}: colourScheme is not a setting (a setting is a flag's long name, such as concurrency or apiBase, or a section named for a command, such as fix)`],
    ['an unknown key in a section', { fix: { fitt: 'crop' } }, `${FILE}: fix.fitt is not a setting; did you mean fit?`],
    ["a setting the section's command does not take", { fix: { bucket: 'media' } }, `${FILE}: fix.bucket: fix takes no --bucket option`],
    ['a flag that is never a setting', { restart: true }, `${FILE}: restart cannot be set in a config file (--restart creates new (paid) tasks: a choice made each time on the command line)`],
    ['a safety switch', { 'allow-outside-paths': true }, `${FILE}: allow-outside-paths cannot be set in a config file (--allow-outside-paths switches off the confinement of a job to its folder: a file found upward, or a variable set long ago, must not turn a safety check off)`],
    ['the API key', { apiKey: 'sk-1' }, `${FILE}: apiKey is a secret: set EVOLINK_API_KEY in the environment instead, so it never ends up in a file that may be committed`],
    ['an AWS secret, in any spelling', { aws_secret_access_key: 'x' }, `${FILE}: aws_secret_access_key is a secret: set AWS_SECRET_ACCESS_KEY in the environment instead, so it never ends up in a file that may be committed`],
    ['a URL with a password', { worker: { queue: 'redis://:hunter22@queue:6379' } }, `${FILE}: worker.queue holds a URL with credentials (user:password@ or user@): set SEEDANCE_QUEUE_URL in the environment instead, so it never ends up in a file that may be committed`],
    ['a URL with a user only', { apiBase: 'https://user@api.example' }, `${FILE}: apiBase holds a URL with credentials (user:password@ or user@): set EVOLINK_BASE_URL in the environment instead, so it never ends up in a file that may be committed`],
    ['a section given a value', { fix: 3 }, `${FILE}: fix is a section (settings for the fix command): give it an object, not a number`],
    ['a switch named with no-', { 'no-cache': true }, `${FILE}: no-cache is not a setting: a config file names a switch without no-: write cache: false`],
    ['a switch named with no, in camelCase, in a section', { check: { noCache: true } }, `${FILE}: check.noCache is not a setting: a config file names a switch without no-: write cache: false`],
    ['an earlier name', { output: 'fixed' }, `${FILE}: output cannot be set in a config file (--output is the earlier name of --out, kept on the command line only: set out)`],
    ['one job\'s prompt', { run: { prompt: 'a cat' } }, `${FILE}: run.prompt cannot be set in a config file (--prompt is one job's prompt, given each time)`],
    ['the same setting twice', { 'api-base': 'https://a.example', apiBase: 'https://b.example' }, `${FILE}: apiBase and api-base are the same setting: keep one`],
    ['an object for a setting', { concurrency: { n: 4 } }, `${FILE}: concurrency must be a text or a number, not an object`],
    ['a list for a setting that is not repeatable', { fit: ['pad'] }, `${FILE}: fit must be a text or a number, not a list`],
    ['a list for a switch', { strict: [true] }, `${FILE}: strict must be true or false, not a list`],
    ['a list', [1, 2], `${FILE}: a config file holds one object of settings (key: value), not a list`],
    ['a number', 4, `${FILE}: a config file holds one object of settings (key: value), not a number`],
    ['the --config flag', { config: 'other.json' }, `${FILE}: config cannot be set in a config file (--config names the config file itself: from the command line or SEEDANCE_CONFIG, never from a config file)`],
  ])('refuses %s', (_name, data, message) => {
    expect(refusal(data)).toBe(message);
  });

  it('takes camelCase and the flag as written, sections by command, lists for repeatable flags, null as unset', () => {
    const values = configValues({ 'api-base': 'https://api.example', concurrency: 4, fix: { fit: 'crop', strict: true }, batch: { only: ['a*', 'b*'] }, queue: { queueName: 'nightly' }, prefix: null }, FILE);
    expect(configValueFor(values, 'apiBase', 'run')).toEqual({ keyPath: 'api-base', value: 'https://api.example' });
    expect(configValueFor(values, 'fit', 'fix')).toEqual({ keyPath: 'fix.fit', value: 'crop' });
    expect(configValueFor(values, 'fit', 'run')).toBeUndefined();
    expect(configValueFor(values, 'concurrency', 'fix')).toEqual({ keyPath: 'concurrency', value: 4 });
    expect(configValueFor(values, 'only', 'batch')).toEqual({ keyPath: 'batch.only', value: ['a*', 'b*'] });
    expect(configValueFor(values, 'queueName', 'queue')).toEqual({ keyPath: 'queue.queueName', value: 'nightly' });
    expect(configValueFor(values, 'prefix', 'upload')).toBeUndefined();
  });

  it('a key that is both a command and a setting is a section when its value is an object (queue, sandbox, wait)', () => {
    const values = configValues({ queue: 'redis://queue:6379', sandbox: true, wait: { timeout: 60 } }, FILE);
    expect(configValueFor(values, 'queue', 'worker')).toEqual({ keyPath: 'queue', value: 'redis://queue:6379' });
    expect(configValueFor(values, 'sandbox', 'run')).toEqual({ keyPath: 'sandbox', value: true });
    expect(configValueFor(values, 'timeout', 'wait')).toEqual({ keyPath: 'wait.timeout', value: 60 });
  });
});
