import { BlockList, isIP } from 'node:net';

/**
 * The sandbox's own reading of callback_url's security rule (both documents: プライベートIPアドレスへのコールバックは禁止
 * (127.0.0.1、10.x.x.x、172.16-31.x.x、192.168.x.x など)), kept apart from src/check so a wrong rule there cannot pass
 * on both sides. "など" is read as the other addresses a server cannot call out to: loopback, link-local, unique-local,
 * unspecified, and the name localhost.
 */
const REFUSED = new BlockList();
REFUSED.addSubnet('127.0.0.0', 8, 'ipv4');
REFUSED.addSubnet('10.0.0.0', 8, 'ipv4');
REFUSED.addSubnet('172.16.0.0', 12, 'ipv4');
REFUSED.addSubnet('192.168.0.0', 16, 'ipv4');
REFUSED.addSubnet('169.254.0.0', 16, 'ipv4');
REFUSED.addAddress('0.0.0.0', 'ipv4');
REFUSED.addAddress('::1', 'ipv6');
REFUSED.addAddress('::', 'ipv6');
REFUSED.addSubnet('fc00::', 7, 'ipv6');
REFUSED.addSubnet('fe80::', 10, 'ipv6');

export type CallbackRefusal =
  | { kind: 'too_long'; length: number }
  | { kind: 'not_a_url' }
  | { kind: 'not_https'; protocol: string }
  | { kind: 'private_host'; host: string };

/** Why the provider would refuse this callback_url, or null. Pure: names are not resolved. */
export function refuseCallback(value: string, maxLength: number): CallbackRefusal | null {
  if (value.length > maxLength) return { kind: 'too_long', length: value.length };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { kind: 'not_a_url' };
  }
  if (url.protocol !== 'https:') return { kind: 'not_https', protocol: url.protocol.slice(0, -1) };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || isRefusedAddress(host)) return { kind: 'private_host', host };
  return null;
}

function isRefusedAddress(host: string): boolean {
  const family = isIP(host);
  if (family === 4) return REFUSED.check(host, 'ipv4');
  // BlockList matches an IPv4-mapped IPv6 address (::ffff:10.0.0.1) against the IPv4 ranges too
  return family === 6 && REFUSED.check(host, 'ipv6');
}
