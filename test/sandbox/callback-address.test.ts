import { describe, expect, it } from 'vitest';
import { refuseCallback } from '../../src/sandbox/callback-address.js';

describe("refuseCallback: the sandbox's own reading of callback_url", () => {
  it.each([
    ['https://hooks.example/done', null],
    ['https://8.8.8.8/done', null],
    ['https://172.32.0.1/done', null],
    ['https://[2001:db8::1]/done', null],
    ['http://hooks.example/done', { kind: 'not_https', protocol: 'http' }],
    ['ftp://hooks.example/done', { kind: 'not_https', protocol: 'ftp' }],
    ['not a url', { kind: 'not_a_url' }],
    // the four ranges the documents list
    ['https://127.0.0.1/x', { kind: 'private_host', host: '127.0.0.1' }],
    ['https://10.1.2.3/x', { kind: 'private_host', host: '10.1.2.3' }],
    ['https://172.16.0.1/x', { kind: 'private_host', host: '172.16.0.1' }],
    ['https://172.31.255.255/x', { kind: 'private_host', host: '172.31.255.255' }],
    ['https://192.168.1.4/x', { kind: 'private_host', host: '192.168.1.4' }],
    // and what "など" is read to cover
    ['https://127.8.9.10/x', { kind: 'private_host', host: '127.8.9.10' }],
    ['https://169.254.169.254/latest', { kind: 'private_host', host: '169.254.169.254' }],
    ['https://0.0.0.0/x', { kind: 'private_host', host: '0.0.0.0' }],
    ['https://localhost:8443/x', { kind: 'private_host', host: 'localhost' }],
    ['https://api.localhost/x', { kind: 'private_host', host: 'api.localhost' }],
    ['https://[::1]/x', { kind: 'private_host', host: '::1' }],
    ['https://[fd12:3456::1]/x', { kind: 'private_host', host: 'fd12:3456::1' }],
    ['https://[fe80::1]/x', { kind: 'private_host', host: 'fe80::1' }],
    ['https://[::ffff:10.0.0.1]/x', { kind: 'private_host', host: '::ffff:a00:1' }],
  ])('%s', (url, expected) => {
    expect(refuseCallback(url, 2048)).toEqual(expected);
  });

  it('counts characters against the limit', () => {
    const url = `https://hooks.example/${'a'.repeat(2048 - 22)}`;
    expect(refuseCallback(url, 2048)).toBeNull();
    expect(refuseCallback(`${url}a`, 2048)).toEqual({ kind: 'too_long', length: 2049 });
  });
});
