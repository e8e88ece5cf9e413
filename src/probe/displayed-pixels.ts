/**
 * Pixels as displayed, from the stored size and the exact sample aspect ratio: 640×480 at 4:3 is 409,600, where its
 * rounded displayed width (853×480) would give 409,440. Only an output's size is rounded, never the judged one.
 */
export function displayedPixels(info: { storedWidth: number; storedHeight: number; sampleAspectRatio: number }): number {
  // rounded to a whole pixel: 4/3 as a float makes 409,599.99999999994
  return Math.round(info.storedWidth * info.storedHeight * info.sampleAspectRatio);
}
