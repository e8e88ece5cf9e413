import { BOTH_DOCS as BOTH, cite, REFERENCE_DOC as REF, TEXT_DOC } from './cite.js';
import { REFERENCE_MODEL, TEXT_MODEL, type Profile } from './profile.js';

const MB = 1_000_000;

/** The limits as the seed documents give them, the default profile; each source cites its section of docs/LIMITS.md. */
export const SEED_PROFILE: Profile = {
  name: 'seed',
  description: 'Limits of the seed documents (docs/LIMITS.md), MB read as 10^6 bytes',
  bytesPerMB: { value: MB, source: cite('reading.mb', 'the documents write "MB" without saying which; the stricter 10^6 reading') },
  image: {
    formats: { value: ['jpeg', 'png', 'webp'], source: cite('image.format', `${REF} image_urls: .jpeg, .png, .webp`) },
    side: { value: { min: 300, max: 6000 }, source: cite('image.dimensions', `${REF} image_urls: 300〜6000 px`) },
    aspectRatio: { value: { min: 0.4, max: 2.5 }, source: cite('image.aspect_ratio', `${REF} image_urls: 0.4〜2.5`) },
    maxBytes: { value: 30 * MB, source: cite('image.size', `${REF} image_urls: 30MB 以内`) },
  },
  video: {
    formats: { value: ['mp4', 'mov'], source: cite('video.format', `${REF} video_urls: .mp4, .mov`) },
    codecs: { value: ['h264', 'hevc'], source: cite('video.codec', 'reading "Codecs": the documents name no codec; H.264 is the safe target, HEVC accepted with a warning') },
    riskyCodecs: { value: ['hevc'], source: cite('video.codec', 'reading "Codecs": HEVC in MP4/MOV is accepted with a warning') },
    audioCodecs: { value: ['aac', 'mp3'], source: cite('video.audio_codec', 'reading "Codecs": AAC or MP3 audio in MP4') },
    duration: { value: { min: 2, max: 15 }, source: cite('video.duration', `${REF} video_urls: 2〜15 秒`) },
    aspectRatio: { value: { min: 0.4, max: 2.5 }, source: cite('video.aspect_ratio', `${REF} video_urls: 0.4〜2.5`) },
    side: { value: { min: 300, max: 6000 }, source: cite('video.dimensions', `${REF} video_urls: 300〜6000 px`) },
    pixels: { value: { min: 409_600, max: 2_086_876 }, source: cite('video.pixels', `${REF} video_urls: 409,600〜2,086,876`) },
    maxPixelsUpTo720p: { value: 927_408, source: cite('video.pixels_for_quality', `reading "Pixel cap": 927,408 (834×1112) for 480p/720p output; ${REF} video_urls: 例 640×640〜834×1112`) },
    maxBytes: { value: 50 * MB, source: cite('video.size', `${REF} video_urls: 50MB 以内`) },
    fps: { value: { min: 24, max: 60 }, source: cite('video.fps', `${REF} video_urls: 24〜60 FPS`) },
    durationTolerance: { value: 0.1, source: cite('reading.duration_tolerance', 'container and stream durations more than 0.1 s apart are suspect') },
  },
  audio: {
    formats: { value: ['wav', 'mp3'], source: cite('audio.format', `${REF} audio_urls: .wav, .mp3`) },
    duration: { value: { min: 2, max: 15 }, source: cite('audio.duration', `${REF} audio_urls: 2〜15 秒`) },
    maxBytes: { value: 15 * MB, source: cite('audio.size', `${REF} audio_urls: 15MB 以内`) },
  },
  request: {
    models: { value: [REFERENCE_MODEL, TEXT_MODEL], source: cite('request.model', `${BOTH} model enum`) },
    maxImages: { value: 9, source: cite('request.image_count', `${REF} image_urls: 0〜9 枚 (maxItems 9)`) },
    maxVideos: { value: 3, source: cite('request.video_count', `${REF} video_urls: 0〜3 本 (maxItems 3)`) },
    maxAudios: { value: 3, source: cite('request.audio_count', `${REF} audio_urls: 0〜3 本 (maxItems 3)`) },
    totalVideoSeconds: { value: 15, source: cite('request.video_total_duration', `${REF} video_urls: 合計時間 ≤ 15 秒`) },
    totalAudioSeconds: { value: 15, source: cite('request.audio_total_duration', `${REF} audio_urls: 合計時間 ≤ 15 秒`) },
    totalMediaBytes: { value: 64 * MB, source: cite('request.total_size', `reading "64 MB request body": read as all referenced media ≤ 64 MB; ${REF} image_urls / video_urls / audio_urls: リクエストボディの合計サイズは 64MB 以内`) },
    promptMaxTokens: { value: 10_000, source: cite('request.prompt', `${BOTH} prompt: 最大長 10000 tokens`) },
    promptRecommendedChineseChars: { value: 500, source: cite('request.prompt_length', `${BOTH} prompt: 中国語は500文字以内を推奨`) },
    promptRecommendedEnglishWords: { value: 1000, source: cite('request.prompt_length', `${TEXT_DOC} prompt: 英語は1000ワード以内を推奨`) },
    duration: { value: { min: 4, max: 15 }, source: cite('request.duration', `${BOTH} duration: minimum 4, maximum 15`) },
    qualities: { value: ['480p', '720p', '1080p', '4k'], source: cite('request.quality', `${BOTH} quality enum`) },
    aspectRatios: { value: ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', 'adaptive'], source: cite('request.aspect_ratio', `${BOTH} aspect_ratio enum`) },
    callbackMaxLength: { value: 2048, source: cite('request.callback_url', `${BOTH} callback_url: 2048 文字以内`) },
  },
};
