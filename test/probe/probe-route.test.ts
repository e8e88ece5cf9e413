import { describe, expect, it } from 'vitest';
import { probeFile, type ProbeRoute } from '../../src/probe/probe-file.js';
import { CancelledError } from '../../src/shared/cancel.js';
import { fixture } from '../helpers/fixtures.js';

async function route(name: string, reader?: 'ffprobe'): Promise<ProbeRoute[]> {
  const routes: ProbeRoute[] = [];
  await probeFile(fixture(name), { onRoute: (r) => routes.push(r), ...(reader && { reader }) });
  return routes;
}

describe('probeFile: which reader takes a file', () => {
  it('reads an H.264 MP4 in-process', async () => {
    expect(await route('valid-854x480-30fps.mp4')).toEqual([{ path: fixture('valid-854x480-30fps.mp4'), reader: 'in-process', fallback: null }]);
  });

  it('hands a ProRes MOV to ffprobe, saying why', async () => {
    expect(await route('prores.mov')).toEqual([{ path: fixture('prores.mov'), reader: 'ffprobe', fallback: { code: 'codec', detail: 'video sample entry apco (H.264 and H.265 are read in-process)' } }]);
  });

  it("reader: 'ffprobe' skips the in-process reader", async () => {
    expect(await route('valid-3s.wav', 'ffprobe')).toEqual([{ path: fixture('valid-3s.wav'), reader: 'ffprobe', fallback: { code: 'trait', detail: 'the caller asked for ffprobe' } }]);
  });

  it('images take no video/audio route (sharp reads them)', async () => {
    expect(await route('landscape-1280x720.jpg')).toEqual([]);
  });

  it('a cancelled probe stops before reading, as a process would not start', async () => {
    const controller = new AbortController();
    controller.abort('SIGINT');
    const error = await probeFile(fixture('valid-3s.mp3'), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect([(error as CancelledError).message, (error as CancelledError).reason]).toEqual(['probing valid-3s.mp3 was cancelled', 'SIGINT']);
  });
});
