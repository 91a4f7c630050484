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

/**
 * Writes the whole file at once (temp file + rename): lab-boot, rc-service, apk and docker run concurrently in
 * one container and read each other's state files, which must never be seen empty or half-written. A symlink
 * is written through, as before. Without `mode`, an existing file keeps its mode.
 */
export function writeText(p, text, mode) {
  const file = rp(p);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let st = null;
  try {
    st = fs.lstatSync(file);
  } catch {
    /* new file */
  }
  if (st?.isSymbolicLink()) {
    fs.writeFileSync(file, text, mode === undefined ? undefined : { mode });
    if (mode !== undefined) fs.chmodSync(file, mode);
    return;
  }
  const tmp = `${file}.lab-tmp-${process.pid}`;
  const keep = mode ?? (st ? st.mode & 0o7777 : undefined);
  try {
    fs.writeFileSync(tmp, text, keep === undefined ? undefined : { mode: keep });
    if (keep !== undefined) fs.chmodSync(tmp, keep);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Creates `p` with `text` unless it exists (atomically: nobody sees it empty). Returns whether it created it. */
export function createOnce(p, text) {
  const file = rp(p);
  const tmp = `${file}.lab-tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
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
    // a concurrent writeText's temp file is not an entry yet
    return fs.readdirSync(rp(p)).filter((n) => !n.includes('.lab-tmp-')).sort();
  } catch {
    return [];
  }
}

/** Writes to stdout and exits once it has been flushed (pipes over SSH are asynchronous). */
export function finish(code, out = '', err = '') {
  if (err) process.stderr.write(err);
  process.stdout.write(out, () => process.exit(code));
}
