/** Every rule id the tool reports, with what it checks. Ids are stable: scripts and CI configurations match on them. */
export const RULES = {
  'file.not_found': { scope: 'file', title: 'The path exists' },
  'file.not_a_file': { scope: 'file', title: 'The path is a regular file' },
  'file.unreadable': { scope: 'file', title: 'The file can be read (permissions, symbolic links)' },
  'file.outside_job': { scope: 'file', title: "A job's file resolves (symbolic links included) inside the job's folder, unless --allow-outside-paths" },
  'file.empty': { scope: 'file', title: 'The file is not empty' },
  'file.unknown_format': { scope: 'file', title: 'The bytes are an image, video or audio format' },
  'file.corrupt': { scope: 'file', title: "The file decodes: not truncated, not missing its index; its video (an audio file's audio) has a decoder here, a sample description and samples, and its frames are in the file (not a reference movie); a video's audio that does not decode is a warning (fix drops it: no sound)" },
  'file.damaged': { scope: 'file', title: 'The bytes hold what the headers promise (the kind of damage is data: truncated, impossible, header_mismatch, fragment); fixable only when what decodes is usable' },
  'file.too_large_to_decode': { scope: 'file', title: 'An image that must be decoded to be verified stays within the decoding pixel bound' },
  'file.extension_mismatch': { scope: 'file', title: 'The extension names the format the bytes hold' },

  'image.format': { scope: 'image', title: 'Image format is JPEG, PNG or WebP' },
  'image.dimensions': { scope: 'image', title: 'Image width and height are 300–6000 px' },
  'image.aspect_ratio': { scope: 'image', title: 'Image width / height is 0.4–2.5' },
  'image.size': { scope: 'image', title: 'Image file is at most 30 MB' },
  'image.color_space': { scope: 'image', title: 'Image colours are RGB, not CMYK (warning)' },

  'video.format': { scope: 'video', title: 'Video container is MP4 or MOV' },
  'video.codec': { scope: 'video', title: 'Video codec is H.264 (HEVC accepted with a warning)' },
  'video.audio_codec': { scope: 'video', title: "A video's audio track is AAC or MP3" },
  'video.dimensions': { scope: 'video', title: 'Video width and height are 300–6000 px' },
  'video.aspect_ratio': { scope: 'video', title: 'Video width / height is 0.4–2.5' },
  'video.pixels': { scope: 'video', title: 'Video width × height is 409,600–2,086,876' },
  'video.pixels_for_quality': { scope: 'video', title: 'For 480p or 720p output (the default), a reference video is at most 927,408 pixels' },
  'video.hdr': { scope: 'video', title: 'Video is SDR (HDR is tone-mapped to BT.709 when re-encoded)' },
  'video.duration': { scope: 'video', title: 'Video lasts 2–15 s' },
  'video.duration_mismatch': { scope: 'video', title: 'Container and stream durations agree within 0.1 s' },
  'video.size': { scope: 'video', title: 'Video file is at most 50 MB' },
  'video.fps': { scope: 'video', title: 'Video frame rate is 24–60 FPS' },
  'video.vfr': { scope: 'video', title: 'Video frame rate is constant' },

  'audio.format': { scope: 'audio', title: 'Audio format is WAV or MP3' },
  'audio.codec': { scope: 'audio', title: 'A WAV holds PCM (not GSM, A-law, µ-law, ADPCM or MP3), an MP3 holds layer III (warning)' },
  'audio.duration': { scope: 'audio', title: 'Audio lasts 2–15 s' },
  'audio.duration_mismatch': { scope: 'audio', title: 'Container and stream durations agree within 0.1 s' },
  'audio.size': { scope: 'audio', title: 'Audio file is at most 15 MB' },

  'request.json': { scope: 'request', title: 'The request file is a JSON object' },
  'request.model': { scope: 'request', title: 'model is a Seedance 2.0 model' },
  'request.prompt': { scope: 'request', title: 'prompt is present and within 10,000 tokens (conservative estimate)' },
  'request.prompt_length': { scope: 'request', title: 'prompt is within the recommended length' },
  'request.prompt_reference': { scope: 'request', title: "The prompt's references (image 3, @Video1…) point at media that are given" },
  'request.duration': { scope: 'request', title: 'duration is an integer 4–15' },
  'request.quality': { scope: 'request', title: 'quality is 480p, 720p, 1080p or 4k' },
  'request.aspect_ratio': { scope: 'request', title: 'aspect_ratio is one of the documented ratios' },
  'request.generate_audio': { scope: 'request', title: 'generate_audio is a boolean' },
  'request.content_filter': { scope: 'request', title: 'content_filter is a boolean' },
  'request.callback_url': { scope: 'request', title: 'callback_url is HTTPS, public, at most 2,048 characters' },
  'request.web_search': { scope: 'request', title: 'model_params.web_search is a boolean, for text-to-video only' },
  'request.unknown_field': { scope: 'request', title: 'Fields are ones the documents define (a near miss names the field it likely means)' },
  'request.media_url': { scope: 'request', title: 'Media entries are local paths or http(s) URLs, never data URIs or Base64' },
  'request.media_kind': { scope: 'request', title: 'Each media array holds its own kind (images in image_urls…)' },
  'request.media_for_text_model': { scope: 'request', title: 'text-to-video has no image_urls, video_urls or audio_urls' },
  'request.image_count': { scope: 'request', title: 'At most 9 images' },
  'request.video_count': { scope: 'request', title: 'At most 3 videos' },
  'request.audio_count': { scope: 'request', title: 'At most 3 audio files' },
  'request.audio_only': { scope: 'request', title: 'Audio comes with at least one image or video' },
  'request.video_total_duration': { scope: 'request', title: 'All videos together last at most 15 s' },
  'request.audio_total_duration': { scope: 'request', title: 'All audio together lasts at most 15 s' },
  'request.total_size': { scope: 'request', title: 'All referenced media together are at most 64 MB' },
  'request.url_unreachable': { scope: 'request', title: 'A media URL answers a GET (checked with --remote)' },
  'request.url_content_type': { scope: 'request', title: "A media URL's content type matches its kind (checked with --remote)" },
  'request.url_media_unread': { scope: 'request', title: "A media URL's header is read within the byte budget, so the file rules judge it (checked with --remote; warning: what was not read is not judged)" },
} as const satisfies Record<string, { scope: 'file' | 'image' | 'video' | 'audio' | 'request'; title: string }>;

export type RuleId = keyof typeof RULES;

/** The rules evaluated for a file of this kind (for reports that list passing rules too). */
export function rulesForKind(kind: 'image' | 'video' | 'audio'): RuleId[] {
  return (Object.keys(RULES) as RuleId[]).filter((id) => RULES[id].scope === kind || id === 'file.extension_mismatch');
}
