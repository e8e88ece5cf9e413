/** One limit of a model, with the document it comes from. */
export interface Limit<T> {
  value: T;
  /** Where the figure comes from: built-in profiles cite their section of docs/LIMITS.md and the provider's passage (cite.ts); a profile file says what it likes. */
  source: string;
}

export type Range = { min: number; max: number };

/** Every limit of one model's reference media and request, as data. */
export interface Profile {
  name: string;
  description: string;
  /** Bytes in the documents' "MB": 10^6 (the stricter reading) by default. */
  bytesPerMB: Limit<number>;
  image: {
    formats: Limit<string[]>;
    side: Limit<Range>;
    aspectRatio: Limit<Range>;
    maxBytes: Limit<number>;
  };
  video: {
    formats: Limit<string[]>;
    /** Codecs accepted without comment; others in this list's warning set are risks. */
    codecs: Limit<string[]>;
    riskyCodecs: Limit<string[]>;
    audioCodecs: Limit<string[]>;
    /** Pixel budget of a reference video when the request asks for 480p or 720p output (the default). */
    maxPixelsUpTo720p: Limit<number>;
    duration: Limit<Range>;
    aspectRatio: Limit<Range>;
    side: Limit<Range>;
    pixels: Limit<Range>;
    maxBytes: Limit<number>;
    fps: Limit<Range>;
    /** Container and stream durations further apart than this are suspect (seconds). */
    durationTolerance: Limit<number>;
  };
  audio: {
    formats: Limit<string[]>;
    duration: Limit<Range>;
    maxBytes: Limit<number>;
  };
  request: {
    models: Limit<string[]>;
    maxImages: Limit<number>;
    maxVideos: Limit<number>;
    maxAudios: Limit<number>;
    totalVideoSeconds: Limit<number>;
    totalAudioSeconds: Limit<number>;
    totalMediaBytes: Limit<number>;
    promptMaxTokens: Limit<number>;
    promptRecommendedChineseChars: Limit<number>;
    promptRecommendedEnglishWords: Limit<number>;
    duration: Limit<Range>;
    qualities: Limit<string[]>;
    aspectRatios: Limit<string[]>;
    callbackMaxLength: Limit<number>;
  };
}

export const REFERENCE_MODEL = 'seedance-2.0-reference-to-video';
export const TEXT_MODEL = 'seedance-2.0-text-to-video';
export type ModelName = typeof REFERENCE_MODEL | typeof TEXT_MODEL;
