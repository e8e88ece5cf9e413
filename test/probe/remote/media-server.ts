import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const TYPES: Record<string, string> = { mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska', mp3: 'audio/mpeg', wav: 'audio/wav', png: 'image/png', jpg: 'image/jpeg' };

export interface MediaServer {
  base: string;
  /** Every request received: method, path and Range header. */
  log: Array<{ method: string; path: string; range: string | null }>;
  close(): Promise<void>;
}

/**
 * A real HTTP server for a folder of media: honours Range (206 with Content-Range) like a CDN, types by extension.
 * Paths under /norange/ ignore Range (200, whole file); /redirect/NAME answers 302 to /NAME; /hang/ never answers.
 */
export async function startMediaServer(dir: string): Promise<MediaServer> {
  const log: MediaServer['log'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    log.push({ method: req.method ?? 'GET', path: url.pathname, range: req.headers.range ?? null });
    if (url.pathname.startsWith('/hang/')) return;
    if (url.pathname.startsWith('/redirect/')) {
      res.writeHead(302, { location: `/${url.pathname.slice('/redirect/'.length)}` }).end();
      return;
    }
    const ignoreRange = url.pathname.startsWith('/norange/');
    const name = decodeURIComponent(url.pathname.replace(/^\/(norange\/)?/, ''));
    const file = join(dir, name);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    const type = TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    const range = ignoreRange ? null : req.headers.range?.match(/^bytes=(\d+)-(\d*)$/);
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      res.writeHead(206, { 'content-type': type, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1, 'accept-ranges': 'bytes' });
      createReadStream(file, { start, end }).on('error', () => res.destroy()).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': size });
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
