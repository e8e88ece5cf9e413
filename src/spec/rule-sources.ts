import { BOTH_DOCS, cite, REFERENCE_DOC, TEXT_DOC } from './cite.js';

const FILE_UNREADABLE = 'seedance-preflight: a file the provider would fail to read (the documents accept readable images, videos and audio only)';
const MEDIA_FIELDS = 'image_urls / video_urls / audio_urls';

/**
 * What each rule rests on when no profile limit carries it (a profile limit's own source is cited instead where there is
 * one). Keys are rule ids; the limits document shows each under its rule.
 */
export const RULE_BASIS = {
  'file.not_found': FILE_UNREADABLE,
  'file.not_a_file': FILE_UNREADABLE,
  'file.unreadable': FILE_UNREADABLE,
  'file.empty': FILE_UNREADABLE,
  'file.unknown_format': FILE_UNREADABLE,
  'file.corrupt': FILE_UNREADABLE,
  'file.damaged': 'seedance-preflight: the provider reads the header (a cut file is judged whole, a lying length misread); README "What damaged means"',
  'file.too_large_to_decode': 'seedance-preflight: decoding is bounded so a decompression bomb cannot exhaust memory',
  'file.outside_job': 'seedance-preflight: reads stay inside the job (README "What it guarantees"); nothing outside a job is opened',
  'file.extension_mismatch': 'reading "Extension vs content": the documents list formats by extension; the bytes decide, the copy takes their extension',
  'image.color_space': `${REFERENCE_DOC} image_urls: .jpeg, .png, .webp, read as RGB images; a CMYK JPEG is a print format`,
  'video.hdr': 'reading "Codecs": HDR shown as SDR looks washed out; whenever fix re-encodes it, it tone-maps to SDR BT.709',
  'video.vfr': 'reading "Frame rate": the average frame rate is judged; a variable frame rate is a warning',
  'audio.codec': `${REFERENCE_DOC} audio_urls: .wav, .mp3, read as PCM WAV (what every decoder takes) and MPEG layer III`,
  'request.json': `${BOTH_DOCS} request body: a JSON object with the API's own field names; seedance-preflight: the request file is a regular file inside the job, read with a bound`,
  'request.prompt': 'seedance-preflight: prompt.txt is a regular file inside the job, read with a bound (README "What it guarantees")',
  'request.prompt_reference': `${REFERENCE_DOC} prompt: 「先頭フレームは画像1」「動画1のカメラワーク…」: media are numbered in the order of each array`,
  'request.generate_audio': `${BOTH_DOCS} generate_audio: type boolean, default true`,
  'request.content_filter': `${BOTH_DOCS} content_filter: type boolean, default true`,
  'request.callback_url': `${BOTH_DOCS} callback_url: HTTPS プロトコルのみ対応; プライベートIPアドレスへのコールバックは禁止（127.0.0.1、10.x.x.x、172.16-31.x.x、192.168.x.x など）, read as every loopback, private, link-local and unique-local address, and localhost`,
  'request.web_search': `${TEXT_DOC} model_params.web_search: type boolean, default false; ${REFERENCE_DOC} has no model_params`,
  'request.unknown_field': `${BOTH_DOCS} request body: the fields the documents define`,
  'request.media_url': `${REFERENCE_DOC} ${MEDIA_FIELDS}: URLs (format uri) the provider's servers can reach directly; Base64エンコードは使用しないでください`,
  'request.media_kind': `${REFERENCE_DOC}: images in image_urls, videos in video_urls, audio in audio_urls`,
  'request.media_for_text_model': `${TEXT_DOC} request body: no image_urls, video_urls or audio_urls`,
  'request.audio_only': `${REFERENCE_DOC} audio_urls: 音声のみの入力はできません`,
  'request.url_unreachable': `${REFERENCE_DOC} ${MEDIA_FIELDS}: サーバーから直接アクセス可能である必要があります`,
  'request.url_content_type': `${REFERENCE_DOC} ${MEDIA_FIELDS}: the provider fetches each URL and refuses one served as another kind of media`,
  'request.url_media_unread': `${REFERENCE_DOC} ${MEDIA_FIELDS}: the provider fetches each URL and reads the file it serves; seedance-preflight: what could not be read within the budget is not judged`,
} as const;

export type BasisRule = keyof typeof RULE_BASIS;

/** The source of a violation of a rule no profile limit carries. */
export function ruleSource(rule: BasisRule): string {
  return cite(rule, RULE_BASIS[rule]);
}
