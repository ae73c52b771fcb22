// Build step: writes dist's service worker, `sw.js`, which makes Framewise start and work with the
// network off after the first visit (static/offline.js registers it).
//
// The worker caches every file of the build (the app's .js/.wasm/.css, the file-reader worker's
// files, loader.js, offline.js, the manifest and icons; `./` is index.html) in ONE cache named
// `framewise-<VERSION>`, VERSION being a SHA-256 of every file's name and bytes (16 hex digits).
// So a new release has a new cache name and a new sw.js (the browser installs a worker whose bytes
// changed), and:
// - install fetches the whole list into the new cache (content-hashed names may come from the
//   HTTP cache, the rest is revalidated with the server): all or nothing
//   (a failed file deletes the new cache; the running version stays), and index.html must carry
//   this very VERSION (`<meta name="framewise-build">`, written here too), else the server is
//   half-way through a deploy and the install fails (the browser tries again on a later visit);
// - the new worker then waits: the page shows "A new version of Framewise is available" with a
//   Reload button (static/offline.js), which tells it to take over (`skip-waiting`) and reloads;
// - activate deletes every other `framewise-*` cache: one version at a time, never a mix;
// - fetch: a page load (navigation to the app's address) gets the cached index.html, a listed
//   file its cached copy (the network only if it is missing from the cache); anything else is
//   left to the network.
//
// Run as part of Trunk's post_build hook (tools/post-build.mjs, on the staging directory) or by
// hand on a built dist (`node tools/service-worker.mjs dist`). A debug build (TRUNK_PROFILE=debug,
// `./x dev`) gets no offline cache: its sw.js removes the worker and caches a release served at
// the same address left behind, so `trunk serve` shows the code being worked on.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SW_FILE = "sw.js";
export const CACHE_PREFIX = "framewise-";
const BUILD_META = /<meta name="framewise-build" content="[^"]*">\n?\s*/;

/** The files a build consists of: every file under `dir` (relative, `/`-separated, sorted), but
 *  not sw.js itself, nor the precompressed `.br`/`.gz` copies (the server sends them in place of
 *  the file they copy), nor hidden files. */
export function buildFiles(dir) {
  const out = [];
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && rel !== SW_FILE && !/\.(br|gz)$/.test(rel)) out.push(rel);
    }
  };
  walk("");
  return out.sort();
}

/** The build's version: SHA-256 over each file's name and bytes, 16 hex digits. index.html is
 *  read without its `framewise-build` meta (which holds this very value). */
export function buildVersion(dir, files = buildFiles(dir)) {
  const hash = crypto.createHash("sha256");
  for (const name of files) {
    let bytes = fs.readFileSync(path.join(dir, name));
    if (name === "index.html") bytes = Buffer.from(bytes.toString("utf8").replace(BUILD_META, ""));
    hash.update(name).update("\0").update(String(bytes.length)).update("\0").update(bytes);
  }
  return hash.digest("hex").slice(0, 16);
}

/** The text of the release service worker for `version` and `files` (see the top of this file). */
export function releaseWorker(version, files) {
  const urls = files.map((f) => (f === "index.html" ? "./" : `./${f}`));
  return `// Framewise service worker, written by tools/service-worker.mjs for one build: do not edit.
// Offline use: every file of this build is kept in the cache CACHE; see the tool for how a new
// release replaces this one.
"use strict";
const VERSION = ${JSON.stringify(version)};
const CACHE = ${JSON.stringify(CACHE_PREFIX)} + VERSION;
const FILES = ${JSON.stringify(urls, null, 2)};
// Trunk's hashes are a u64 in hex without leading zeros: usually 16 digits, sometimes fewer.
const HASHED = /-[0-9a-f]{8,16}(_bg|_loader)?\.[a-z0-9]+$/;
const INDEX = new URL("./", self.location).href;
const LISTED = new Set(FILES.map((f) => new URL(f, self.location).href));
LISTED.add(new URL("./index.html", self.location).href);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        // All or nothing (Cache.addAll stores none of them if one fails). Content-hashed files
        // may come from the HTTP cache (the page has just loaded most of them: no second
        // download); the others are revalidated with the server (a 304 costs nothing).
        await cache.addAll(
          FILES.map((f) => new Request(new URL(f, self.location).href, { cache: HASHED.test(f) ? "default" : "no-cache" })),
        );
        const page = await (await cache.match(INDEX)).text();
        const build = page.match(/<meta name="framewise-build" content="([^"]*)">/);
        if (!build || build[1] !== VERSION) {
          throw new Error("index.html is of another build (" + (build ? build[1] : "none") + ") than sw.js (" + VERSION + ")");
        }
      } catch (err) {
        await caches.delete(CACHE);
        throw err;
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(${JSON.stringify(CACHE_PREFIX)}) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page's Reload button (static/offline.js): the waiting new version takes over.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  url.hash = "";
  url.search = "";
  let key = null;
  if (request.mode === "navigate") {
    // The app's page (hash routing: its address is always the directory or index.html).
    if (url.href === INDEX || url.href === INDEX + "index.html") key = INDEX;
  } else if (LISTED.has(url.href)) {
    key = url.href === INDEX + "index.html" ? INDEX : url.href;
  }
  if (key === null) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(key, { ignoreVary: true });
      return hit || fetch(request);
    })(),
  );
});
`;
}

/** The debug build's service worker: removes a release's worker and caches, then itself. */
export function debugWorker() {
  return `// Framewise service worker of a debug build (trunk serve), written by tools/service-worker.mjs:
// no offline cache while developing. If a release was served at this address before, its worker
// is replaced by this one, which deletes the release's caches and unregisters itself.
"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(${JSON.stringify(CACHE_PREFIX)})) await caches.delete(name);
      }
      await self.registration.unregister();
    })(),
  );
});
`;
}

/** Run by hand on a dist that was already compressed: the `.br`/`.gz` copies of the two files
 *  rewritten here are out of date (run tools/precompress.mjs again to make new ones). */
function dropStaleCopies(dir) {
  for (const name of ["index.html", SW_FILE]) {
    for (const ext of [".br", ".gz"]) fs.rmSync(path.join(dir, name + ext), { force: true });
  }
}

/**
 * Write `dir/sw.js` and, for a release, the build's version into index.html
 * (`<meta name="framewise-build" content="VERSION">`, which static/offline.js needs before it
 * registers the worker). Returns `{ version, files }` (`version` null for a debug build).
 */
export function writeServiceWorker(dir, { profile = "release" } = {}) {
  const indexPath = path.join(dir, "index.html");
  if (!fs.existsSync(indexPath)) throw new Error(`tools/service-worker.mjs: ${indexPath} not found`);
  const page = fs.readFileSync(indexPath, "utf8").replace(BUILD_META, "");
  if (profile === "debug") {
    fs.writeFileSync(indexPath, page);
    fs.writeFileSync(path.join(dir, SW_FILE), debugWorker());
    dropStaleCopies(dir);
    return { version: null, files: [] };
  }
  fs.writeFileSync(indexPath, page);
  const files = buildFiles(dir);
  const version = buildVersion(dir, files);
  if (!page.includes("</head>")) throw new Error("tools/service-worker.mjs: index.html has no </head>");
  const meta = `<meta name="framewise-build" content="${version}">\n  `;
  fs.writeFileSync(indexPath, page.replace("</head>", `${meta}</head>`));
  fs.writeFileSync(path.join(dir, SW_FILE), releaseWorker(version, files));
  dropStaleCopies(dir);
  return { version, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? "dist";
  const { version, files } = writeServiceWorker(dir, { profile: process.env.TRUNK_PROFILE ?? "release" });
  console.log(version ? `${dir}/${SW_FILE}: cache ${CACHE_PREFIX}${version}, ${files.length} files` : `${dir}/${SW_FILE}: debug build, no offline cache`);
}
