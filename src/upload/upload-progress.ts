import type { UploadResult } from './upload-result.js';

/** What uploadFiles reports as it goes, per path. */
export type UploadProgressEvent =
  | { type: 'hashed'; path: string; key: string; bytes: number }
  /** Not sent: the bucket already holds the object ('exists'), or another path of this call has the same bytes ('duplicate'). */
  | { type: 'skipped'; path: string; key: string; bytes: number; reason: 'exists' | 'duplicate' }
  | { type: 'sending'; path: string; key: string; loaded: number; bytes: number }
  | { type: 'uploaded'; path: string; key: string; bytes: number }
  /** Multipart uploads of the key left open (by a killed uploader, or one overtaken by this) were aborted. */
  | { type: 'aborted-leftovers'; path: string; key: string; uploadIds: string[] }
  | { type: 'warning'; path: string; message: string }
  | { type: 'done'; path: string; result: UploadResult };
