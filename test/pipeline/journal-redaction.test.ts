import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { emptyJournal, writeJournal } from '../../src/pipeline/journal.js';

it('the journal is written with every URL\'s credentials as ***@, the rest of it as it was', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sp-journal-redact-'));
  try {
    const journal = { ...emptyJournal('/jobs/a'), request: { model: 'm', prompt: 'mail a@b.c', image_urls: ['https://cdnuser:CDN-PASS-1234@cdn.example/x.png', 'https://cdn.example/y.png'] } };
    await writeJournal(dir, journal);
    const text = await readFile(join(dir, 'journal.json'), 'utf8');
    expect(text).not.toContain('CDN-PASS-1234');
    expect(JSON.parse(text)).toEqual({ ...journal, request: { ...journal.request, image_urls: ['https://***@cdn.example/x.png', 'https://cdn.example/y.png'] } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
