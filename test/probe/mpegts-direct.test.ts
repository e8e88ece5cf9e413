import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../src/probe/binaries.js';
import { probeFile } from '../../src/probe/probe-file.js';
import { tempDir } from '../helpers/fixtures.js';
import { ffmpeg } from '../helpers/make-media.js';
import { DEBIAN_FFPROBE } from '../helpers/independent-check.js';

// An MPEG-TS as broadcast recorders write it: a DVB service name and provider with non-ASCII letters.
async function makeTransportStream(dir: string): Promise<string> {
  const path = join(dir, 'recording.ts');
  await ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2',
    '-c:v', 'libx264', '-c:a', 'aac', '-metadata', 'service_name=Café Olé', '-metadata', 'service_provider=Ünï', '-f', 'mpegts', path,
  ]);
  return path;
}

describe('MPEG-TS read by the bundled ffprobe itself (it crashed loading the system gconv modules)', () => {
  let dir: { dir: string; cleanup(): Promise<void> };
  let ts: string;
  beforeAll(async () => {
    dir = await tempDir();
    ts = await makeTransportStream(dir.dir);
  });
  afterAll(() => dir.cleanup());

  it('runs to the end and decodes the DVB names', async () => {
    const { stdout } = await runTool('ffprobe', ['-v', 'error', '-show_programs', '-of', 'json', `file:${ts}`]);
    const tags = (JSON.parse(stdout) as { programs: Array<{ tags: Record<string, string> }> }).programs[0]!.tags;
    expect([tags.service_name, tags.service_provider]).toEqual(['Café Olé', 'Ünï']);
  });

  const debianMissing = existsSync(DEBIAN_FFPROBE) ? null : `${DEBIAN_FFPROBE} is not installed (apt-get install ffmpeg)`;
  const required = process.env.SEEDANCE_TEST_REQUIRE_DEBIAN_FFPROBE === '1';
  if (debianMissing && !required) console.log(`MPEG-TS timing comparison skipped: ${debianMissing}`);

  // a stream copy into Matroska (the old workaround) read 2.043 s for all three: the file's own timing is the truth
  it.runIf(!debianMissing || required)("has the durations Debian's ffprobe reads, not those of a stream copy", async () => {
    const { stdout } = await promisify(execFile)(DEBIAN_FFPROBE, ['-v', 'error', '-show_entries', 'format=duration:stream=duration', '-of', 'json', ts]);
    const debian = JSON.parse(stdout) as { format: { duration: string }; streams: Array<{ duration: string }> };
    const result = await probeFile(ts, {});
    if (!result.ok || result.info.kind !== 'video') throw new Error(result.ok ? `read as ${result.info.kind}` : result.failure.detail);
    expect([result.info.format, result.info.containerDuration, result.info.videoDuration, result.info.audioDuration]).toEqual([
      'mpegts',
      Number(debian.format.duration),
      Number(debian.streams[0]!.duration),
      Number(debian.streams[1]!.duration),
    ]);
  });
});
