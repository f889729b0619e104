import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { crc32 } from './crc32';
import { rootArgument } from './root-argument';

/**
 * Draws the task icons and the extension icon as PNGs with nothing but node:zlib, so they can be regenerated and
 * reviewed as code. Each icon is a rounded square in its own colour with one white symbol.
 *
 *   node out/scripts/make-icons.js [--root <dir>]
 */

type Rgb = [number, number, number];
/** Whether the point (x, y), both 0..1 from the top left, lies inside the shape. */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  colour: Rgb;
  shape: Shape;
}

const white: Rgb = [255, 255, 255];
const blue: Rgb = [0, 120, 212];
const green: Rgb = [16, 124, 16];
const orange: Rgb = [202, 80, 16];
const slate: Rgb = [36, 58, 94];

const roundedSquare = (inset: number, radius: number): Shape => (x, y) => {
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
  return dx * dx + dy * dy <= radius * radius;
};
const ring = (cx: number, cy: number, r: number, width: number): Shape => (x, y) =>
  Math.abs(Math.hypot(x - cx, y - cy) - r) <= width / 2;
/** A line from (x1, y1) to (x2, y2) with round ends. */
const stroke = (x1: number, y1: number, x2: number, y2: number, width: number): Shape => (x, y) => {
  const [vx, vy] = [x2 - x1, y2 - y1];
  const t = Math.max(0, Math.min(1, ((x - x1) * vx + (y - y1) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - (x1 + t * vx), y - (y1 + t * vy)) <= width / 2;
};
const triangle = (a: [number, number], b: [number, number], c: [number, number]): Shape => (x, y) => {
  const side = (p: [number, number], q: [number, number]) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const [s1, s2, s3] = [side(a, b), side(b, c), side(c, a)];
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
};
const rect = (x1: number, y1: number, x2: number, y2: number): Shape => (x, y) => x >= x1 && x <= x2 && y >= y1 && y <= y2;
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((shape) => shape(x, y));

/** Task icons: a clock (wait), a gate (sync), a rewind (rollback). */
export const icons: Record<string, { size: number; layers: Layer[] }> = {
  'tasks/wait-for-dependency/icon.png': {
    size: 64,
    layers: [
      { colour: blue, shape: roundedSquare(0.02, 0.18) },
      { colour: white, shape: union(ring(0.5, 0.5, 0.3, 0.08), stroke(0.5, 0.5, 0.5, 0.3, 0.08), stroke(0.5, 0.5, 0.65, 0.5, 0.08)) },
    ],
  },
  'tasks/sync-gate/icon.png': {
    size: 64,
    layers: [
      { colour: green, shape: roundedSquare(0.02, 0.18) },
      {
        colour: white,
        shape: union(
          stroke(0.3, 0.22, 0.3, 0.78, 0.1),
          stroke(0.7, 0.22, 0.7, 0.78, 0.1),
          stroke(0.3, 0.42, 0.7, 0.42, 0.07),
          stroke(0.3, 0.6, 0.7, 0.6, 0.07),
        ),
      },
    ],
  },
  'tasks/coordinated-rollback/icon.png': {
    size: 64,
    layers: [
      { colour: orange, shape: roundedSquare(0.02, 0.18) },
      { colour: white, shape: union(triangle([0.18, 0.5], [0.5, 0.28], [0.5, 0.72]), triangle([0.5, 0.5], [0.82, 0.28], [0.82, 0.72])) },
    ],
  },
  // Three pipelines, one colour each, that set off at different times and reach the gate together: in lockstep.
  'images/extension-icon.png': {
    size: 128,
    layers: [
      { colour: slate, shape: roundedSquare(0.02, 0.16) },
      { colour: blue, shape: rect(0.16, 0.24, 0.7, 0.36) },
      { colour: green, shape: rect(0.3, 0.44, 0.7, 0.56) },
      { colour: orange, shape: rect(0.22, 0.64, 0.7, 0.76) },
      { colour: white, shape: rect(0.75, 0.16, 0.81, 0.84) },
    ],
  },
  // The "Release trains" hub in the Pipelines menu: the extension icon's three pipelines and gate without the
  // square, so it sits on the menu's light or dark background like the built-in hub icons; the gate in mid grey.
  'images/train-hub-icon.png': {
    size: 32,
    layers: [
      { colour: blue, shape: rect(0.06, 0.14, 0.72, 0.3) },
      { colour: green, shape: rect(0.22, 0.42, 0.72, 0.58) },
      { colour: orange, shape: rect(0.12, 0.7, 0.72, 0.86) },
      { colour: [128, 128, 128], shape: rect(0.8, 0.04, 0.92, 0.96) },
    ],
  },
};

/** Renders the layers (last on top) with 4x4 samples a pixel, as RGBA rows. */
export function render(size: number, layers: Layer[]): Buffer {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  const topFirst = [...layers].reverse();
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          const top = topFirst.find((layer) => layer.shape(x, y));
          if (!top) continue;
          [r, g, b, a] = [r + top.colour[0], g + top.colour[1], b + top.colour[2], a + 1];
        }
      }
      const at = (py * size + px) * 4;
      // Colour averaged over the covered samples (straight alpha), alpha from the coverage.
      if (a > 0) pixels.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((255 * a) / samples ** 2)], at);
    }
  }
  return pixels;
}

/** A PNG file: 8-bit RGBA, no filtering, one IDAT. */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, filter method 0, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function main(argv: string[]): void {
  const root = rootArgument(argv);
  for (const [file, icon] of Object.entries(icons)) {
    const png = encodePng(icon.size, render(icon.size, icon.layers));
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), png);
    console.log(`${file}: ${icon.size}x${icon.size}, ${png.length} bytes`);
  }
}

if (require.main === module) main(process.argv.slice(2));
