import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** A record the tool writes for itself (a lock's holder, fix's outputs manifest) is small: anything longer is not one. */
export const OWN_RECORD_MAX_BYTES = 64 * 1024;

// O_NOFOLLOW: a link planted under the record's name is not read through; O_NONBLOCK: a FIFO planted there cannot block the open
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * The text of a small record the tool wrote in a folder it does not own, or null when there is none it could have
 * written: missing, a symbolic link, a FIFO or anything but a regular file, longer than `maxBytes`, or unreadable.
 * Never follows a link, never blocks, never reads more than `maxBytes` + 1 bytes.
 */
export async function readOwnRecord(path: string, maxBytes = OWN_RECORD_MAX_BYTES): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > maxBytes) return null;
    // one byte more than it holds: a record that grew since the fstat (being written) is not read as a whole one
    const buffer = Buffer.alloc(info.size + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buffer.length) return null;
    }
    return buffer.subarray(0, total).toString('utf8');
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
