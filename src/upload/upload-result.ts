/** One path's outcome: where its bytes live and the URL the provider fetches them from. */
export interface UploadResult {
  path: string;
  key: string;
  url: string;
  bytes: number;
  /** False when nothing was sent for this path (the object already existed, or another path had the same bytes). */
  uploaded: boolean;
  contentType: string;
  sha256: string;
}
