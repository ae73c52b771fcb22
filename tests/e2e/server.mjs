// The static file server for the built app (dist/), bound to 127.0.0.1 only. `./x serve` and
// every end-to-end test and benchmark use it, and it serves dist/ the way a production host
// should (README.md, "Hosting dist/"):
//
// - precompressed files: `NAME.br` / `NAME.gz` beside `NAME` (written after the build by
//   `tools/precompress.mjs`, `./x build`) are sent with `Content-Encoding: br` / `gzip` when the
//   request's Accept-Encoding allows it (brotli preferred), else the file itself;
//   `Vary: Accept-Encoding` always;
// - validators: `ETag` (per representation) and `Last-Modified`; `If-None-Match` /
//   `If-Modified-Since` that still match get `304 Not Modified` with no body;
// - caching: content-hashed names (`NAME-<16 hex>.ext`, `NAME-<16 hex>_bg.wasm`: Trunk's and
//   the worker's) are `public, max-age=31536000, immutable`; everything else (index.html,
//   loader.js) is `no-cache` (revalidated on every load, so a new release is picked up).
//
//   import { startServer } from "./server.mjs";
//   const server = await startServer("dist");      // port 0 = any free port
//   server.url                                      // "http://127.0.0.1:PORT/"
//   await server.close();
//
// As a command (used by `./x serve`):  node tests/e2e/server.mjs dist 8080
//
// `.wasm` is served as application/wasm (needed for streaming compilation). Paths without a
// file extension fall back to index.html, like a single-page-app host would.
import http from "node:http";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Content-hashed file names (Trunk's `-<16 hex>` before the extension, `_bg` for wasm). */
export const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z0-9]+$/;
export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";

/**
 * The encodings a request accepts, from its Accept-Encoding header (`q=0` refuses one).
 * @param {string | undefined} header
 * @returns {Set<string>}
 */
export function acceptedEncodings(header) {
  const out = new Set();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && !(Number(q.slice(2)) > 0)) continue;
    out.add(name);
  }
  if (out.has("*")) {
    out.add("br");
    out.add("gzip");
  }
  return out;
}

/** True when `If-None-Match` lists `etag` (or `*`); weak validators compare weakly. */
function etagMatches(header, etag) {
  const strip = (t) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || strip(t) === strip(etag));
}

/**
 * Serve `dir` on 127.0.0.1:`port` (0 = pick a free port).
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>, requests: string[]}>}
 *   `requests` lists every path the server was asked for, in order.
 */
export async function startServer(dir, port = 0) {
  const root = path.resolve(dir);
  const requests = [];
  const server = http.createServer(async (req, res) => {
    requests.push(req.url ?? "");
    try {
      const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      let file = path.join(root, pathname);
      if (file !== root && !file.startsWith(root + path.sep)) {
        res.writeHead(403).end("forbidden");
        return;
      }
      let stat = await fs.stat(file).catch(() => null);
      if (stat?.isDirectory()) {
        file = path.join(file, "index.html");
        stat = await fs.stat(file).catch(() => null);
      }
      if (!stat && path.extname(pathname) === "") {
        file = path.join(root, "index.html");
        stat = await fs.stat(file).catch(() => null);
      }
      if (!stat?.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      // The best precompressed representation the client accepts, if one was written.
      const accepted = acceptedEncodings(req.headers["accept-encoding"]);
      let served = file;
      let encoding = null;
      for (const [name, ext] of [["br", ".br"], ["gzip", ".gz"]]) {
        if (!accepted.has(name)) continue;
        const s = await fs.stat(file + ext).catch(() => null);
        // A compressed copy older than the file is left over from an earlier build: not used.
        if (s?.isFile() && s.mtimeMs >= stat.mtimeMs) {
          [served, encoding] = [file + ext, name];
          break;
        }
      }
      const mtime = new Date(Math.floor(stat.mtimeMs / 1000) * 1000);
      const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ""}"`;
      const headers = {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": HASHED.test(path.basename(file)) ? IMMUTABLE : REVALIDATE,
        etag,
        "last-modified": mtime.toUTCString(),
        vary: "Accept-Encoding",
        "x-content-type-options": "nosniff",
      };
      if (encoding) headers["content-encoding"] = encoding;
      const inm = req.headers["if-none-match"];
      const ims = Date.parse(req.headers["if-modified-since"] ?? "");
      const fresh = inm !== undefined ? etagMatches(inm, etag) : !Number.isNaN(ims) && mtime.getTime() <= ims;
      if (fresh && (req.method === "GET" || req.method === "HEAD")) {
        res.writeHead(304, headers).end();
        return;
      }
      const body = await fs.readFile(served);
      res.writeHead(200, { ...headers, "content-length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(err));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const actualPort = /** @type {import("node:net").AddressInfo} */ (server.address()).port;
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    port: actualPort,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? "dist";
  const port = Number(process.argv[3] ?? 8080);
  const server = await startServer(dir, port);
  console.log(`Serving ${path.resolve(dir)} on ${server.url}`);
}
