/**
 * The bundled 2018 ffmpeg's fps filter can emit no frame at all for a one-frame clip whose frame is shorter than the
 * output's frame interval when the container states no end (a fragmented MP4 or M4V: one frame at 90 or 120 fps,
 * converted to 60); tpad's clone then reads the frame that never came and ffmpeg is killed by SIGSEGV. With
 * eof_action=pass (in the bundled build, and in ffmpeg since 4.1) fps passes that last frame on, and tpad has it.
 * Newer ffmpegs do not crash (Debian's 5.1 emits the frame).
 */
const FPS_THEN_CLONE = /(^|,)fps=([^,:]+)(?=,.*\btpad=stop_mode=clone)/;

/** Pure: the arguments again with the fps filter passing its last frame, when a -vf chain holds fps before tpad's clone; else null. */
export function fpsPassingLastFrame(args: readonly string[]): string[] | null {
  const at = args.indexOf('-vf');
  const chain = at >= 0 ? args[at + 1] : undefined;
  if (chain === undefined || !FPS_THEN_CLONE.test(chain)) return null;
  return [...args.slice(0, at + 1), chain.replace(FPS_THEN_CLONE, '$1fps=$2:eof_action=pass'), ...args.slice(at + 2)];
}
