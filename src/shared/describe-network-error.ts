import { redactUrls } from './redact.js';

/** The system error code of a failed connection ("ECONNREFUSED"): undici keeps it in `cause`, Node's own clients on the error. */
export function networkErrorCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | null | undefined)?.code;
  const cause = (error as { cause?: { code?: unknown } } | null | undefined)?.cause?.code;
  const code = typeof cause === 'string' ? cause : own;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** A failed connection in a few words: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9", else the error's message; URL credentials masked. */
export function describeNetworkError(error: unknown): string {
  return redactUrls(describeCause(error));
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null | undefined)?.cause;
  const code = networkErrorCode(error);
  if (code) {
    const source = typeof cause?.code === 'string' ? cause : (error as { message?: unknown });
    const message = typeof source.message === 'string' ? source.message : '';
    return message && message !== code ? `${code}: ${message}` : code;
  }
  return error instanceof Error ? error.message : String(error);
}
