import { z } from 'zod';
import { REFERENCE_MODEL, TEXT_MODEL } from './profile.js';

/** Field schemas shared by both models, as the OpenAPI documents define them (types and enums; ranges live in the profile). */
const fieldSchemas = {
  prompt: z.string(),
  duration: z.number().int(),
  quality: z.enum(['480p', '720p', '1080p', '4k']),
  aspect_ratio: z.enum(['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', 'adaptive']),
  generate_audio: z.boolean(),
  content_filter: z.boolean(),
  callback_url: z.string(),
  mediaUrls: z.array(z.string()),
  model_params: z.object({ web_search: z.boolean().optional() }).loose(),
} as const;

const common = {
  prompt: fieldSchemas.prompt,
  duration: fieldSchemas.duration.min(4).max(15).optional(),
  quality: fieldSchemas.quality.optional(),
  aspect_ratio: fieldSchemas.aspect_ratio.optional(),
  generate_audio: fieldSchemas.generate_audio.optional(),
  content_filter: fieldSchemas.content_filter.optional(),
  callback_url: fieldSchemas.callback_url.max(2048).optional(),
};

/** seedance-2.0-reference-to-video request body (reference-to-video.yaml VideoGenerationRequest). */
export const referenceRequestSchema = z
  .object({
    model: z.literal(REFERENCE_MODEL),
    ...common,
    image_urls: fieldSchemas.mediaUrls.max(9).optional(),
    video_urls: fieldSchemas.mediaUrls.max(3).optional(),
    audio_urls: fieldSchemas.mediaUrls.max(3).optional(),
  })
  .loose();

/** seedance-2.0-text-to-video request body (text-to-video.yaml VideoGenerationRequest). */
export const textRequestSchema = z
  .object({
    model: z.literal(TEXT_MODEL),
    ...common,
    model_params: fieldSchemas.model_params.optional(),
  })
  .loose();

export const videoRequestSchema = z.discriminatedUnion('model', [referenceRequestSchema, textRequestSchema]);

export type ReferenceRequest = z.infer<typeof referenceRequestSchema>;
export type TextRequest = z.infer<typeof textRequestSchema>;
export type VideoRequest = z.infer<typeof videoRequestSchema>;

export { KNOWN_FIELDS, MEDIA_FIELDS, type MediaField } from './request-fields.js';
