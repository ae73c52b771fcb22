// Trunk post_build hook (Trunk.toml [[hooks]]): gives the worker's files content-hashed names.
//
// Trunk names a worker's files after its bin, unhashed (framewise-worker.js, _bg.wasm and the
// loader shim _loader.js), so after a new release a browser could keep a cached old worker that
// speaks an older protocol than the app. This renames them to framewise-worker-HASH.js /
// -HASH_bg.wasm / -HASH_loader.js (HASH: SHA-256 of the .js and .wasm, 16 hex digits), rewrites
// the loader shim to match, and points index.html's data-framewise-worker (Trunk.toml
// pattern_script) at the new loader. Runs in Trunk's staging directory (TRUNK_STAGING_DIR).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("worker/hash-names.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)");
  process.exit(1);
}
const at = (name) => path.join(dir, name);
const js = at("framewise-worker.js");
const wasm = at("framewise-worker_bg.wasm");
const loader = at("framewise-worker_loader.js");
const html = at("index.html");
for (const f of [js, wasm, loader, html]) {
  if (!fs.existsSync(f)) {
    console.error(`worker/hash-names.mjs: ${f} not found`);
    process.exit(1);
  }
}

const hash = crypto
  .createHash("sha256")
  .update(fs.readFileSync(js))
  .update(fs.readFileSync(wasm))
  .digest("hex")
  .slice(0, 16);
const base = `framewise-worker-${hash}`;
fs.renameSync(js, at(`${base}.js`));
fs.renameSync(wasm, at(`${base}_bg.wasm`));
fs.rmSync(loader);
// What Trunk's loader shim does for a no-modules worker, with the new names.
fs.writeFileSync(at(`${base}_loader.js`), `importScripts("./${base}.js");wasm_bindgen("./${base}_bg.wasm");`);

const page = fs.readFileSync(html, "utf8");
const attribute = /data-framewise-worker="([^"]*)framewise-worker_loader\.js"/g;
const found = page.match(attribute) ?? [];
if (found.length !== 1) {
  console.error(`worker/hash-names.mjs: expected one data-framewise-worker="…framewise-worker_loader.js" in index.html, found ${found.length}`);
  process.exit(1);
}
fs.writeFileSync(html, page.replace(attribute, `data-framewise-worker="$1${base}_loader.js"`));
console.log(`worker files: ${base}{.js,_bg.wasm,_loader.js}`);
