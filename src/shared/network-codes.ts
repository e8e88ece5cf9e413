/** errno names of a failed network connection or name lookup: errno-shaped, but never about a file (Redis, the API, the store). */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'ENOTCONN',
  'EPIPE',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'EPROTO',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
]);

/** Calls that only a network operation makes. */
export const NETWORK_SYSCALLS: ReadonlySet<string> = new Set(['connect', 'getaddrinfo', 'getnameinfo', 'listen', 'bind', 'accept', 'send', 'recv']);
