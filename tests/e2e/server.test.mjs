// The static server of `./x serve` (server.mjs) serves dist/ as a production host should:
// precompressed brotli/gzip negotiated from Accept-Encoding, ETag/Last-Modified with 304
// answers, immutable caching for content-hashed files and revalidation for the rest. And the
// size check of `./x test` (tools/size-check.mjs) fails above its ceiling. No browser needed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { after, before, test } from "node:test";
import { IMMUTABLE, REVALIDATE, acceptedEncodings, startServer } from "./server.mjs";
import { precompress } from "../../tools/precompress.mjs";
import { REPO_ROOT } from "./harness.mjs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "framewise-server-"));
const WASM = "framewise-app-0123456789abcdef_bg.wasm";
const JS = "framewise-app-0123456789abcdef.js";
const wasmBody = Buffer.from("\0asm" + "framewise ".repeat(20_000));
const indexBody = `<!doctype html><title>Framewise</title>${"<p>home</p>".repeat(200)}`;
let server;

before(async () => {
  fs.writeFileSync(path.join(dir, "index.html"), indexBody);
  fs.writeFileSync(path.join(dir, "loader.js"), `// loader\n${"console.log(1);\n".repeat(200)}`);
  fs.writeFileSync(path.join(dir, JS), `export default 1;\n${"let a = 1;\n".repeat(500)}`);
  fs.writeFileSync(path.join(dir, WASM), wasmBody);
  fs.writeFileSync(path.join(dir, "tiny.txt"), "small");
  server = await startServer(dir, 0);
});

after(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** GET (or `method`) with headers; resolves `{status, headers, body: Buffer}` (body as sent). */
function get(pathname, headers = {}, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(pathname, server.url), { method, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("precompress writes brotli and gzip copies that decode to the file, skipping tiny files", () => {
  const rows = precompress(dir);
  const wasm = rows.find((r) => r.file === WASM);
  assert.ok(wasm.br < wasm.gz && wasm.gz < wasm.raw, JSON.stringify(wasm));
  assert.deepEqual(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, `${WASM}.br`))), wasmBody);
  assert.deepEqual(zlib.gunzipSync(fs.readFileSync(path.join(dir, `${WASM}.gz`))), wasmBody);
  assert.ok(fs.existsSync(path.join(dir, "index.html.br")));
  assert.ok(!fs.existsSync(path.join(dir, "tiny.txt.gz")), "files under 1 KiB stay as they are");
});

test("Accept-Encoding is parsed with q-values", () => {
  assert.deepEqual([...acceptedEncodings("gzip, deflate, br, zstd")].sort(), ["br", "deflate", "gzip", "zstd"]);
  assert.deepEqual([...acceptedEncodings("br;q=0, gzip;q=0.5")], ["gzip"]);
  assert.deepEqual([...acceptedEncodings(undefined)], []);
  assert.ok(acceptedEncodings("*").has("br"));
});

test("the encoding is negotiated: brotli, else gzip, else the file itself", async () => {
  const br = await get(`/${WASM}`, { "accept-encoding": "gzip, deflate, br" });
  assert.equal(br.status, 200);
  assert.equal(br.headers["content-encoding"], "br");
  assert.equal(br.headers["content-type"], "application/wasm");
  assert.equal(br.headers.vary, "Accept-Encoding");
  assert.equal(Number(br.headers["content-length"]), br.body.length);
  assert.deepEqual(zlib.brotliDecompressSync(br.body), wasmBody);

  const gz = await get(`/${WASM}`, { "accept-encoding": "gzip" });
  assert.equal(gz.headers["content-encoding"], "gzip");
  assert.deepEqual(zlib.gunzipSync(gz.body), wasmBody);

  const plain = await get(`/${WASM}`, { "accept-encoding": "identity" });
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.deepEqual(plain.body, wasmBody);
  const refused = await get(`/${WASM}`, { "accept-encoding": "br;q=0, gzip;q=0" });
  assert.equal(refused.headers["content-encoding"], undefined);

  // Each representation has its own validator.
  assert.equal(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size, 3);

  const head = await get(`/${WASM}`, { "accept-encoding": "br" }, "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(Number(head.headers["content-length"]), br.body.length);
});

test("hashed files are cached as immutable, index.html and other unhashed files revalidate", async () => {
  for (const name of [WASM, JS]) {
    assert.equal((await get(`/${name}`)).headers["cache-control"], IMMUTABLE, name);
  }
  for (const name of ["", "index.html", "loader.js", "tiny.txt", "some/route"]) {
    assert.equal((await get(`/${name}`)).headers["cache-control"], REVALIDATE, name || "/");
  }
  assert.equal(IMMUTABLE, "public, max-age=31536000, immutable");
  assert.equal(REVALIDATE, "no-cache");
});

test("ETag and Last-Modified validators answer 304 without a body", async () => {
  const first = await get("/index.html", { "accept-encoding": "br" });
  assert.equal(first.status, 200);
  const { etag } = first.headers;
  const lastModified = first.headers["last-modified"];
  assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+-br"$/);
  assert.ok(!Number.isNaN(Date.parse(lastModified)));

  const again = await get("/index.html", { "accept-encoding": "br", "if-none-match": etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, etag);
  assert.equal(again.headers["cache-control"], REVALIDATE);

  // Another encoding is another representation: its validator does not match.
  const otherEncoding = await get("/index.html", { "accept-encoding": "gzip", "if-none-match": etag });
  assert.equal(otherEncoding.status, 200);

  const since = await get("/index.html", { "if-modified-since": lastModified });
  assert.equal(since.status, 304);
  const older = await get("/index.html", { "if-modified-since": new Date(Date.parse(lastModified) - 60_000).toUTCString() });
  assert.equal(older.status, 200);
  assert.equal(older.body.toString(), indexBody);

  // A changed file gets a new validator: the old one no longer matches.
  const file = path.join(dir, "index.html");
  fs.writeFileSync(file, indexBody + "<p>new release</p>");
  const future = new Date(Date.now() + 5_000);
  fs.utimesSync(file, future, future);
  const changed = await get("/index.html", { "if-none-match": etag });
  assert.equal(changed.status, 200);
  assert.ok(changed.body.toString().endsWith("<p>new release</p>"));
  // Its stale precompressed copies (older than the file) are not sent.
  const stale = await get("/index.html", { "accept-encoding": "br, gzip" });
  assert.equal(stale.headers["content-encoding"], undefined);
});

test("paths outside dist/ are refused, missing files are 404", async () => {
  assert.equal((await get("/missing.js")).status, 404);
  assert.equal((await get("/..%2f..%2fetc%2fpasswd")).status, 403);
});

test("the size check fails above its ceiling and passes within it", () => {
  const check = (...args) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, "tools", "size-check.mjs"), dir, ...args], { encoding: "utf8" });
  const ok = check();
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /size check: ok: .* within the ceiling of 800\.0 KB/);
  const over = check("--ceiling", "100");
  assert.equal(over.status, 1);
  assert.match(over.stderr, /size check: FAILED: framewise-app-0123456789abcdef_bg\.wasm: .* OVER the ceiling of 0\.1 KB/);
});
