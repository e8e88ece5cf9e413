import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Aborts every multipart upload still open for `key` and returns their upload ids. Called only once the object is in
 * the bucket: an open upload of a content-addressed key is then useless, whether a process killed mid-upload (SIGKILL,
 * power loss: no `finally` ran) left it, or another uploader is still sending the same bytes (that one is told
 * NoSuchUpload, finds the object and counts it as there). Listing or aborting may be refused: the caller decides.
 */
export async function abortLeftoverUploads(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<string[]> {
  const aborted: string[] = [];
  let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
  for (;;) {
    const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key, ...markers }), { abortSignal: signal });
    for (const upload of page.Uploads ?? []) {
      // the prefix also matches longer keys; content keys end in an extension, but say exactly what is meant
      if (upload.Key !== key || upload.UploadId === undefined) continue;
      if (await abortUpload(client, bucket, key, upload.UploadId, signal)) aborted.push(upload.UploadId);
    }
    if (!page.IsTruncated) return aborted;
    markers = { ...(page.NextKeyMarker && { KeyMarker: page.NextKeyMarker }), ...(page.NextUploadIdMarker && { UploadIdMarker: page.NextUploadIdMarker }) };
  }
}

/** False when the upload was already gone (its uploader completed or aborted it meanwhile). */
async function abortUpload(client: S3Client, bucket: string, key: string, uploadId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), { abortSignal: signal });
    return true;
  } catch (error) {
    if (isNoSuchUpload(error)) return false;
    throw error;
  }
}

/** S3's answer to a part, complete or abort of an upload that was aborted or completed. */
export function isNoSuchUpload(error: unknown): boolean {
  const e = error as { name?: string; Code?: string };
  return (e.Code ?? e.name) === 'NoSuchUpload';
}
