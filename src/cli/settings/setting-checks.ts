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

function asUsage(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    throw error instanceof UploadSettingsError ? new UsageError(error.message) : error;
  }
}
