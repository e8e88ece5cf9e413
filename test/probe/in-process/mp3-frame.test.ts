import { describe, expect, it } from 'vitest';
import { readMpegAudioStart } from '../../../src/probe/in-process/mp3-frame.js';

/** A frame header (4 bytes), then `tag` at the offset the side information leaves, then the Xing flags word. */
function frame(header: string, sideInfo: number, tag = '', flags = 0): Uint8Array {
  const bytes = Buffer.alloc(200);
  Buffer.from(header, 'hex').copy(bytes, 0);
  bytes.write(tag, 4 + sideInfo, 'latin1');
  bytes.writeUInt32BE(flags, 4 + sideInfo + 4);
  return bytes;
}

describe('readMpegAudioStart', () => {
  const cases: Array<[string, Uint8Array, ReturnType<typeof readMpegAudioStart>]> = [
    ['MPEG-1 layer III mono with an Info frame count (LAME CBR)', frame('fffb50c4', 17, 'Info', 0x0f), { codec: 'mp3', exactFrameCount: true }],
    ['MPEG-1 layer III stereo with a Xing frame count (VBR)', frame('fffb9000', 32, 'Xing', 0x01), { codec: 'mp3', exactFrameCount: true }],
    ['MPEG-2 layer III mono (22.05 kHz) with Info', frame('fff350c4', 9, 'Info', 0x0f), { codec: 'mp3', exactFrameCount: true }],
    ['a Xing tag without the frame-count flag', frame('fffb9000', 32, 'Xing', 0x06), { codec: 'mp3', exactFrameCount: false }],
    ['no tag: the length is a bitrate estimate', frame('fffb9000', 32), { codec: 'mp3', exactFrameCount: false }],
    ['a VBRI header (Fraunhofer) at byte 36', frame('fffb9000', 32, 'VBRI'), { codec: 'mp3', exactFrameCount: true }],
    ['MPEG-1 layer II (broadcast audio named .mp3)', frame('fffdc4c4', 17), { codec: 'mp2', exactFrameCount: false }],
    ['layer I', frame('ffffc4c4', 17), { codec: 'mp1', exactFrameCount: false }],
    ['zero bytes before the audio', Buffer.alloc(200), null],
    ['a reserved version', frame('ffeb9000', 32), null],
  ];
  it.each(cases)('%s', (_name, bytes, expected) => {
    expect(readMpegAudioStart(bytes)).toEqual(expected);
  });
});
