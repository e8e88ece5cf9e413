import type { QcFinding } from '../pipeline/result-qc.js';

/** The sentence a user reads for a result QC finding: what the result is, and what the request asked for. */
export function renderQcFinding(f: QcFinding): string {
  switch (f.check) {
    case 'video':
      return f.holds ? `result is not a video: it holds ${f.holds.kind === 'image' ? 'an image' : 'audio only'} (${f.holds.format.toUpperCase()})` : `result cannot be read as a video: ${f.detail}`;
    case 'duration': {
      const asked = `the request asked for ${f.expectedSeconds} s${f.defaulted ? ' (the default)' : ''}`;
      return f.actualSeconds === null ? `result's duration cannot be read; ${asked}` : `result is ${f.actualSeconds.toFixed(1)} s; ${asked}`;
    }
    case 'size': {
      const basis = f.adaptive === null ? '' : ` (${f.resolvedRatio}, ${f.adaptive.reference === null ? 'no reference video or image to follow' : `following ${f.adaptive.reference} at ${f.adaptive.width}×${f.adaptive.height}`})`;
      return `result is ${f.actual.width}×${f.actual.height}; the request asked for ${f.quality} ${f.aspectRatio}, which is ${f.expected.width}×${f.expected.height}${basis}`;
    }
    case 'audio':
      return `result has no audio; the request asked for audio (generate_audio ${f.defaulted ? 'is true by default' : 'is true'})`;
  }
}

/** A finding as `run --json` and `batch --json` print it: its data, then the sentence. */
export function qcFindingJson(f: QcFinding) {
  return { ...f, message: renderQcFinding(f) };
}
