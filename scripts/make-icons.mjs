#!/usr/bin/env node
// Draws Proximity's icons as real PNGs with no image library: a few shapes rendered with 4x4 supersampling,
// encoded with zlib. Run `node scripts/make-icons.mjs` after changing the design; the output is committed.
//   resources/icon.png              512x512 app icon (electron-builder derives the platform formats)
//   resources/tray.png, tray@2x.png 16 and 32 px tray icons (Windows/Linux)
//   resources/trayTemplate.png, trayTemplate@2x.png   black-on-transparent tray icons (macOS template images)
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'resources');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** RGBA pixels (Float [0..1] per channel, straight alpha) -> PNG bytes. */
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size * 4; x++) raw[y * (size * 4 + 1) + 1 + x] = Math.round(Math.min(1, Math.max(0, rgba[y * size * 4 + x])) * 255);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in unit coordinates (0..1). Each returns true when the point is inside.
const roundedSquare = (r) => (x, y) => {
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  return dx * dx + dy * dy <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= (w / 2) ** 2;
};

// Three nodes joined to a hub: apps close to each other on one host ("proximity").
const NODES = [
  [0.3, 0.32],
  [0.72, 0.3],
  [0.5, 0.74],
];
const HUB = [0.5, 0.46];

/** Layers drawn in order: [shape, [r,g,b,a]]. */
function appIconLayers() {
  const bg = roundedSquare(0.2);
  const layers = [[bg, null]]; // null colour: painted with the background gradient
  for (const [nx, ny] of NODES) layers.push([segment(HUB[0], HUB[1], nx, ny, 0.05), [0.62, 0.86, 1, 1]]);
  layers.push([circle(HUB[0], HUB[1], 0.09), [1, 1, 1, 1]]);
  for (const [nx, ny] of NODES) layers.push([circle(nx, ny, 0.085), [0.36, 0.8, 0.98, 1]]);
  return layers;
}
function trayLayers(color) {
  const layers = [];
  for (const [nx, ny] of NODES) layers.push([segment(HUB[0], HUB[1], nx, ny, 0.11), color]);
  layers.push([circle(HUB[0], HUB[1], 0.16), color]);
  for (const [nx, ny] of NODES) layers.push([circle(nx, ny, 0.15), color]);
  return layers;
}

function render(size, layers, background) {
  const SS = 4;
  const px = new Float64Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const u = (x + (sx + 0.5) / SS) / size;
          const v = (y + (sy + 0.5) / SS) / size;
          let c = [0, 0, 0, 0];
          for (const [shape, color] of layers) {
            if (!shape(u, v)) continue;
            c = color ?? background(u, v);
          }
          // premultiply while accumulating so edges blend correctly
          r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3];
        }
      }
      const n = SS * SS;
      const i = (y * size + x) * 4;
      px[i + 3] = a / n;
      if (a > 0) { px[i] = r / a; px[i + 1] = g / a; px[i + 2] = b / a; }
    }
  }
  return px;
}

const gradient = (u, v) => {
  const t = (u + v) / 2;
  return [0.07 + 0.05 * t, 0.16 + 0.12 * t, 0.33 + 0.2 * t, 1];
};

mkdirSync(outDir, { recursive: true });
const outputs = [
  ['icon.png', 512, appIconLayers()],
  ['tray.png', 16, trayLayers([0.36, 0.8, 0.98, 1])],
  ['tray@2x.png', 32, trayLayers([0.36, 0.8, 0.98, 1])],
  ['trayTemplate.png', 16, trayLayers([0, 0, 0, 1])],
  ['trayTemplate@2x.png', 32, trayLayers([0, 0, 0, 1])],
];
for (const [name, size, layers] of outputs) {
  writeFileSync(join(outDir, name), encodePng(size, render(size, layers, gradient)));
  console.log(`wrote resources/${name} (${size}x${size})`);
}
