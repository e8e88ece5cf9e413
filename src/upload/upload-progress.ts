import type { UploadResult } from './upload-result.js';

/** What uploadFiles reports as it goes, per path. */
export type UploadProgressEvent =
  | { type: 'hashed'; path: string; key: string; bytes: number }
  /** Not sent: the bucket already holds the object ('exists'), or another path of this call has the same bytes ('duplicate'). */
  | { type: 'skipped'; path: string; key: string; bytes: number; reason: 'exists' | 'duplicate' }
  | { type: 'sending'; path: string; key: string; loaded: number; bytes: number }
  | { type: 'uploaded'; path: string; key: string; bytes: number }
  | { type: 'warning'; path: string; message: string }
  | { type: 'done'; path: string; result: UploadResult };
