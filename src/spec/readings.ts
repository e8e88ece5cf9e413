/** Where the provider's documents are ambiguous or silent, the reading the tool takes; each is a section of the limits document. */
export interface Reading {
  /** The section's anchor is `reading.<id>`. */
  id: string;
  title: string;
  /** The reading, in full sentences (rendered as one paragraph). */
  text: string;
  /** The rules this reading shapes. */
  rules: readonly string[];
}

export const READINGS: readonly Reading[] = [
  {
    id: 'mb',
    title: '"MB"',
    text: 'The documents do not say whether a MB is 10^6 or 2^20 bytes. Check and fix against 10^6 bytes (the stricter reading), and say so in messages; a profile may set `bytesPerMB`.',
    rules: ['image.size', 'video.size', 'audio.size', 'request.total_size'],
  },
  {
    id: 'request_body',
    title: '64 MB "request body"',
    text: 'Every media field says the request body in total must stay within 64MB, and URLs must not be replaced by Base64. With URLs the JSON body is tiny, and the rule sits under every media kind, so it is read as: all referenced media files together are at most 64 MB. A profile may relax it.',
    rules: ['request.total_size', 'request.media_url'],
  },
  {
    id: 'pixel_cap',
    title: 'Pixel cap',
    text: 'The reference-to-video document gives 409,600〜2,086,876 pixels for a reference video, and beside it "例：640×640 〜 834×1112" (834×1112 = 927,408). Other copies of the same provider\'s documentation (a later revision of the page, and another client\'s limit tables) give 927,408 for 480p/720p output. The seed figure 2,086,876 stays the error limit (the `strict-927k` profile uses 927,408 instead); when a request asks for 480p or 720p output (720p is the default), a reference video above 927,408 pixels is a warning, and `fix` scales it into that budget. For 1080p output the seed figure stands.',
    rules: ['video.pixels', 'video.pixels_for_quality'],
  },
  {
    id: 'resolution_class',
    title: 'Resolution class (480p/720p/1080p)',
    text: 'The documents allow reference videos of the 480p, 720p and 1080p classes; the pixel range writes that class as numbers: 409,600 is the smallest 480p frame of the documents\' own output table (1:1, 640×640) and 2,086,876 the largest 1080p frame (21:9, 2206×946). The same table calls 1440×1440 and 1664×1248 1080p, so the short side may exceed 1080: there is no rule beyond the pixel range and the side limits.',
    rules: ['video.pixels', 'video.dimensions'],
  },
  {
    id: 'rotation',
    title: 'Rotation',
    text: 'Phones store landscape frames with a rotation flag (a video\'s display matrix, a JPEG\'s EXIF orientation). Sizes and ratios are judged as displayed, and `fix` writes outputs whose stored pixels already have the displayed orientation.',
    rules: ['image.dimensions', 'image.aspect_ratio', 'video.dimensions', 'video.aspect_ratio'],
  },
  {
    id: 'frame_rate',
    title: 'Frame rate',
    text: 'The documents give 24〜60 FPS without saying which rate. The average frame rate is judged; a variable frame rate is a warning.',
    rules: ['video.fps', 'video.vfr'],
  },
  {
    id: 'duration_tolerance',
    title: 'Duration tolerance',
    text: 'Durations are judged on the container\'s duration and the longest stream\'s. Where they disagree by more than the tolerance (0.1 s), the file is suspect: broken metadata has made the provider read a 4 s clip as 0.3 s. A remux fixes it.',
    rules: ['video.duration', 'video.duration_mismatch', 'audio.duration', 'audio.duration_mismatch'],
  },
  {
    id: 'codecs',
    title: 'Codecs',
    text: 'The documents name containers, not codecs. H.264 video with AAC or MP3 audio in MP4 is the safe target; HEVC in MP4/MOV is accepted with a warning; anything else inside MP4/MOV (ProRes, VP9, AV1) is re-encoded by `fix`. HDR video shown as SDR looks washed out, so whenever `fix` re-encodes it, it tone-maps it to SDR BT.709.',
    rules: ['video.codec', 'video.audio_codec', 'video.hdr', 'audio.codec'],
  },
  {
    id: 'extension',
    title: 'Extension vs content',
    text: 'The documents list formats by extension. A file whose extension names another format than its bytes hold (a `.jpg` holding PNG bytes) is a warning, and `fix` writes the copy with the extension of its content.',
    rules: ['file.extension_mismatch'],
  },
];
