import { describe, expect, it } from 'vitest';
import { checkMedia } from '../../src/check/file-rules.js';
import { planFix } from '../../src/normalize/plan-fix.js';
import type { MediaInfo } from '../../src/probe/media-info.js';
import { planOperation } from '../../src/report/fix-operations.js';
import { SEED_PROFILE } from '../../src/spec/seed-profile.js';
import { audio, image, video } from '../helpers/media-info.js';

function operations(info: MediaInfo) {
  const plan = planFix({ ok: true, info }, checkMedia(info, SEED_PROFILE, info.path), SEED_PROFILE, { fit: 'pad', audioFormat: 'mp3' });
  const op = planOperation(plan, 'out/fixed.ext', info);
  return { whole: op.whole, actions: plan.actions.map((a) => [a.rule, op.forAction(a)]) };
}

describe('planOperation: the ffmpeg or sharp operation behind each action', () => {
  it.each([
    {
      title: 'VP9 WebM at 15 fps: container, codec and frame rate each name their flags',
      info: video({ path: 'clip.webm', format: 'webm', extension: 'webm', videoCodec: 'vp9', fps: 15, hasAudio: false, audioCodec: null }),
      whole: 'ffmpeg -i clip.webm -map 0:0 -vf fps=24,format=yuv420p -vsync vfr -c:v libx264 -preset fast -pix_fmt yuv420p -crf 18 -color_primaries smpte170m -color_trc smpte170m -colorspace smpte170m -color_range tv -metadata:s:v:0 rotate=0 -t 3 -map_chapters -1 -write_tmcd 0 -movflags +faststart -f mp4 out/fixed.ext',
      actions: [
        ['video.format', '-movflags +faststart -f mp4'],
        ['video.codec', '-c:v libx264 -preset fast -pix_fmt yuv420p'],
        ['video.fps', '-vf fps=24'],
      ],
    },
    {
      title: 'H.264 in Matroska: a remux, every stream copied',
      info: video({ path: 'in.mkv', format: 'mkv', extension: 'mkv' }),
      whole: 'ffmpeg -i in.mkv -map 0:0 -map 0:1 -c:v copy -c:a copy -map_chapters -1 -write_tmcd 0 -movflags +faststart -f mp4 out/fixed.ext',
      actions: [['video.format', '-c:v copy -c:a copy; -movflags +faststart -f mp4']],
    },
    {
      title: 'a 3000×1000 PNG: padded by sharp',
      info: image({ path: 'wide.png', format: 'png', extension: 'png', width: 3000, height: 1000, storedWidth: 3000, storedHeight: 1000 }),
      whole: "sharp(source).resize(3000, 1200, { fit: 'contain' }).png().toFile(output)",
      actions: [['image.aspect_ratio', ".resize(3000, 1200, { fit: 'contain' })"]],
    },
    {
      title: 'FLAC at 16 kHz: MP3, resampled up',
      info: audio({ path: 'music.flac', format: 'flac', extension: 'flac', audioCodec: 'flac', sampleRate: 16_000 }),
      whole: 'ffmpeg -i music.flac -map 0:a:0 -vn -c:a libmp3lame -b:a 192k -ar 44100 -f mp3 out/fixed.ext',
      actions: [['audio.format', '-c:a libmp3lame -b:a 192k -ar 44100 -f mp3']],
    },
    {
      title: 'a name with a space and a quote is quoted as a shell would need it',
      info: video({ path: "my 'clip'.webm", format: 'webm', extension: 'webm', videoCodec: 'vp9', hasAudio: false, audioCodec: null }),
      whole: "ffmpeg -i 'my '\\''clip'\\''.webm' -map 0:0 -vf format=yuv420p -vsync vfr -c:v libx264 -preset fast -pix_fmt yuv420p -crf 18 -color_primaries smpte170m -color_trc smpte170m -colorspace smpte170m -color_range tv -metadata:s:v:0 rotate=0 -t 3 -map_chapters -1 -write_tmcd 0 -movflags +faststart -f mp4 out/fixed.ext",
      actions: [
        ['video.format', '-movflags +faststart -f mp4'],
        ['video.codec', '-c:v libx264 -preset fast -pix_fmt yuv420p'],
      ],
    },
  ])('$title', ({ info, whole, actions }) => {
    expect(operations(info)).toEqual({ whole, actions });
  });

  it('a file kept as it is is a copy', () => {
    expect(operations(video())).toEqual({ whole: 'copy: the bytes are kept as they are', actions: [] });
  });
});
