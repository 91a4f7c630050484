import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;
const DEFAULT_SIZE = { width: 1280, height: 800 };
/** How much of the title bar must be on a display for the window to count as reachable. */
const MIN_VISIBLE = 80;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e6;

/** Parses the saved file; anything malformed yields null (the window then opens at the default place). */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { bounds, maximized } = raw as Record<string, unknown>;
  if (typeof bounds !== 'object' || bounds === null || typeof maximized !== 'boolean') return null;
  const b = bounds as Record<string, unknown>;
  if (!isInt(b.x) || !isInt(b.y) || !isInt(b.width) || !isInt(b.height)) return null;
  if (b.width <= 0 || b.height <= 0) return null;
  return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized };
}

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.min(a.x + a.width, b.x + b.width) - x, height: Math.min(a.y + a.height, b.y + b.height) - y };
}

/**
 * Makes saved bounds usable on the displays present now (a monitor may have been unplugged): the size is
 * shrunk to fit the work area it lands on, and a window whose title bar would be unreachable is moved onto
 * the display it overlaps most (or the first one), centred.
 */
export function clampToDisplays(bounds: Rect, workAreas: readonly Rect[]): Rect {
  if (workAreas.length === 0) return bounds;
  const titleBar = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, 40) };
  const visible = workAreas.find((w) => {
    const o = overlap(titleBar, w);
    return o.width >= Math.min(MIN_VISIBLE, bounds.width) && o.height > 0;
  });
  const area =
    visible ??
    workAreas.reduce((best, w) => {
      const o = overlap(bounds, w);
      const bo = overlap(bounds, best);
      return Math.max(0, o.width) * Math.max(0, o.height) > Math.max(0, bo.width) * Math.max(0, bo.height) ? w : best;
    }, workAreas[0]);
  const width = Math.max(Math.min(bounds.width, area.width), Math.min(MIN_WIDTH, area.width));
  const height = Math.max(Math.min(bounds.height, area.height), Math.min(MIN_HEIGHT, area.height));
  if (visible) {
    // Keep the place, only pull it in so it fits the area.
    const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
    const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
    return { x, y, width, height };
  }
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  };
}

/** The default state: centred on the primary work area. */
export function defaultWindowState(primaryWorkArea: Rect): WindowState {
  const width = Math.min(DEFAULT_SIZE.width, primaryWorkArea.width);
  const height = Math.min(DEFAULT_SIZE.height, primaryWorkArea.height);
  return {
    bounds: {
      x: primaryWorkArea.x + Math.round((primaryWorkArea.width - width) / 2),
      y: primaryWorkArea.y + Math.round((primaryWorkArea.height - height) / 2),
      width,
      height,
    },
    maximized: false,
  };
}

/** Loads, validates and clamps; a missing or corrupt file is not an error (first run, or hand-edited). */
export function loadWindowState(file: string, workAreas: readonly Rect[]): WindowState {
  let parsed: WindowState | null;
  try {
    parsed = parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    parsed = null;
  }
  if (!parsed) return defaultWindowState(workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE });
  return { bounds: clampToDisplays(parsed.bounds, workAreas), maximized: parsed.maximized };
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves a half-written file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
