// Draws Framewise's app icon (a framework matrix: a header row, a case column and cells) from
// one list of shapes into static/icon.svg and the PNGs an installed app needs
// (static/icon-192.png, static/icon-512.png). The outputs are committed; run this again only
// after changing the shapes:
//
//   node tools/icons.mjs
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SIZE = 512;
const BLUE = [0x0b, 0x5c, 0xad];
const WHITE = [0xff, 0xff, 0xff];

/** [x, y, width, height, corner radius, colour, opacity] on a 512 × 512 canvas. */
const SHAPES = [
  [0, 0, 512, 512, 96, BLUE, 1],
  [96, 96, 320, 64, 14, WHITE, 1],
  [96, 176, 96, 240, 14, WHITE, 1],
  [208, 176, 96, 72, 10, WHITE, 0.9],
  [320, 176, 96, 72, 10, WHITE, 0.55],
  [208, 260, 96, 72, 10, WHITE, 0.55],
  [320, 260, 96, 72, 10, WHITE, 0.9],
  [208, 344, 96, 72, 10, WHITE, 0.9],
  [320, 344, 96, 72, 10, WHITE, 0.55],
];

const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;

function svg() {
  const rects = SHAPES.map(([x, y, w, h, r, c, o]) => {
    const opacity = o < 1 ? ` opacity="${o}"` : "";
    return `  <rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}" fill="${hex(c)}"${opacity}/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}">
  <title>Framewise</title>
${rects.join("\n")}
</svg>
`;
}

/** True when (px, py) (canvas units) is inside the rounded rectangle. */
function inside([x, y, w, h, r], px, py) {
  if (px < x || py < y || px >= x + w || py >= y + h) return false;
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
}

/** RGBA pixels of the icon at `size` × `size`, 4 × 4 samples a pixel. */
function raster(size) {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  const scale = SIZE / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) * scale;
          const y = (py + (sy + 0.5) / n) * scale;
          let rgb = null;
          for (const s of SHAPES) {
            if (!inside(s, x, y)) continue;
            const [c, o] = [s[5], s[6]];
            rgb = rgb ? rgb.map((v, i) => v * (1 - o) + c[i] * o) : c.slice();
          }
          if (rgb) {
            for (let i = 0; i < 3; i++) acc[i] += rgb[i];
            acc[3] += 255;
          }
        }
      }
      const k = (py * size + px) * 4;
      const covered = acc[3] / 255;
      for (let i = 0; i < 3; i++) out[k + i] = covered ? Math.round(acc[i] / covered) : 0;
      out[k + 3] = Math.round(acc[3] / (n * n));
    }
  }
  return out;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function png(size) {
  const pixels = raster(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

fs.writeFileSync(path.join(ROOT, "static", "icon.svg"), svg());
for (const size of [192, 512]) fs.writeFileSync(path.join(ROOT, "static", `icon-${size}.png`), png(size));
console.log("static/icon.svg, static/icon-192.png, static/icon-512.png");
