import { describe, expect, it } from 'vitest';
import { readWaveLayout } from '../../../src/probe/in-process/riff-wave.js';

/** A RIFF WAVE made of the given chunks: [id, payload size, stated size (defaults to the payload's)]. */
function wave(chunks: Array<[string, number, number?]>, form = 'WAVE'): Uint8Array {
  const parts = chunks.map(([id, size, stated]) => {
    const chunk = Buffer.alloc(8 + size + (size % 2));
    chunk.write(id, 0, 'latin1');
    chunk.writeUInt32LE(stated ?? size, 4);
    if (id === 'fmt ') chunk.writeUInt16LE(1, 8);
    return chunk;
  });
  const body = Buffer.concat([Buffer.from(form, 'latin1'), ...parts]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('readWaveLayout', () => {
  const cases: Array<[string, Uint8Array, ReturnType<typeof readWaveLayout>]> = [
    ['fmt then data', wave([['fmt ', 16], ['data', 100]]), { formatTag: 1, dataStart: 44, dataSize: 100 }],
    ['a LIST chunk between them', wave([['fmt ', 16], ['LIST', 26], ['data', 8]]), { formatTag: 1, dataStart: 78, dataSize: 8 }],
    ['an odd-sized chunk is padded to even', wave([['fmt ', 16], ['junk', 3], ['data', 4]]), { formatTag: 1, dataStart: 56, dataSize: 4 }],
    ['a data chunk that states more than it holds (a cut recording)', wave([['fmt ', 16], ['data', 4, 96_000]]), { formatTag: 1, dataStart: 44, dataSize: 96_000 }],
    ['no fmt before data', wave([['data', 4]]), null],
    ['no data chunk', wave([['fmt ', 16]]), null],
    ['RIFF of another form (AVI)', wave([['fmt ', 16], ['data', 4]], 'AVI '), null],
  ];
  it.each(cases)('%s', (_name, bytes, expected) => {
    expect(readWaveLayout(bytes)).toEqual(expected);
  });
});
