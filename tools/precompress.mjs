// Post-build step (`./x build`, after `trunk build --release`): writes `NAME.br` (brotli,
// quality 11) and `NAME.gz` (gzip, level 9) beside every compressible file of dist/, so a static
// server can send them as they are (tests/e2e/server.mjs; README.md, "Hosting dist/").
// Files under 1 KiB, and copies that would not be smaller, are skipped.
//
//   node tools/precompress.mjs [dist]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

export const COMPRESSIBLE = /\.(html|js|mjs|css|wasm|json|webmanifest|svg|txt|ico|map)$/;
const MIN_SIZE = 1024;

/**
 * Compress every compressible file of `dir` (not recursive: dist/ is flat).
 * @returns {{file: string, raw: number, gz: number | null, br: number | null}[]}
 */
export function precompress(dir) {
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!COMPRESSIBLE.test(name) || !fs.statSync(file).isFile()) continue;
    for (const ext of [".gz", ".br"]) fs.rmSync(file + ext, { force: true });
    const raw = fs.readFileSync(file);
    if (raw.length < MIN_SIZE) continue;
    const gz = zlib.gzipSync(raw, { level: 9 });
    const br = zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [zlib.constants.BROTLI_PARAM_MODE]: name.endsWith(".wasm")
          ? zlib.constants.BROTLI_MODE_GENERIC
          : zlib.constants.BROTLI_MODE_TEXT,
      },
    });
    const row = { file: name, raw: raw.length, gz: null, br: null };
    if (gz.length < raw.length) {
      fs.writeFileSync(file + ".gz", gz);
      row.gz = gz.length;
    }
    if (br.length < raw.length) {
      fs.writeFileSync(file + ".br", br);
      row.br = br.length;
    }
    out.push(row);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? "dist";
  const kib = (n) => (n == null ? "-" : `${(n / 1024).toFixed(1)} KiB`);
  for (const r of precompress(dir)) {
    console.log(`${r.file}: ${kib(r.raw)} -> gzip ${kib(r.gz)}, brotli ${kib(r.br)}`);
  }
}
