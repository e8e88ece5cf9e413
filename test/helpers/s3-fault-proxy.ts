import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /** Hold part uploads from this part number on (unanswered, their bodies unread) until release(): an uploader stalled mid-upload. */
  holdPartsFrom?: number;
  /** Answer ListMultipartUploads as a store without it does (s3rver itself: 501 NotImplemented). */
  noUploadListing?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  acl: string | null;
  /** Body bytes the proxy received for this request. */
  bodyBytes: number;
  /** What the proxy answered itself, or 'forwarded'. */
  outcome: 'forwarded' | 'acl-refused' | 'reset' | 'slow-down' | 'held' | 'not-implemented';
  /** Status of the answer once it came (the store's, or the proxy's own). */
  status?: number;
}

export interface S3FaultProxy {
  endpoint: string;
  requests: RecordedRequest[];
  /** Lets the held part uploads through to the store (those whose client is gone are dropped), and holds no more. */
  release(): void;
  close(): Promise<void>;
}

/** An HTTP proxy in front of the sandbox's store on a random loopback port; it records every request. */
export async function startS3FaultProxy(store: S3Store, faults: S3Faults = {}): Promise<S3FaultProxy> {
  const target = new URL(store.endpoint);
  const requests: RecordedRequest[] = [];
  let resetsLeft = faults.resets ?? Number.POSITIVE_INFINITY;
  let slowDownsLeft = faults.slowDowns ?? 0;
  const held: (() => void)[] = [];
  let released = false;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const record: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', acl: header(req, 'x-amz-acl'), bodyBytes: 0, outcome: 'forwarded' };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));

    if (faults.refuseAcl && record.acl !== null) return answerAfterBody(req, res, record, 'acl-refused', 400, s3ErrorXml('AccessControlListNotSupported', 'The bucket does not allow ACLs'));
    if (req.method === 'PUT' && slowDownsLeft > 0) {
      slowDownsLeft -= 1;
      return answerAfterBody(req, res, record, 'slow-down', 503, s3ErrorXml('SlowDown', 'Please reduce your request rate.'));
    }
    if (faults.noUploadListing && req.method === 'GET' && url.searchParams.has('uploads')) {
      return answerAfterBody(req, res, record, 'not-implemented', 501, s3ErrorXml('NotImplemented', 'A parameter you provided implies functionality that is not implemented'));
    }
    const part = req.method === 'PUT' ? Number(url.searchParams.get('partNumber') ?? NaN) : NaN;
    if (faults.holdPartsFrom !== undefined && part >= faults.holdPartsFrom && !released) {
      // its body stays unread: the client's writes stall on the full socket, as on a stalled network
      record.outcome = 'held';
      held.push(() => !req.destroyed && forward(req, res, record));
      return;
    }
    forward(req, res, record);
  });

  const forward = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest) => {
    req.on('data', (chunk: Buffer) => (record.bodyBytes += chunk.length));
    const url = new URL(req.url ?? '/', 'http://proxy');
    const resetThis = req.method === 'PUT' && url.searchParams.has('partNumber') && faults.resetPartAfterBytes !== undefined && resetsLeft > 0;
    if (resetThis) resetsLeft -= 1;

    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => !res.headersSent && res.destroy());
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
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    release: () => {
      released = true;
      held.splice(0).forEach((go) => go());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answerAfterBody(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, outcome: RecordedRequest['outcome'], status: number, body: string): void {
  record.outcome = outcome;
  req.on('data', (chunk: Buffer) => (record.bodyBytes += chunk.length));
  req.on('end', () => res.writeHead(status, { 'content-type': 'application/xml' }).end(body));
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`;
}
