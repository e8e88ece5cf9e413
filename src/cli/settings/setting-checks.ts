import { existsSync } from 'node:fs';
import { BUILTIN_PROFILES } from '../../spec/builtin-profiles.js';
import { redactUrls } from '../../shared/redact.js';
import { UploadSettingsError, parseExpires, parseUrlMode } from '../../upload/upload-settings.js';
import { UsageError } from '../io.js';
import { parseAudioFormat, parseConcurrency, parseFit, parseSecondsOrZero } from '../parse-options.js';
import { parseSeconds } from '../parse-seconds.js';
import type { SettingCheck } from './setting-table.js';

/** The check each flag's value meets when it comes from a variable or a config file; `name` says which, in the message. */
export const SETTING_CHECKS: Record<SettingCheck, (value: string, name: string) => void> = {
  concurrency: (value, name) => void parseConcurrency(value, name),
  seconds: (value, name) => void parseSeconds(name, value),
  'seconds-or-zero': (value, name) => void parseSecondsOrZero(name, value),
  fit: (value, name) => void parseFit(value, name),
  'audio-format': (value, name) => void parseAudioFormat(value, name),
  'url-mode': (value, name) => asUsage(() => parseUrlMode(value, name)),
  expires: (value, name) => asUsage(() => parseExpires(value, name)),
  'http-url': checkHttpUrl,
  profile: checkProfile,
  'fail-on': (value, name) => {
    if (value !== 'error' && value !== 'warning') throw new UsageError(`${name} must be one of error, warning, not ${JSON.stringify(value)}`);
  },
};

function checkHttpUrl(value: string, name: string): void {
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // said below
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new UsageError(`${name} must be an http(s) URL, not "${redactUrls(value)}"`);
}

/** A built-in profile's name, or a file that is there: a name that is neither is said of the variable or key (a path is left to the profile's reader, which names the file). */
function checkProfile(value: string, name: string): void {
  if (Object.hasOwn(BUILTIN_PROFILES, value) || /[\\/]|\.json$/i.test(value) || existsSync(value)) return;
  const known = Object.keys(BUILTIN_PROFILES).join(', ');
  throw new UsageError(`${name} is ${JSON.stringify(value)}: not a built-in profile (${known}) and no such file; give one of those names or a JSON file's path`);
}

function asUsage(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    throw error instanceof UploadSettingsError ? new UsageError(error.message) : error;
  }
}
