import { describe, expect, it } from 'vitest';
import { describeNetworkError, networkErrorCode } from '../../src/shared/describe-network-error.js';

const undici = (code: string, message: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('describeNetworkError', () => {
  it.each([
    ['undici, the system error in cause', undici('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), 'ECONNREFUSED', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9'],
    ['undici, a cause without a message (AggregateError of two addresses)', undici('ECONNREFUSED', ''), 'ECONNREFUSED', 'ECONNREFUSED'],
    ['a socket closed mid-answer', undici('UND_ERR_SOCKET', 'other side closed'), 'UND_ERR_SOCKET', 'UND_ERR_SOCKET: other side closed'],
    ["Node's own clients: the code on the error", Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' }), 'ENOTFOUND', 'ENOTFOUND: getaddrinfo ENOTFOUND nowhere.invalid'],
    ['no code: the message', new Error('no answer within 60 s'), undefined, 'no answer within 60 s'],
    ['not an error at all', 'boom', undefined, 'boom'],
  ])('%s', (_name, error, code, text) => {
    expect(networkErrorCode(error)).toBe(code);
    expect(describeNetworkError(error)).toBe(text);
  });
});
