// File access for the Alpine stand-in. Inside a lab container paths are used as-is; unit tests on the host
// set LAB_ROOT to a scratch directory so the same code works on a fake root (daemons are not started there).
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = process.env.LAB_ROOT ?? '';

/** Host/container path for an absolute in-container path. */
export function rp(p) {
  return ROOT ? path.join(ROOT, p) : p;
}

export function readText(p, fallback = null) {
  try {
    return fs.readFileSync(rp(p), 'utf8');
  } catch {
    return fallback;
  }
}

export function writeText(p, text, mode) {
  fs.mkdirSync(path.dirname(rp(p)), { recursive: true });
  fs.writeFileSync(rp(p), text, mode === undefined ? undefined : { mode });
  if (mode !== undefined) fs.chmodSync(rp(p), mode);
}

export function exists(p) {
  return fs.existsSync(rp(p));
}

export function mkdirp(p) {
  fs.mkdirSync(rp(p), { recursive: true });
}

export function remove(p) {
  fs.rmSync(rp(p), { force: true, recursive: true });
}

export function list(p) {
  try {
    return fs.readdirSync(rp(p)).sort();
  } catch {
    return [];
  }
}

/** Writes to stdout and exits once it has been flushed (pipes over SSH are asynchronous). */
export function finish(code, out = '', err = '') {
  if (err) process.stderr.write(err);
  process.stdout.write(out, () => process.exit(code));
}
