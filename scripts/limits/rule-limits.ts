import type { Profile } from '../../src/spec/profile.js';

type Section = 'image' | 'video' | 'audio' | 'request';
/** A limit of a profile by its path: "video.pixels", or "bytesPerMB". */
export type LimitPath = 'bytesPerMB' | { [S in Section]: `${S}.${keyof Profile[S] & string}` }[Section];

/** How a limit's value is written in the document; "MB" values are bytes, shown in the profile's own MB. */
export type LimitUnit = 'px' | 'ratio' | 'MB' | 's' | 'fps' | 'pixels' | 'count' | 'tokens' | 'Chinese characters' | 'English words' | 'characters' | 'bytes' | 'values';

/** Every limit a profile holds, with its unit (a Record over LimitPath: a new limit without a unit does not compile). */
export const LIMIT_UNITS: Readonly<Record<LimitPath, LimitUnit>> = {
  bytesPerMB: 'bytes',
  'image.formats': 'values',
  'image.side': 'px',
  'image.aspectRatio': 'ratio',
  'image.maxBytes': 'MB',
  'video.formats': 'values',
  'video.codecs': 'values',
  'video.riskyCodecs': 'values',
  'video.audioCodecs': 'values',
  'video.maxPixelsUpTo720p': 'pixels',
  'video.duration': 's',
  'video.aspectRatio': 'ratio',
  'video.side': 'px',
  'video.pixels': 'pixels',
  'video.maxBytes': 'MB',
  'video.fps': 'fps',
  'video.durationTolerance': 's',
  'audio.formats': 'values',
  'audio.duration': 's',
  'audio.maxBytes': 'MB',
  'request.models': 'values',
  'request.maxImages': 'count',
  'request.maxVideos': 'count',
  'request.maxAudios': 'count',
  'request.totalVideoSeconds': 's',
  'request.totalAudioSeconds': 's',
  'request.totalMediaBytes': 'MB',
  'request.promptMaxTokens': 'tokens',
  'request.promptRecommendedChineseChars': 'Chinese characters',
  'request.promptRecommendedEnglishWords': 'English words',
  'request.duration': 's',
  'request.qualities': 'values',
  'request.aspectRatios': 'values',
  'request.callbackMaxLength': 'characters',
};

/** The profile limits each rule holds values against (src/check reads them there); rules not listed use none. */
export const RULE_LIMITS: Readonly<Record<string, readonly LimitPath[]>> = {
  'image.format': ['image.formats'],
  'image.dimensions': ['image.side'],
  'image.aspect_ratio': ['image.aspectRatio'],
  'image.size': ['image.maxBytes', 'bytesPerMB'],
  'video.format': ['video.formats'],
  'video.codec': ['video.codecs', 'video.riskyCodecs'],
  'video.audio_codec': ['video.audioCodecs'],
  'video.dimensions': ['video.side'],
  'video.aspect_ratio': ['video.aspectRatio'],
  'video.pixels': ['video.pixels'],
  'video.pixels_for_quality': ['video.maxPixelsUpTo720p'],
  'video.duration': ['video.duration'],
  'video.duration_mismatch': ['video.durationTolerance'],
  'video.size': ['video.maxBytes', 'bytesPerMB'],
  'video.fps': ['video.fps'],
  'audio.format': ['audio.formats'],
  'audio.duration': ['audio.duration'],
  'audio.duration_mismatch': ['video.durationTolerance'],
  'audio.size': ['audio.maxBytes', 'bytesPerMB'],
  'request.model': ['request.models'],
  'request.prompt': ['request.promptMaxTokens'],
  'request.prompt_length': ['request.promptRecommendedChineseChars', 'request.promptRecommendedEnglishWords'],
  'request.duration': ['request.duration'],
  'request.quality': ['request.qualities'],
  'request.aspect_ratio': ['request.aspectRatios'],
  'request.callback_url': ['request.callbackMaxLength'],
  'request.image_count': ['request.maxImages'],
  'request.video_count': ['request.maxVideos'],
  'request.audio_count': ['request.maxAudios'],
  'request.video_total_duration': ['request.totalVideoSeconds'],
  'request.audio_total_duration': ['request.totalAudioSeconds'],
  'request.total_size': ['request.totalMediaBytes', 'bytesPerMB'],
};
