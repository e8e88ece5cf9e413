/** Media fields, in the order the prompt numbers them. */
export const MEDIA_FIELDS = ['image_urls', 'video_urls', 'audio_urls'] as const;
export type MediaField = (typeof MEDIA_FIELDS)[number];

/** Every top-level field either document defines. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'model', 'prompt', 'duration', 'quality', 'aspect_ratio', 'generate_audio', 'content_filter', 'callback_url',
  'image_urls', 'video_urls', 'audio_urls', 'model_params',
]);
