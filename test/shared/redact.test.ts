import { describe, expect, it } from 'vitest';
import { hasCredentials, redactForOutput, redactUrls, secretValuesOf, withoutCredentials } from '../../src/shared/redact.js';

describe('redactUrls: what a URL carries before its host is shown as ***', () => {
  it.each([
    ['http://user:pw@127.0.0.1:4568/', 'http://***@127.0.0.1:4568/'],
    ['https://admin@s3.example.com', 'https://***@s3.example.com'],
    ['redis://:s3cret@queue-host:6379/0', 'redis://***@queue-host:6379/0'],
    ['http://u:p@ss@proxy:3128', 'http://***@proxy:3128'],
    ['create request to http://u:pw@api:80/v1/x failed; see https://h/path@not-userinfo', 'create request to http://***@api:80/v1/x failed; see https://h/path@not-userinfo'],
    ['{"url":"https://k:v@cdn.example/a.png","by":"a@b.c"}', '{"url":"https://***@cdn.example/a.png","by":"a@b.c"}'],
    ['http://***@127.0.0.1:4568/', 'http://***@127.0.0.1:4568/'],
    ['https://api.evolink.ai/v1/tasks/task-unified-1', 'https://api.evolink.ai/v1/tasks/task-unified-1'],
    ['mail me at someone@example.com', 'mail me at someone@example.com'],
  ])('%s → %s', (text, shown) => {
    expect(redactUrls(text)).toBe(shown);
  });
});

describe('withoutCredentials and hasCredentials', () => {
  it.each([
    ['http://user:pw@127.0.0.1:4568/', 'http://127.0.0.1:4568/', true],
    ['https://cdn.example/base/', 'https://cdn.example/base/', false],
    ['not a url', 'not a url', false],
  ])('%s → %s', (url, stripped, carries) => {
    expect(withoutCredentials(url)).toBe(stripped);
    expect(hasCredentials(url)).toBe(carries);
  });
});

describe('secretValuesOf and redactForOutput', () => {
  const env = { EVOLINK_API_KEY: 'sk-live-abcdef', AWS_SECRET_ACCESS_KEY: 'aws/secret+value', SEEDANCE_QUEUE_URL: 'redis://:p%40ssword1@h:6379', HTTPS_PROXY: 'http://u:x@proxy', AWS_SESSION_TOKEN: '' };
  it('takes the secret variables and the passwords of URL variables (decoded and as written), none shorter than 6 characters', () => {
    expect(secretValuesOf(env)).toEqual(['aws/secret+value', 'sk-live-abcdef', 'p%40ssword1', 'p@ssword1']);
  });
  it('masks both URL credentials and the secret values', () => {
    expect(redactForOutput('key sk-live-abcdef, redis p@ssword1, url http://u:x@proxy', env)).toBe('key ***, redis ***, url http://***@proxy');
  });
  it.each([
    ['HTML/XML-escaped', 'k="s&lt;e&quot;c&#39;r&amp;t"', 'k="***"'],
    ['XML with &apos;', 's&lt;e&quot;c&apos;r&amp;t', '***'],
    ['JSON-escaped', '{"key":"s<e\\"c\'r&t"}', '{"key":"***"}'],
    ['as written', "s<e\"c'r&t!", '***!'],
    ['no secret there', 'nothing to hide', 'nothing to hide'],
  ])('masks a secret with markup characters as an HTML, XML or JSON writer escapes it: %s', (_name, text, shown) => {
    expect(redactForOutput(text, { EVOLINK_API_KEY: "s<e\"c'r&t" })).toBe(shown);
  });
  it('an environment without secrets masks URL credentials only', () => {
    expect(redactForOutput('sk-live-abcdef at http://u:x@h/', {})).toBe('sk-live-abcdef at http://***@h/');
  });
});
