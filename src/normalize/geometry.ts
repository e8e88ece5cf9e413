import type { Range } from '../spec/profile.js';
import type { FitMode, Geometry } from './fix-plan.js';

/** The size limits a frame must meet; pixel range and even sides apply to video only. */
export interface FrameLimits {
  side: Range;
  aspectRatio: Range;
  pixels?: Range;
  /** H.264 with 4:2:0 chroma needs even width and height. */
  even: boolean;
}

/**
 * Pure: the nearest frame inside the limits for a displayed width × height, aspect ratio kept.
 * Returns null when the frame already conforms (nothing to scale, pad or crop).
 */
export function planGeometry(width: number, height: number, limits: FrameLimits, fit: FitMode): Geometry | null {
  const ratio = width / height;
  const { min: rMin, max: rMax } = limits.aspectRatio;
  // the canvas: the source frame, widened or heightened to the nearest allowed ratio (pad), or cut to it (crop)
  let canvasW = width;
  let canvasH = height;
  let crop: Geometry['crop'] = null;
  if (ratio > rMax) {
    if (fit === 'pad') canvasH = width / rMax;
    else crop = { width: evenFloor(height * rMax, limits.even), height };
  } else if (ratio < rMin) {
    if (fit === 'pad') canvasW = height * rMin;
    else crop = { width, height: evenFloor(width / rMin, limits.even) };
  }
  if (crop) {
    canvasW = crop.width;
    canvasH = crop.height;
  }

  const scale = nearestScale(canvasW, canvasH, limits);
  const needsWork = crop !== null || canvasW !== width || canvasH !== height || scale !== 1 || (limits.even && (width % 2 !== 0 || height % 2 !== 0));
  if (!needsWork) return null;

  const frame = roundFrame(canvasW * scale, canvasH * scale, canvasW / canvasH, limits);
  const padded = crop === null && (canvasW !== width || canvasH !== height);
  const content = padded ? fitInside(width / height, frame.width, frame.height, limits.even) : { width: frame.width, height: frame.height };
  return { width: frame.width, height: frame.height, crop, contentWidth: content.width, contentHeight: content.height };
}

/** The scale factor closest to 1 that puts the canvas inside every size limit. */
function nearestScale(w: number, h: number, limits: FrameLimits): number {
  const short = Math.min(w, h);
  const long = Math.max(w, h);
  let lo = limits.side.min / short;
  let hi = limits.side.max / long;
  if (limits.pixels) {
    lo = Math.max(lo, Math.sqrt(limits.pixels.min / (w * h)));
    hi = Math.min(hi, Math.sqrt(limits.pixels.max / (w * h)));
  }
  return Math.min(Math.max(1, lo), hi);
}

/** Rounds a scaled frame to whole (even) pixels that still meet every limit, staying closest to the wanted ratio. */
function roundFrame(w: number, h: number, ratio: number, limits: FrameLimits): { width: number; height: number } {
  const step = limits.even ? 2 : 1;
  const baseW = roundTo(w, step);
  const baseH = roundTo(h, step);
  let best: { width: number; height: number; cost: number } | null = null;
  for (let dw = -4; dw <= 4; dw++) {
    for (let dh = -4; dh <= 4; dh++) {
      const width = baseW + dw * step;
      const height = baseH + dh * step;
      if (width <= 0 || height <= 0 || !fits(width, height, limits)) continue;
      // ratio error first, then distance from the wanted size: 854×480 beats 860×484 for a 16:9 frame of 853×480
      const cost = Math.abs(width / height - ratio) / ratio + (Math.abs(width - w) + Math.abs(height - h)) * 1e-3;
      if (!best || cost < best.cost) best = { width, height, cost };
    }
  }
  if (!best) throw new Error(`no frame size near ${w.toFixed(1)}×${h.toFixed(1)} meets the limits`);
  return { width: best.width, height: best.height };
}

export function fits(width: number, height: number, limits: FrameLimits): boolean {
  const ratio = width / height;
  if (Math.min(width, height) < limits.side.min || Math.max(width, height) > limits.side.max) return false;
  if (ratio < limits.aspectRatio.min || ratio > limits.aspectRatio.max) return false;
  if (limits.pixels && (width * height < limits.pixels.min || width * height > limits.pixels.max)) return false;
  return !limits.even || (width % 2 === 0 && height % 2 === 0);
}

/** The largest size of the given ratio inside a frame (padding fills the rest). */
function fitInside(ratio: number, frameW: number, frameH: number, even: boolean): { width: number; height: number } {
  const step = even ? 2 : 1;
  if (frameW / frameH > ratio) return { width: Math.min(frameW, roundTo(frameH * ratio, step)), height: frameH };
  return { width: frameW, height: Math.min(frameH, roundTo(frameW / ratio, step)) };
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}

function evenFloor(value: number, even: boolean): number {
  return even ? Math.floor(value / 2) * 2 : Math.floor(value);
}
