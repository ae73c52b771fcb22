// The single-file build (`./x single`): turns a release build (dist/) into ONE self-contained
// `framewise.html` that runs when opened from disk (file://), for a USB stick or an e-mail
// attachment. Nothing is fetched: the page carries
// - the CSS, as <style> elements;
// - the app's wasm and the file-reader worker's wasm, gzipped and base64-encoded in data blocks
//   (<script type="application/octet-stream">, never run), inflated in the page with the
//   browser's DecompressionStream and instantiated from the bytes;
// - the app's wasm-bindgen JavaScript in one inline module script that also boots the app (what
//   static/loader.js does for dist/);
// - the worker's JavaScript in a text block, started from a blob: URL (which the app reads from
//   the boot script's data-framewise-worker, as it reads the hashed name in dist/).
//
// The Content-Security-Policy is index.html's with every 'self' taken out (a file:// page has no
// origin of its own to load from, and browsers differ on which other file: URLs 'self' would let
// in; nothing needs loading) and the inline boot script allowed by its SHA-256 hash in place of
// script-src 'self'. Directives left with nothing become 'none'. So the page may run exactly its
// one script and compile its own wasm, start workers only from blob: URLs, and fetch nothing.
// Left out: the service worker and its registration (offline.js; file:// has no service
// workers and needs none), the manifest and the touch icon; the favicon is inlined as data:.
//
//   node tools/single-file.mjs [dist] [out.html]      (defaults: dist, framewise.html)
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

/** The attributes of one HTML start tag, e.g. `<link rel="x" href="y">` → {rel: "x", href: "y"}. */
function attributes(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
    if (m.index === 0 || tag[m.index - 1] === "<") continue;
    out[m[1].toLowerCase()] = m[2] ?? "";
  }
  return out;
}

/** The file `ref` (an absolute or relative URL of the page) inside `dist`. */
function distFile(dist, ref) {
  const name = decodeURIComponent(ref.replace(/^\.?\//, "").split(/[?#]/)[0]);
  const file = path.resolve(dist, name);
  if (!file.startsWith(path.resolve(dist) + path.sep) || !fs.existsSync(file)) {
    throw new Error(`tools/single-file.mjs: the page refers to ${ref}, not found in ${dist}`);
  }
  return file;
}

/** Text that will sit inside a <script> or <style> element: it must not close it early. */
function rawText(text, what) {
  if (/<\/(script|style)/i.test(text) || /<!--/.test(text)) {
    throw new Error(`tools/single-file.mjs: ${what} contains "</script", "</style" or "<!--"`);
  }
  return text;
}

/** Base64 of the gzipped bytes (the page inflates them with DecompressionStream("gzip")). */
function packed(bytes) {
  return zlib.gzipSync(bytes, { level: 9 }).toString("base64");
}

// Runs in the page (and, stringified, in the worker): base64 → gzip → bytes.
const INFLATE = `async function inflate(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}`;

/** The inline module: the app's wasm-bindgen glue, then the boot (as static/loader.js does). */
function bootScript(glue) {
  if (!/export \{ initSync, __wbg_init as default \};/.test(glue)) {
    throw new Error("tools/single-file.mjs: the app's JavaScript has no `__wbg_init as default` export (wasm-bindgen changed?)");
  }
  if (/^\s*import\b/m.test(glue)) {
    throw new Error("tools/single-file.mjs: the app's JavaScript imports other files (snippets), which cannot be inlined yet");
  }
  return `${glue}
// ---- Framewise single-file boot (tools/single-file.mjs); in a block, clear of the glue's names ----
{
  ${INFLATE}
  const block = (id) => document.getElementById(id).textContent.trim();
  const boot = document.querySelector("script[data-framewise-worker]");
  // The file-reader worker, from a blob: URL (src/worker_client.rs reads data-framewise-worker).
  const workerSource = block("framewise-worker-js") +
    "\\n;" + inflate.toString() +
    "\\n;inflate(" + JSON.stringify(block("framewise-worker-wasm")) + ").then((bytes) => wasm_bindgen({ module_or_path: bytes }));";
  boot.setAttribute("data-framewise-worker", URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" })));
  const instance = await __wbg_init({ module_or_path: await inflate(block("framewise-app-wasm")) });
  window.wasmBindings = { default: __wbg_init, initSync };
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: instance } }));
}
`;
}

/** The single-file CSP from index.html's: no 'self', the boot script by its hash. */
export function singleFileCsp(csp, scriptHashes) {
  return csp
    .split(";")
    .map((d) => d.trim())
    .filter(Boolean)
    .map((directive) => {
      const [name, ...values] = directive.split(/\s+/);
      let kept = values.filter((v) => v !== "'self'");
      if (name === "script-src") kept = [...scriptHashes.map((h) => `'sha256-${h}'`), ...kept];
      return `${name} ${kept.length ? kept.join(" ") : "'none'"}`;
    })
    .join("; ");
}

/**
 * Build the single file from `dist` (a release build) into `out`.
 * @returns {{ out: string, bytes: number, csp: string }}
 */
export function buildSingleFile(dist, out) {
  let page = fs.readFileSync(path.join(dist, "index.html"), "utf8");

  // The boot script of Trunk.toml's pattern_script (static/loader.js and its data attributes).
  const bootTag = page.match(/<script\b[^>]*\bdata-framewise-js="[^"]*"[^>]*><\/script>/);
  if (!bootTag) throw new Error("tools/single-file.mjs: no boot <script data-framewise-js> in index.html");
  const boot = attributes(bootTag[0]);
  for (const key of ["data-framewise-js", "data-framewise-wasm", "data-framewise-worker"]) {
    if (!boot[key]) throw new Error(`tools/single-file.mjs: the boot script has no ${key}`);
  }
  const glue = fs.readFileSync(distFile(dist, boot["data-framewise-js"]), "utf8");
  const appWasm = fs.readFileSync(distFile(dist, boot["data-framewise-wasm"]));
  // The worker: its loader shim names its JavaScript and wasm (worker/hash-names.mjs).
  const shim = fs.readFileSync(distFile(dist, boot["data-framewise-worker"]), "utf8");
  const shimNames = shim.match(/importScripts\("([^"]+)"\);\s*wasm_bindgen\("([^"]+)"\)/);
  if (!shimNames) throw new Error(`tools/single-file.mjs: unexpected worker loader: ${shim.slice(0, 200)}`);
  const workerJs = fs.readFileSync(distFile(dist, shimNames[1]), "utf8");
  const workerWasm = fs.readFileSync(distFile(dist, shimNames[2]));
  if (!/\bwasm_bindgen\b/.test(workerJs)) throw new Error("tools/single-file.mjs: the worker's JavaScript defines no wasm_bindgen");

  const script = rawText(bootScript(glue), "the app's JavaScript");
  const hash = crypto.createHash("sha256").update(script, "utf8").digest("base64");
  const blocks = [
    `<script type="application/octet-stream" id="framewise-app-wasm">${packed(appWasm)}</script>`,
    `<script type="application/octet-stream" id="framewise-worker-wasm">${packed(workerWasm)}</script>`,
    `<script type="text/plain" id="framewise-worker-js">${rawText(workerJs, "the worker's JavaScript")}</script>`,
    `<script type="module" data-framewise-worker="">${script}</script>`,
  ].join("\n");
  page = page.replace(bootTag[0], () => blocks);

  // Links: stylesheets inlined, the favicon as data:, everything else that would be fetched
  // (preloads, the manifest, the touch icon) left out.
  page = page.replace(/<link\b[^>]*>/g, (tag) => {
    const a = attributes(tag);
    const rel = (a.rel ?? "").toLowerCase();
    if (rel === "stylesheet") {
      return `<style>${rawText(fs.readFileSync(distFile(dist, a.href), "utf8"), a.href)}</style>`;
    }
    if (rel === "icon") {
      if (a.href.startsWith("data:")) return tag;
      const type = a.type || "image/svg+xml";
      const data = fs.readFileSync(distFile(dist, a.href)).toString("base64");
      return `<link rel="icon" type="${type}" href="data:${type};base64,${data}">`;
    }
    if (["modulepreload", "preload", "manifest", "apple-touch-icon"].includes(rel)) return "";
    throw new Error(`tools/single-file.mjs: do not know what to do with ${tag}`);
  });
  // The service worker's registration (file:// pages have none).
  page = page.replace(/<script type="module" src="[^"]*offline\.js"><\/script>\s*/, "");

  const cspTag = page.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  if (!cspTag) throw new Error("tools/single-file.mjs: index.html has no Content-Security-Policy meta");
  const csp = singleFileCsp(cspTag[1], [hash]);
  page = page.replace(cspTag[0], () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`);

  // Nothing may be left that a browser would fetch from beside the file.
  const outside = [...page.matchAll(/<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(?!data:)([^"]*)"/g)].map((m) => m[1]);
  if (outside.length) throw new Error(`tools/single-file.mjs: still refers to files: ${outside.join(", ")}`);

  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, page);
  return { out, bytes: Buffer.byteLength(page), csp };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? "dist";
  const out = process.argv[3] ?? "framewise.html";
  const { bytes, csp } = buildSingleFile(dist, out);
  console.log(`${out}: ${(bytes / 1024 / 1024).toFixed(1)} MB, one file (open it from disk)`);
  console.log(`CSP: ${csp}`);
}
