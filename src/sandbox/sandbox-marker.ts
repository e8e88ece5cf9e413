/**
 * Names the API base of a sandbox (set by --sandbox, printed by `sandbox`). A run whose API base is this one, on a
 * loopback address, records its tasks as the sandbox's: they bill nothing, so a journal may start over when that
 * sandbox no longer knows them. A stale value in a shell marks nothing once the API base points elsewhere.
 */
export const SANDBOX_API_BASE_ENV = 'SEEDANCE_SANDBOX_API_BASE';

/** Whether `apiBase` is the sandbox the environment names (and a loopback address: a real provider never is). */
export function isSandboxApiBase(env: NodeJS.ProcessEnv, apiBase: string): boolean {
  const named = env[SANDBOX_API_BASE_ENV];
  if (!named || trimSlash(named) !== trimSlash(apiBase)) return false;
  try {
    return isLoopbackHost(new URL(apiBase).hostname);
  } catch {
    return false;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts a sandbox listens on. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
