/** Text for HTML content and attribute values: &, <, >, " and ' escaped. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A relative file path as a URL path: each segment percent-encoded ("a b#1.jpg" → "a%20b%231.jpg"), then escaped for an attribute. */
export function fileUrl(relativePath: string): string {
  return esc(relativePath.split('/').map(encodeURIComponent).join('/'));
}
