import { BlockList, isIP } from 'node:net';
import { REDACTED } from '../shared/redact.js';

/** Loopback, private, link-local, unique-local and other non-public ranges (docs/LIMITS.md#request.callback_url). */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

export type CallbackProblem =
  | { kind: 'not_a_url' }
  /** user:password@ before the host; `shown`: scheme, "***@" and host, the path and query left out (a token may be there). */
  | { kind: 'credentials'; shown: string }
  | { kind: 'not_https'; protocol: string }
  | { kind: 'private_host'; host: string }
  | { kind: 'too_long'; length: number };

/**
 * What is wrong with a callback URL, or null. Pure: no DNS lookup (a public name may still resolve privately).
 * Credentials are refused: the request is sent and journaled as written, so a password there would be kept on disk.
 */
export function callbackUrlProblem(value: string, maxLength: number): CallbackProblem | null {
  if (value.length > maxLength) return { kind: 'too_long', length: value.length };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { kind: 'not_a_url' };
  }
  if (url.username !== '' || url.password !== '') return { kind: 'credentials', shown: `${url.protocol}//${REDACTED}@${url.host}${url.pathname === '/' && !url.search && !url.hash ? '/' : '/…'}` };
  if (url.protocol !== 'https:') return { kind: 'not_https', protocol: url.protocol.replace(/:$/, '') };
  if (isPrivateHost(url.hostname)) return { kind: 'private_host', host: url.hostname };
  return null;
}

/** True for localhost names and addresses outside the public internet. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) return PRIVATE.check(host, 'ipv4');
  if (family === 6) {
    const mapped = host.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
    if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
    const hexMapped = host.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
    if (hexMapped) {
      const [hi, lo] = [parseInt(hexMapped[1]!, 16), parseInt(hexMapped[2]!, 16)];
      return PRIVATE.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
    }
    return PRIVATE.check(host, 'ipv6');
  }
  return false;
}
