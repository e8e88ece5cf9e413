/** How a media URL stands in for a file name: shown without credentials, its extension from the path alone. Pure. */
import { extensionMatchesFormat } from '../detect-format.js';
import type { MediaFormat } from '../media-info.js';
import { redactUrls } from '../../shared/redact.js';

/** The URL as every output shows it ("https://***@host/…" when it carries a user or password). */
export function shownUrl(url: string): string {
  return redactUrls(url);
}

/** The lower-case extension of the URL's path ("clip.webm?sig=…" → "webm"), '' when its last segment has none. */
export function urlExtension(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return '';
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** A URL without an extension names no format, so it cannot mismatch one (unlike a file name: the provider reads the bytes). */
export function urlExtensionMatches(extension: string, format: MediaFormat): boolean {
  return extension === '' || extensionMatchesFormat(extension, format);
}
