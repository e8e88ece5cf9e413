import { describe, expect, it } from 'vitest';
import { MISSING_TEXT, awsCredentialsFindable, settingsProblems, settingsProblemsLine, type SettingsCommand, type SettingsInput } from '../../src/cli/settings-check.js';

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' };
/** The EC2 metadata service ruled out: only what the environment and files hold can supply credentials. */
const NO_IMDS = { AWS_EC2_METADATA_DISABLED: 'true' };
const ALL = { ...KEYS, SEEDANCE_S3_BUCKET: 'media', EVOLINK_API_KEY: 'key', SEEDANCE_QUEUE_URL: 'redis://127.0.0.1:6379' };

function problems(command: SettingsCommand, env: NodeJS.ProcessEnv, more: Partial<SettingsInput> = {}): string[] {
  return settingsProblems({ command, dryRun: false, env, flags: {}, awsSharedFileExists: false, ...more }).map((p) => `${p.state} ${p.setting}`);
}

describe('settingsProblems: what each command needs', () => {
  it.each<[SettingsCommand, boolean, string[]]>([
    ['upload', false, ['missing bucket', 'missing aws-credentials']],
    ['submit', false, ['missing api-key']],
    ['submit', true, []],
    ['run', false, ['missing bucket', 'missing aws-credentials', 'missing api-key']],
    ['run', true, []],
    ['batch', false, ['missing bucket', 'missing aws-credentials', 'missing api-key']],
    ['batch', true, []],
    ['worker', false, ['missing queue', 'missing bucket', 'missing aws-credentials', 'missing api-key']],
  ])('%s (dry run %s) with nothing set → %j', (command, dryRun, expected) => {
    expect(problems(command, NO_IMDS, { dryRun })).toEqual(expected);
  });

  it('where an EC2 instance role may answer (the metadata service not switched off), credentials are not called missing up front', () => {
    expect(problems('run', {})).toEqual(['missing bucket', 'missing api-key']);
  });

  it.each<[SettingsCommand]>([['upload'], ['submit'], ['run'], ['batch'], ['worker']])('%s with everything set → none', (command) => {
    expect(problems(command, ALL)).toEqual([]);
  });

  it('a bucket from --bucket counts as from SEEDANCE_S3_BUCKET; a blank one as none', () => {
    expect(problems('upload', KEYS, { flags: { bucket: 'media' } })).toEqual([]);
    expect(problems('upload', { ...KEYS, SEEDANCE_S3_BUCKET: '  ' })).toEqual(['missing bucket']);
  });

  it('a wrong upload value is reported with the missing ones, in dry runs too', () => {
    expect(problems('run', NO_IMDS, { flags: { urlMode: 'private' } })).toEqual(['missing bucket', 'missing aws-credentials', 'missing api-key', 'wrong upload-value']);
    expect(problems('run', { SEEDANCE_S3_EXPIRES: '0' }, { dryRun: true })).toEqual(['wrong upload-value']);
    expect(problems('submit', {}, { dryRun: true, flags: { urlMode: 'private' } })).toEqual([]);
  });

  it('every wrong upload value, each once; a pair that only fails together too', () => {
    const texts = (env: NodeJS.ProcessEnv, flags: SettingsInput['flags']) => settingsProblems({ command: 'upload', dryRun: false, env: { ...ALL, ...env }, flags, awsSharedFileExists: false }).map((p) => p.text);
    expect(texts({ SEEDANCE_S3_EXPIRES: '1h', SEEDANCE_S3_ENDPOINT: 'ftp://x' }, { urlMode: 'private' })).toEqual([
      '--url-mode must be "public" or "presigned", not "private"',
      'SEEDANCE_S3_EXPIRES must be a whole number of seconds, not "1h"',
      'SEEDANCE_S3_ENDPOINT must be an http(s) URL such as https://s3.example.com, not "ftp://x"',
    ]);
    expect(texts({}, { urlMode: 'presigned', publicBaseUrl: 'https://cdn.example.com' })).toEqual(['a public base URL serves public objects: it cannot be used with --url-mode presigned (drop --public-base-url, or use --url-mode public)']);
    expect(texts({}, { expires: '0', urlMode: 'presigned' })).toEqual(['--expires must be between 1 and 604800 seconds (7 days, the longest a presigned URL lives), not 0']);
  });

  it('an API base with user:password@ is wrong for every command that calls the API, not for upload', () => {
    const env = { ...ALL, EVOLINK_BASE_URL: 'https://u:p@api.example.com' };
    expect(problems('run', env)).toEqual(['wrong api-base']);
    expect(problems('upload', env)).toEqual([]);
    expect(settingsProblems({ command: 'run', dryRun: false, env, flags: {}, awsSharedFileExists: false })[0]!.text).toBe('EVOLINK_BASE_URL https://***@api.example.com carries credentials (user:password@), which are never sent (the API takes EVOLINK_API_KEY): remove the "user:password@" part');
    expect(settingsProblems({ command: 'submit', dryRun: false, env: ALL, flags: { apiBase: 'not a url' }, awsSharedFileExists: false })[0]!.text).toBe('--api-base must be an http(s) URL such as https://api.evolink.ai, not "not a url"');
  });
});

describe('awsCredentialsFindable: the SDK chain without its network steps', () => {
  it.each<[string, NodeJS.ProcessEnv, boolean, boolean]>([
    ['nothing, the metadata service off', NO_IMDS, false, false],
    ['nothing, where an EC2 instance role may answer', {}, false, true],
    ['both access-key variables', { ...NO_IMDS, ...KEYS }, false, true],
    ['only the key id', { ...NO_IMDS, AWS_ACCESS_KEY_ID: 'AKIA' }, false, false],
    ['a blank secret', { ...NO_IMDS, AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: ' ' }, false, false],
    ['AWS_PROFILE without a shared file', { ...NO_IMDS, AWS_PROFILE: 'dev' }, false, false],
    ['AWS_PROFILE with a shared file', { ...NO_IMDS, AWS_PROFILE: 'dev' }, true, true],
    ['a shared file (default profile)', NO_IMDS, true, true],
    ['a web identity token', { ...NO_IMDS, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' }, false, true],
    ['a container role', { ...NO_IMDS, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials' }, false, true],
  ])('%s → %s', (_name, env, sharedFile, expected) => {
    expect(awsCredentialsFindable(env, sharedFile)).toBe(expected);
  });
});

describe('settingsProblemsLine', () => {
  it.each<[string[], string]>([
    [['bucket'], `run cannot start: 1 setting is missing: ${MISSING_TEXT.bucket}`],
    [['bucket', 'api-key'], `run cannot start: 2 settings are missing: ${MISSING_TEXT.bucket}; ${MISSING_TEXT['api-key']}`],
    [['wrong'], 'run cannot start: 1 setting is wrong: W'],
    [['bucket', 'wrong'], `run cannot start: 2 settings are missing or wrong: ${MISSING_TEXT.bucket}; W`],
  ])('%j', (which, line) => {
    const list = which.map((w) => (w === 'wrong' ? { setting: 'upload-value' as const, state: 'wrong' as const, text: 'W' } : { setting: w as 'bucket', state: 'missing' as const, text: MISSING_TEXT[w as 'bucket'] }));
    expect(settingsProblemsLine('run', list)).toBe(line);
  });
});
