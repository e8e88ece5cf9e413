import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { S3Store } from '../../src/sandbox/s3-store.js';

/** Faults s3rver cannot produce, injected at the network boundary. */
export interface S3Faults {
  /** Answer any request carrying an x-amz-acl header as a bucket with ACLs disabled does (400 AccessControlListNotSupported). */
  refuseAcl?: boolean;
  /** Drop the connection of part uploads (PUT ?partNumber) after this many body bytes… */
  resetPartAfterBytes?: number;
  /** …this many times (default: every time). */
  resets?: number;
  /** Answer this many PUTs with 503 SlowDown before letting them through. */
  slowDowns?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  acl: string | null;
  /** Body bytes the proxy received for this request. */
  bodyBytes: number;
  /** What the proxy answered itself, or 'forwarded'. */
  outcome: 'forwarded' | 'acl-refused' | 'reset' | 'slow-down' | 'aborted-upload' | 'listed-uploads';
}

export interface S3FaultProxy {
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of s3rver on a random loopback port. Besides the faults, it answers the two multipart calls
 * s3rver lacks (AbortMultipartUpload, ListMultipartUploads) from s3rver's own upload folders, so "no parts left
 * behind" is checked against the store's real state.
 */
export async function startS3FaultProxy(store: S3Store, faults: S3Faults = {}): Promise<S3FaultProxy> {
  const target = new URL(store.endpoint);
  const requests: RecordedRequest[] = [];
  let resetsLeft = faults.resets ?? Number.POSITIVE_INFINITY;
  let slowDownsLeft = faults.slowDowns ?? 0;
  const uploadsDir = (bucket: string) => join(store.directory, bucket, '._S3rver_uploads');

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const bucket = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    const record: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', acl: header(req, 'x-amz-acl'), bodyBytes: 0, outcome: 'forwarded' };
    requests.push(record);
    req.on('data', (chunk: Buffer) => (record.bodyBytes += chunk.length));

    if (faults.refuseAcl && record.acl !== null) return answerAfterBody(req, res, record, 'acl-refused', 400, s3ErrorXml('AccessControlListNotSupported', 'The bucket does not allow ACLs'));
    if (req.method === 'PUT' && slowDownsLeft > 0) {
      slowDownsLeft -= 1;
      return answerAfterBody(req, res, record, 'slow-down', 503, s3ErrorXml('SlowDown', 'Please reduce your request rate.'));
    }
    if (req.method === 'DELETE' && url.searchParams.has('uploadId')) {
      record.outcome = 'aborted-upload';
      void rm(join(uploadsDir(bucket), url.searchParams.get('uploadId') ?? ''), { recursive: true, force: true }).then(() => res.writeHead(204).end());
      return;
    }
    if (req.method === 'GET' && url.searchParams.has('uploads')) {
      record.outcome = 'listed-uploads';
      void listUploadsXml(bucket, uploadsDir(bucket)).then((xml) => res.writeHead(200, { 'content-type': 'application/xml' }).end(xml));
      return;
    }
    const resetThis = req.method === 'PUT' && url.searchParams.has('partNumber') && faults.resetPartAfterBytes !== undefined && resetsLeft > 0;
    if (resetThis) resetsLeft -= 1;

    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    if (resetThis) {
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= (faults.resetPartAfterBytes ?? 0) && record.outcome !== 'reset') {
          record.outcome = 'reset';
          upstream.destroy();
          req.socket.resetAndDestroy();
        }
      });
    }
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answerAfterBody(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, outcome: RecordedRequest['outcome'], status: number, body: string): void {
  record.outcome = outcome;
  req.resume();
  req.on('end', () => res.writeHead(status, { 'content-type': 'application/xml' }).end(body));
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`;
}

async function listUploadsXml(bucket: string, dir: string): Promise<string> {
  const ids = await readdir(dir).catch(() => [] as string[]);
  const uploads = await Promise.all(ids.map(async (id) => `<Upload><Key>${await readFile(join(dir, id, 'key'), 'utf8')}</Key><UploadId>${id}</UploadId></Upload>`));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${bucket}</Bucket><IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`;
}
