import { describe, it, expect } from 'vitest';
import { callbackUrlProblem, isPrivateHost, type CallbackProblem } from '../../src/check/callback-url.js';

const MAX = 2048;

describe('callbackUrlProblem', () => {
  const cases: Array<[string, CallbackProblem | null]> = [
    ['https://hooks.example.com/seedance?task=1', null],
    ['https://8.8.8.8/cb', null],
    ['https://[2606:4700:4700::1111]/cb', null],
    ['HTTPS://Hooks.Example.com/cb', null],
    // scheme
    ['http://hooks.example.com/cb', { kind: 'not_https', protocol: 'http' }],
    ['ftp://hooks.example.com/cb', { kind: 'not_https', protocol: 'ftp' }],
    ['wss://hooks.example.com/cb', { kind: 'not_https', protocol: 'wss' }],
    // private hosts (hostname as the URL parser gives it)
    ['https://localhost/cb', { kind: 'private_host', host: 'localhost' }],
    ['https://LOCALHOST:8443/cb', { kind: 'private_host', host: 'localhost' }],
    ['https://localhost./cb', { kind: 'private_host', host: 'localhost.' }],
    ['https://api.localhost/cb', { kind: 'private_host', host: 'api.localhost' }],
    ['https://127.0.0.1/cb', { kind: 'private_host', host: '127.0.0.1' }],
    ['https://127.1/cb', { kind: 'private_host', host: '127.0.0.1' }],
    ['https://2130706433/cb', { kind: 'private_host', host: '127.0.0.1' }],
    ['https://0.0.0.0/cb', { kind: 'private_host', host: '0.0.0.0' }],
    ['https://10.0.0.1/cb', { kind: 'private_host', host: '10.0.0.1' }],
    ['https://10.255.255.255/cb', { kind: 'private_host', host: '10.255.255.255' }],
    ['https://11.0.0.1/cb', null],
    ['https://172.15.255.255/cb', null],
    ['https://172.16.0.1/cb', { kind: 'private_host', host: '172.16.0.1' }],
    ['https://172.31.255.255/cb', { kind: 'private_host', host: '172.31.255.255' }],
    ['https://172.32.0.1/cb', null],
    ['https://192.168.0.1/cb', { kind: 'private_host', host: '192.168.0.1' }],
    ['https://192.169.0.1/cb', null],
    ['https://169.254.169.254/latest/meta-data', { kind: 'private_host', host: '169.254.169.254' }],
    ['https://100.64.0.1/cb', { kind: 'private_host', host: '100.64.0.1' }],
    ['https://[::1]/cb', { kind: 'private_host', host: '[::1]' }],
    ['https://[::]/cb', { kind: 'private_host', host: '[::]' }],
    ['https://[fc00::1]/cb', { kind: 'private_host', host: '[fc00::1]' }],
    ['https://[fd12:3456::1]/cb', { kind: 'private_host', host: '[fd12:3456::1]' }],
    ['https://[fe80::1]/cb', { kind: 'private_host', host: '[fe80::1]' }],
    // IPv4-mapped IPv6: the URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1
    ['https://[::ffff:127.0.0.1]/cb', { kind: 'private_host', host: '[::ffff:7f00:1]' }],
    ['https://[::ffff:10.0.0.1]/cb', { kind: 'private_host', host: '[::ffff:a00:1]' }],
    ['https://[::ffff:8.8.8.8]/cb', null],
    // credentials: refused whatever else is wrong; shown without them, nor the path and query (a token may be there)
    ['https://user:tok@hook.example/x', { kind: 'credentials', shown: 'https://***@hook.example/…' }],
    ['https://user@hook.example/', { kind: 'credentials', shown: 'https://***@hook.example/' }],
    ['https://:secret-pass@hook.example', { kind: 'credentials', shown: 'https://***@hook.example/' }],
    ['https://u:p@hook.example:8443/?sig=abc', { kind: 'credentials', shown: 'https://***@hook.example:8443/…' }],
    ['https://u:p@hook.example/#frag', { kind: 'credentials', shown: 'https://***@hook.example/…' }],
    ['https://u:p%40ss@[2606:4700::1]/cb', { kind: 'credentials', shown: 'https://***@[2606:4700::1]/…' }],
    ['http://u:p@hook.example/cb', { kind: 'credentials', shown: 'http://***@hook.example/…' }],
    ['https://u:p@localhost/cb', { kind: 'credentials', shown: 'https://***@localhost/…' }],
    // an "@" in the path or query is no credential
    ['https://hook.example/to/a@b.c?who=x@y', null],
    // not URLs
    ['hooks.example.com/cb', { kind: 'not_a_url' }],
    ['', { kind: 'not_a_url' }],
    ['https://', { kind: 'not_a_url' }],
  ];
  it.each(cases)('%s', (url, expected) => {
    expect(callbackUrlProblem(url, MAX)).toEqual(expected);
  });

  it('allows 2,048 characters and refuses 2,049 before parsing', () => {
    const at = `https://hooks.example.com/${'a'.repeat(MAX - 26)}`;
    expect(at).toHaveLength(2048);
    expect(callbackUrlProblem(at, MAX)).toBeNull();
    expect(callbackUrlProblem(`${at}b`, MAX)).toEqual({ kind: 'too_long', length: 2049 });
    // length is judged first, even for an http URL
    expect(callbackUrlProblem(`http://${'a'.repeat(2049)}`, MAX)).toEqual({ kind: 'too_long', length: 2056 });
  });
});

describe('isPrivateHost', () => {
  const cases: Array<[string, boolean]> = [
    ['localhost', true],
    ['LocalHost', true],
    ['localhost.', true],
    ['printer.localhost', true],
    ['notlocalhost.com', false],
    ['example.com', false],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.31.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.0.1', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['1.1.1.1', false],
    ['::1', true],
    ['[::1]', true],
    ['fc00::1', true],
    ['fdff::1', true],
    ['fe80::1', true],
    ['ff02::1', true],
    ['2001:4860:4860::8888', false],
    ['::ffff:127.0.0.1', true],
    ['::ffff:192.168.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:c0a8:1', true],
    ['::ffff:808:808', false],
    ['::ffff:8.8.8.8', false],
  ];
  it.each(cases)('%s → %s', (host, expected) => {
    expect(isPrivateHost(host)).toBe(expected);
  });
});
