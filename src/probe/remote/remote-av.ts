/** A video or audio file's facts read from its URL by mediabunny over ranged requests (the budgeted fetch bounds them). */
import { decodableCodecs } from '../decoders.js';
import { mediabunny } from '../in-process/toolkit.js';
import { toolBinary } from '../binaries.js';
import type { AudioInfo, VideoInfo } from '../media-info.js';
import { audioCodecName, colorFacts, videoCodecName } from './codec-names.js';

type Base = Pick<VideoInfo, 'path' | 'format' | 'extension' | 'extensionMatches' | 'sizeBytes'>;

/** Packets looked at for the frame rate (an MP4 index gives them without reading media data). */
const RATE_PACKETS = 120;

export type RemoteAvResult = { ok: true; info: VideoInfo | AudioInfo } | { ok: false; reason: string };

export async function readRemoteAv(url: string, base: Base, fetchFn: typeof fetch): Promise<RemoteAvResult> {
  const { Input, UrlSource, MP4, QTFF, MATROSKA, WEBM, MP3, WAVE, OGG, FLAC } = await mediabunny();
  const source = new UrlSource(url, {
    fetchFn,
    // the budget and deadline decide when to stop: a failed request is reported, not retried
    getRetryDelay: () => null,
    parallelism: 1,
    // reads still in flight when the input is disposed end with an error nobody awaits
    handleUnhandledError: () => undefined,
  });
  const input = new Input({ source, formats: [MP4, QTFF, MATROSKA, WEBM, MP3, WAVE, OGG, FLAC] });
  try {
    const tracks = await input.getTracks();
    const video = await input.getPrimaryVideoTrack();
    const audio = await input.getPrimaryAudioTrack();
    if (!video && !audio) return { ok: false, reason: 'its header lists no video or audio track' };
    const containerDuration = micro(await optional(() => input.getDurationFromMetadata()));
    const audioCodec = audio ? audioCodecName(audio.codec) : null;
    const audioDuration = audio ? micro(await optional(() => audio.computeDuration())) : null;
    if (!video) {
      const streamDuration = audioDuration;
      return {
        ok: true,
        info: { ...base, kind: 'audio', audioCodec: audioCodec!, duration: longest(containerDuration, streamDuration), containerDuration: containerDuration ?? streamDuration, streamDuration, sampleRate: audio!.sampleRate, channels: audio!.numberOfChannels, hasAudio: true },
      };
    }
    const videoCodec = videoCodecName(video.codec);
    const rotation = video.rotation;
    const quarterTurn = rotation % 180 !== 0;
    const sar = video.pixelAspectRatio;
    // the first packets' timestamps: a constant rate is the one they lie on (Matroska's millisecond stamps average 29.9967
    // for 30 fps), a varying one their average, as the local probe gives it
    const metrics = await optional(() => video.computeFrameRateMetrics({ targetPacketCount: RATE_PACKETS }));
    const videoDuration = micro(await optional(() => video.computeDuration()));
    const streamDuration = longest(videoDuration, audioDuration);
    const color = colorFacts(await video.getColorSpace());
    const decoders = await decodableCodecs(toolBinary('ffmpeg')).catch(() => null);
    return {
      ok: true,
      info: {
        ...base,
        kind: 'video',
        width: video.displayWidth,
        height: video.displayHeight,
        storedWidth: quarterTurn ? video.codedHeight : video.codedWidth,
        storedHeight: quarterTurn ? video.codedWidth : video.codedHeight,
        sampleAspectRatio: sar.den ? sar.num / sar.den : 1,
        rotation,
        mirrored: await video.getFlip(),
        videoCodec,
        videoDecodable: decoders ? decoders.has(videoCodec) : true,
        pixelFormat: null,
        color,
        fps: metrics ? (metrics.frameRateIsConstant ? (metrics.underlyingFrameRate ?? metrics.averageFrameRate) : metrics.averageFrameRate) : null,
        fpsSource: 'packets',
        // judged on the first packets only: a rate that varies later in the file is not seen
        variableFrameRate: metrics ? !metrics.frameRateIsConstant : false,
        duration: longest(containerDuration, streamDuration),
        containerDuration: containerDuration ?? streamDuration,
        streamDuration,
        videoDuration,
        audioDuration,
        hasAudio: audio !== null,
        audioCodec,
        videoStreamIndex: tracks.indexOf(video),
        audioStreamIndex: audio ? tracks.indexOf(audio) : null,
        extraStreams: tracks.length - 1 - (audio ? 1 : 0),
      },
    };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    input.dispose();
  }
}

/** Seconds to the microsecond, as ffprobe prints them (so a URL and its local copy read alike). */
function micro(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1e6) / 1e6;
}

/** A fact that costs more reading (a duration, packet statistics): null when it cannot be had within the budget. */
async function optional<T>(read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

function longest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
