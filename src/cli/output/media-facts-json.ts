import type { MediaInfo } from '../../probe/media-info.js';

/**
 * What the probe measured, as `check --json` prints it per file and URL: the same keys for every kind, null where a
 * kind has no such fact (an image has no duration, audio no size). Sizes are displayed ones (rotation applied).
 */
export function mediaFactsJson(info: MediaInfo) {
  const video = info.kind === 'video' ? info : null;
  const audio = info.kind === 'audio' ? info : null;
  const timed = info.kind === 'image' ? null : info;
  return {
    container: info.format,
    videoCodec: video?.videoCodec ?? null,
    audioCodec: info.kind === 'image' ? null : info.audioCodec,
    width: info.kind === 'audio' ? null : info.width,
    height: info.kind === 'audio' ? null : info.height,
    rotation: video?.rotation ?? null,
    orientation: info.kind === 'image' ? info.orientation : null,
    fps: video?.fps ?? null,
    variableFrameRate: video?.variableFrameRate ?? null,
    duration: timed?.duration ?? null,
    containerDuration: timed?.containerDuration ?? null,
    videoDuration: video?.videoDuration ?? null,
    audioDuration: video ? video.audioDuration : (audio?.streamDuration ?? null),
    bytes: info.sizeBytes,
    sampleRate: audio?.sampleRate ?? null,
    channels: audio?.channels ?? null,
  };
}
