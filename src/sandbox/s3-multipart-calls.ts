import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The part of a Koa context (s3rver is a Koa app) these calls read and write. */
export interface StoreContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
  req: AsyncIterable<unknown>;
}

export type StoreMiddleware = (ctx: StoreContext, next: () => Promise<void>) => Promise<void>;

/** s3rver's upload ids: 16 random bytes in hex (anything else cannot name one of its folders). */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/**
 * The multipart calls s3rver 3.7.1 lacks, answered from its own upload folders (DIR/BUCKET/._S3rver_uploads/ID/{key,
 * metadata,N}): ListMultipartUploads (s3rver: 501 NotImplemented), AbortMultipartUpload (s3rver: 405), and S3's
 * 404 NoSuchUpload for a part or a complete sent to an upload that is gone (s3rver would recreate its folder).
 * Without them the sandbox could not show, nor clean, the parts a killed uploader leaves behind.
 */
export function multipartCalls(directory: string): StoreMiddleware {
  const uploadsDir = (bucket: string) => join(directory, bucket, '._S3rver_uploads');
  return async (ctx, next) => {
    const [bucket, key] = bucketAndKey(ctx.path);
    if (bucket === null) return next();
    const uploadId = single(ctx.query.uploadId);
    if (ctx.method === 'GET' && key === null && 'uploads' in ctx.query) {
      if (!(await stat(join(directory, bucket)).then((s) => s.isDirectory(), () => false))) return next();
      const uploads = await openUploads(uploadsDir(bucket), single(ctx.query.prefix) ?? '');
      return answer(ctx, 200, listXml(bucket, single(ctx.query.prefix) ?? '', uploads));
    }
    if (key === null || uploadId === undefined) return next();
    const open = await uploadKey(uploadsDir(bucket), uploadId);
    if (open !== key) {
      // read what the client sends first: an answer before the body ends makes clients see a reset, not the error
      for await (const _chunk of ctx.req);
      return answer(ctx, 404, errorXml('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.'));
    }
    if (ctx.method === 'DELETE') {
      await rm(join(uploadsDir(bucket), uploadId), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    return next();
  };
}

export interface OpenUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

/** Multipart uploads begun and neither completed nor aborted, by key then start time. */
export async function openUploads(dir: string, prefix = ''): Promise<OpenUpload[]> {
  const ids = await readdir(dir).catch(() => [] as string[]);
  const found = await Promise.all(
    ids.map(async (uploadId) => {
      const key = await uploadKey(dir, uploadId);
      if (key === null || !key.startsWith(prefix)) return null;
      return { key, uploadId, initiated: (await stat(join(dir, uploadId, 'key'))).mtime };
    }),
  );
  return found.filter((u): u is OpenUpload => u !== null).sort((a, b) => (a.key === b.key ? a.initiated.getTime() - b.initiated.getTime() : a.key < b.key ? -1 : 1));
}

/** The key an upload was begun for; null when there is no such upload (s3rver writes `key` when it begins one). */
async function uploadKey(dir: string, uploadId: string): Promise<string | null> {
  if (!UPLOAD_ID.test(uploadId)) return null;
  return readFile(join(dir, uploadId, 'key'), 'utf8').catch(() => null);
}

/** Path-style only (the sandbox turns virtual-host buckets off): /BUCKET, /BUCKET/ or /BUCKET/KEY. */
function bucketAndKey(path: string): [string | null, string | null] {
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!match) return [null, null];
  return [decodeURIComponent(match[1]!), match[2] ? match[2].split('/').map(decodeURIComponent).join('/') : null];
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function answer(ctx: StoreContext, status: number, xml: string): void {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = xml;
}

function listXml(bucket: string, prefix: string, uploads: OpenUpload[]): string {
  const items = uploads.map((u) => `<Upload><Key>${escapeXml(u.key)}</Key><UploadId>${u.uploadId}</UploadId><Initiated>${u.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${escapeXml(bucket)}</Bucket><Prefix>${escapeXml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${items.join('')}</ListMultipartUploadsResult>`;
}

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}
