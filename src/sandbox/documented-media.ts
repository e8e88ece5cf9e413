/**
 * The sandbox's own reading of the media requirements in reference-to-video.yaml (image_urls, video_urls, audio_urls:
 * 画像要件 / 動画要件 / 音声要件), kept apart from src/spec so that a wrong limit there cannot pass on both sides.
 * Readings: "MB" is 10^6 bytes (the strict one: what passes here passes either way); a video's duration is its
 * container's, as a server reading the file's header would see it; sizes are the displayed ones.
 */
export const MB = 1_000_000;

export interface SideRange {
  /** 幅・高さピクセル: each side. */
  minSide: number;
  maxSide: number;
  /** アスペクト比（幅/高さ）. */
  minAspect: number;
  maxAspect: number;
}

export const DOCUMENTED_MEDIA = {
  image: {
    /** 対応フォーマット：.jpeg、.png、.webp */
    formats: ['jpeg', 'png', 'webp'],
    /** 1枚あたりのサイズ：30MB 以内 */
    maxBytes: 30 * MB,
    frame: { minSide: 300, maxSide: 6000, minAspect: 0.4, maxAspect: 2.5 } satisfies SideRange,
  },
  video: {
    /** 対応フォーマット：.mp4、.mov */
    formats: ['mp4', 'mov'],
    /** 1本あたりのサイズ：50MB 以内 */
    maxBytes: 50 * MB,
    frame: { minSide: 300, maxSide: 6000, minAspect: 0.4, maxAspect: 2.5 } satisfies SideRange,
    /** 画面ピクセル（幅 × 高さ）：409,600 〜 2,086,876 */
    minPixels: 409_600,
    maxPixels: 2_086_876,
    /** フレームレート：24 〜 60 FPS */
    minFps: 24,
    maxFps: 60,
    /** 1本あたりの動画時間：2 〜 15 秒; 全動画の合計時間 ≤ 15 秒 */
    minSeconds: 2,
    maxSeconds: 15,
    maxTotalSeconds: 15,
  },
  audio: {
    /** 対応フォーマット：.wav、.mp3 */
    formats: ['wav', 'mp3'],
    /** 1本あたりのサイズ：15MB 以内 */
    maxBytes: 15 * MB,
    /** 1本あたりの音声時間：2 〜 15 秒; 全音声の合計時間 ≤ 15 秒 */
    minSeconds: 2,
    maxSeconds: 15,
    maxTotalSeconds: 15,
  },
  /** リクエストボディの合計サイズは 64MB 以内: read as every referenced file together. */
  maxTotalBytes: 64 * MB,
} as const;

/** Which kind each request array holds, in the order the prompt numbers them. */
export const MEDIA_ARRAYS = [
  { field: 'image_urls', kind: 'image' },
  { field: 'video_urls', kind: 'video' },
  { field: 'audio_urls', kind: 'audio' },
] as const;
