import type { VideoInfo } from '../media-info.js';

type StreamFields = Pick<VideoInfo, 'videoDuration' | 'audioDuration' | 'hasAudio' | 'audioCodec' | 'videoStreamIndex' | 'audioStreamIndex' | 'extraStreams'>;

/** Pure: the fields a video's MediaInfo ends with, from its tracks in file order (the order ffprobe numbers streams in). */
export function streamFields<T>(tracks: readonly T[], video: T, audio: T | undefined, seconds: (track: T) => number | null, audioCodec: VideoInfo['audioCodec']): StreamFields {
  return {
    videoDuration: seconds(video),
    audioDuration: audio ? seconds(audio) : null,
    hasAudio: audio !== undefined,
    audioCodec,
    videoStreamIndex: tracks.indexOf(video),
    audioStreamIndex: audio ? tracks.indexOf(audio) : null,
    extraStreams: tracks.length - 1 - (audio ? 1 : 0),
  };
}
