import { REFERENCE_MODEL, TEXT_MODEL, type Profile } from './profile.js';

const REF = 'seedance-2.0-reference-to-video.ja.md';
const BOTH = `${REF} and seedance-2.0-text-to-video.ja.md`;
const MB = 1_000_000;

/** The limits as the seed documents give them (LIMITS.md), the default profile. */
export const SEED_PROFILE: Profile = {
  name: 'seed',
  description: 'Limits of the seed documents (LIMITS.md), MB read as 10^6 bytes',
  bytesPerMB: { value: MB, source: 'LIMITS.md ambiguity "MB": the stricter 10^6 reading' },
  image: {
    formats: { value: ['jpeg', 'png', 'webp'], source: `LIMITS.md image.format; ${REF} image_urls: .jpeg, .png, .webp` },
    side: { value: { min: 300, max: 6000 }, source: `LIMITS.md image.dimensions; ${REF} image_urls: 300〜6000 px` },
    aspectRatio: { value: { min: 0.4, max: 2.5 }, source: `LIMITS.md image.aspect_ratio; ${REF} image_urls: 0.4〜2.5` },
    maxBytes: { value: 30 * MB, source: `LIMITS.md image.size; ${REF} image_urls: 30MB 以内` },
  },
  video: {
    formats: { value: ['mp4', 'mov'], source: `LIMITS.md video.format; ${REF} video_urls: .mp4, .mov` },
    codecs: { value: ['h264', 'hevc'], source: 'LIMITS.md ambiguity "Codecs": H.264 is the safe target, HEVC accepted with a warning' },
    riskyCodecs: { value: ['hevc'], source: 'LIMITS.md ambiguity "Codecs": HEVC in MP4/MOV is accepted with a warning' },
    audioCodecs: { value: ['aac', 'mp3'], source: 'LIMITS.md ambiguity "Codecs": AAC or MP3 audio in MP4' },
    duration: { value: { min: 2, max: 15 }, source: `LIMITS.md video.duration; ${REF} video_urls: 2〜15 秒` },
    aspectRatio: { value: { min: 0.4, max: 2.5 }, source: `LIMITS.md video.aspect_ratio; ${REF} video_urls: 0.4〜2.5` },
    side: { value: { min: 300, max: 6000 }, source: `LIMITS.md video.dimensions; ${REF} video_urls: 300〜6000 px` },
    pixels: { value: { min: 409_600, max: 2_086_876 }, source: `LIMITS.md video.pixels; ${REF} video_urls: 409,600〜2,086,876` },
    maxPixelsUpTo720p: { value: 927_408, source: `LIMITS.md ambiguity "Pixel cap": 927,408 (834×1112) for 480p/720p output; ${REF} video_urls: 例 640×640〜834×1112` },
    maxBytes: { value: 50 * MB, source: `LIMITS.md video.size; ${REF} video_urls: 50MB 以内` },
    fps: { value: { min: 24, max: 60 }, source: `LIMITS.md video.fps; ${REF} video_urls: 24〜60 FPS` },
    durationTolerance: { value: 0.1, source: 'LIMITS.md ambiguity "Duration tolerance": more than 0.1 s apart is suspect' },
  },
  audio: {
    formats: { value: ['wav', 'mp3'], source: `LIMITS.md audio.format; ${REF} audio_urls: .wav, .mp3` },
    duration: { value: { min: 2, max: 15 }, source: `LIMITS.md audio.duration; ${REF} audio_urls: 2〜15 秒` },
    maxBytes: { value: 15 * MB, source: `LIMITS.md audio.size; ${REF} audio_urls: 15MB 以内` },
  },
  request: {
    models: { value: [REFERENCE_MODEL, TEXT_MODEL], source: `LIMITS.md request.model; ${BOTH} model enum` },
    maxImages: { value: 9, source: `LIMITS.md counts; ${REF} image_urls: 0〜9 枚 (maxItems 9)` },
    maxVideos: { value: 3, source: `LIMITS.md counts; ${REF} video_urls: 0〜3 本 (maxItems 3)` },
    maxAudios: { value: 3, source: `LIMITS.md counts; ${REF} audio_urls: 0〜3 本 (maxItems 3)` },
    totalVideoSeconds: { value: 15, source: `LIMITS.md request.video_total_duration; ${REF} video_urls: 合計時間 ≤ 15 秒` },
    totalAudioSeconds: { value: 15, source: `LIMITS.md request.audio_total_duration; ${REF} audio_urls: 合計時間 ≤ 15 秒` },
    totalMediaBytes: { value: 64 * MB, source: `LIMITS.md ambiguity "64 MB request body": read as all referenced media ≤ 64 MB; ${REF}` },
    promptMaxTokens: { value: 10_000, source: `LIMITS.md request.prompt; ${BOTH} prompt: 最大長 10000 tokens` },
    promptRecommendedChineseChars: { value: 500, source: `LIMITS.md request.prompt; ${BOTH} prompt: 中国語は500文字以内を推奨` },
    promptRecommendedEnglishWords: { value: 1000, source: 'LIMITS.md request.prompt; seedance-2.0-text-to-video.ja.md prompt: 英語は1000ワード以内を推奨' },
    duration: { value: { min: 4, max: 15 }, source: `LIMITS.md request.duration; ${BOTH} duration: minimum 4, maximum 15` },
    qualities: { value: ['480p', '720p', '1080p', '4k'], source: `LIMITS.md request.quality; ${BOTH} quality enum` },
    aspectRatios: { value: ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', 'adaptive'], source: `LIMITS.md request.aspect_ratio; ${BOTH} aspect_ratio enum` },
    callbackMaxLength: { value: 2048, source: `LIMITS.md request.callback_url; ${BOTH} callback_url: 2048 文字以内` },
  },
};
