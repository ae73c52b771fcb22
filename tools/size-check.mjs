// The main `.wasm`'s size ceiling, checked by `./x test` (a build over it FAILS the run) and
// shown by the benchmark. Heavy readers, writers and computations belong in the worker (worker/)
// or the CLI, where size does not matter; see ARCHITECTURE.md.
//
//   node tools/size-check.mjs [dist] [--ceiling BYTES]   (exit 1 above the ceiling)
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

/** The ceiling: 800 KB gzipped (level 9), read strictly as 800,000 bytes. */
export const WASM_GZIP_CEILING = 800_000;

/** The app's main module in `dir`: `framewise-app-HASH_bg.wasm` (never the worker's). */
export function mainWasm(dir) {
  const names = fs.readdirSync(dir).filter((n) => /^framewise-app-.*_bg\.wasm$/.test(n));
  if (names.length !== 1) {
    throw new Error(`expected one framewise-app-*_bg.wasm in ${dir}, found ${names.length}: build first`);
  }
  return path.join(dir, names[0]);
}

/**
 * Checks the main module against `ceiling`. Returns `{ok, file, raw, gzip, ceiling, message}`.
 */
export function checkSize(dir, ceiling = WASM_GZIP_CEILING) {
  const file = mainWasm(dir);
  const raw = fs.readFileSync(file);
  const gzip = zlib.gzipSync(raw, { level: 9 }).length;
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  const ok = gzip <= ceiling;
  const message = ok
    ? `${path.basename(file)}: ${kb(gzip)} gzipped (${kb(raw.length)} raw), within the ceiling of ${kb(ceiling)} (${kb(ceiling - gzip)} left)`
    : `${path.basename(file)}: ${kb(gzip)} gzipped is OVER the ceiling of ${kb(ceiling)} by ${kb(gzip - ceiling)}: move heavy code to the worker (worker/) instead`;
  return { ok, file, raw: raw.length, gzip, ceiling, message };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--ceiling");
  const ceiling = at >= 0 ? Number(args.splice(at, 2)[1]) : WASM_GZIP_CEILING;
  if (!(ceiling > 0)) {
    console.error("--ceiling needs a number of bytes");
    process.exit(2);
  }
  try {
    const r = checkSize(args[0] ?? "dist", ceiling);
    (r.ok ? console.log : console.error)(`size check: ${r.ok ? "ok" : "FAILED"}: ${r.message}`);
    process.exit(r.ok ? 0 : 1);
  } catch (e) {
    console.error(`size check: FAILED: ${e.message}`);
    process.exit(1);
  }
}
