import { join } from 'node:path';
import { ffmpeg, makeClip, makeTone } from '../../helpers/make-media.js';

/** The media the remote tests serve, made at test time with the bundled ffmpeg; names say what each is. */
export async function makeRemoteMedia(dir: string): Promise<Record<'mp4End' | 'mp4Front' | 'mov' | 'webm' | 'mp3' | 'wav' | 'png', string>> {
  // ffmpeg writes the index (moov) after the media data unless told +faststart
  await makeClip(dir, 'index-end.mp4', { width: 854, height: 480, fps: 30, seconds: 3, audio: true });
  await ffmpeg(['-i', `file:${join(dir, 'index-end.mp4')}`, '-c', 'copy', '-movflags', '+faststart', `file:${join(dir, 'index-front.mp4')}`]);
  await makeClip(dir, 'clip.mov', { width: 854, height: 480, fps: 25, seconds: 3, container: 'mov' });
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=30:duration=3', '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', `file:${join(dir, 'clip.webm')}`]);
  await makeTone(dir, 'tone.mp3', { seconds: 3, codec: ['-c:a', 'libmp3lame', '-b:a', '64k'], format: 'mp3' });
  await makeTone(dir, 'tone.wav', { seconds: 3, codec: ['-c:a', 'pcm_s16le'], format: 'wav' });
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', `file:${join(dir, 'still.png')}`]);
  return { mp4End: 'index-end.mp4', mp4Front: 'index-front.mp4', mov: 'clip.mov', webm: 'clip.webm', mp3: 'tone.mp3', wav: 'tone.wav', png: 'still.png' };
}
