// Offline use (issue 11, "Offline and zero install"): after one visit the service worker
// (dist/sw.js, tools/service-worker.mjs; registered by static/offline.js) has the whole build, so
// with the server stopped and the network off the app still starts, opens the demo (built in the
// file-reader worker: its files come from the cache too), codes and saves; a new build's worker
// replaces the old one only when the person presses Reload, and leaves one cache behind; the
// app is installable (manifest, icons).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { DIST, openApp, REPO_ROOT } from "./harness.mjs";
import { startServer } from "./server.mjs";
import {
  applyCodeFromPicker,
  codedRuns,
  codeItem,
  DEMO_PROJECT,
  dragSelect,
  openDemo,
  presetCoder,
  projectRows,
  reloadHome,
  tempDir,
  waitForController,
  waitForStored,
} from "./steps.mjs";
import { buildFiles, buildVersion, CACHE_PREFIX, writeServiceWorker } from "../../tools/service-worker.mjs";

/** The build version the page carries (index.html's framewise-build meta). */
function pageBuild(app) {
  return app.page.evaluate(() => document.querySelector('meta[name="framewise-build"]')?.getAttribute("content"));
}

/** The names of this origin's caches. */
function cacheNames(app) {
  return app.page.evaluate(() => caches.keys());
}

/** A copy of dist/ (without the precompressed copies), to play a second release in. */
function copyOfDist() {
  const dir = path.join(tempDir("framewise-offline-"), "dist");
  fs.cpSync(DIST, dir, { recursive: true, filter: (src) => !/\.(br|gz)$/.test(src) });
  return dir;
}

/** Select the first words of the reading view's second paragraph and code them `code`. */
async function codeSomeWords(app, code) {
  const text = await app.page.locator(".reader p.para").nth(1).innerText();
  const words = (text.includes(":") ? text.split(":").slice(1).join(":") : text).trim().split(" ");
  const phrase = words.slice(0, 4).join(" ");
  await dragSelect(app, phrase);
  await applyCodeFromPicker(app, code);
  await codeItem(app, code).waitFor();
  assert.deepEqual(await codedRuns(app, code), [phrase]);
  return phrase;
}

test("the build's version covers every file: content changes it, nothing else does", () => {
  const dir = copyOfDist();
  const files = buildFiles(dir);
  assert.ok(files.includes("index.html") && files.includes("loader.js") && files.includes("offline.js"), files.join(" "));
  assert.ok(files.some((f) => /^framewise-worker-[0-9a-f]{8,16}_bg\.wasm$/.test(f)), "the file-reader worker's wasm is cached");
  assert.ok(files.some((f) => /^framewise-app-[0-9a-f]{8,16}_bg\.wasm$/.test(f)), "the app's wasm is cached");
  assert.ok(files.includes("manifest.webmanifest") && files.includes("icon-512.png"));
  assert.ok(!files.includes("sw.js") && !files.some((f) => /\.(br|gz)$/.test(f)), "not sw.js, not .br/.gz copies");
  // The built sw.js lists exactly these files under the version index.html carries.
  const page = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const version = page.match(/<meta name="framewise-build" content="([0-9a-f]{16})">/)?.[1];
  assert.ok(version, "index.html carries the build's version");
  assert.equal(buildVersion(dir), version, "the version is the files' hash");
  const sw = fs.readFileSync(path.join(dir, "sw.js"), "utf8");
  assert.ok(sw.includes(`const VERSION = "${version}";`));
  for (const f of files) assert.ok(sw.includes(f === "index.html" ? '"./"' : `"./${f}"`), `sw.js lists ${f}`);

  // Writing it again changes nothing (same files, same bytes); a touched file's time neither.
  const again = writeServiceWorker(dir);
  assert.equal(again.version, version);
  fs.utimesSync(path.join(dir, "loader.js"), new Date(), new Date(Date.now() + 60_000));
  assert.equal(buildVersion(dir), version, "only content counts, not file times");
  // One byte more in one file: a new version, a new sw.js.
  fs.appendFileSync(path.join(dir, "loader.js"), "\n");
  const next = writeServiceWorker(dir);
  assert.notEqual(next.version, version);
  assert.ok(fs.readFileSync(path.join(dir, "sw.js"), "utf8").includes(`const VERSION = "${next.version}";`));
  assert.ok(fs.readFileSync(path.join(dir, "index.html"), "utf8").includes(`content="${next.version}"`));
  assert.equal(fs.readFileSync(path.join(dir, "index.html"), "utf8").match(/framewise-build/g).length, 1);

  // A debug build (trunk serve) gets no offline cache: no version in index.html (so offline.js
  // registers nothing), and a sw.js that only clears a release's caches and unregisters.
  const debug = writeServiceWorker(dir, { profile: "debug" });
  assert.equal(debug.version, null);
  assert.ok(!fs.readFileSync(path.join(dir, "index.html"), "utf8").includes("framewise-build"));
  const debugSw = fs.readFileSync(path.join(dir, "sw.js"), "utf8");
  assert.ok(debugSw.includes("unregister()") && !debugSw.includes("addAll") && !debugSw.includes('"fetch"'));
});

test("with the server stopped and the network off, the app starts, opens the demo, codes and saves", { timeout: 120_000 }, async () => {
  const server = await startServer(DIST, 0);
  const app = await openApp({ server });
  try {
    await presetCoder(app);
    await waitForController(app);
    assert.deepEqual(await cacheNames(app), [`${CACHE_PREFIX}${await pageBuild(app)}`]);

    // Nothing to load from any more.
    await server.close();
    await app.context.setOffline(true);
    const before = app.requests.length;
    await reloadHome(app);
    assert.ok(app.requests.length > before, "the page loaded again");

    await openDemo(app);
    await app.page.locator(".reader p.para").first().waitFor();
    const start = await waitForStored(app, DEMO_PROJECT, () => true);
    await codeSomeWords(app, "Coded offline");
    await waitForStored(app, DEMO_PROJECT, (r) => r.codings === start.codings + 1);

    // Reloaded (still offline), the project reopens where it was, the passage still coded.
    await app.reload();
    await codeItem(app, "Coded offline").waitFor();
    await app.page.locator(".reader [data-coded]").first().waitFor();
    assert.equal((await codedRuns(app, "Coded offline")).length, 1);
    await app.screenshot("offline-coded-after-reload");
    await reloadHome(app);
    const row = (await projectRows(app)).find((r) => r.name === DEMO_PROJECT);
    assert.equal(row?.cells[2], String(start.codings + 1), `listed with the new coding: ${JSON.stringify(row)}`);
    app.assertClean();
  } finally {
    await app.close();
    await server.close();
  }
});

test("a new build replaces the old only on Reload, and leaves only its own cache", { timeout: 120_000 }, async () => {
  const dir = copyOfDist();
  const server = await startServer(dir, 0);
  const app = await openApp({ server });
  const { page } = app;
  try {
    await waitForController(app);
    const first = await pageBuild(app);
    assert.equal(first, buildVersion(dir));
    assert.deepEqual(await cacheNames(app), [`${CACHE_PREFIX}${first}`]);
    // No notice on the first visit: there was nothing to replace.
    assert.equal(await app.byRole("button", "Reload").count(), 0);

    // Release 2 is deployed: one file changed, so a new sw.js and version.
    fs.appendFileSync(path.join(dir, "loader.js"), "\n// release 2\n");
    const { version: second } = writeServiceWorker(dir);
    assert.notEqual(second, first);

    // The browser looks for it (on a later load, or the page's hourly check): installed beside
    // the running version, which goes on unchanged until the person reloads.
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    const notice = app.byRole("region", "New version");
    await notice.waitFor();
    await notice.getByText("A new version of Framewise is available.", { exact: true }).waitFor();
    assert.equal(await notice.getByRole("status").innerText(), "A new version of Framewise is available.");
    assert.deepEqual((await cacheNames(app)).sort(), [`${CACHE_PREFIX}${first}`, `${CACHE_PREFIX}${second}`].sort());
    assert.equal(await pageBuild(app), first);
    await app.screenshot("offline-new-version-notice");
    // The notice passes axe (every default rule; axe evaluated through DevTools, not the page).
    await page.evaluate(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8"));
    const violations = await page.evaluate(async () =>
      (await window.axe.run(document.getElementById("update-notice"), { resultTypes: ["violations"] })).violations.map(
        (v) => `${v.impact} ${v.id}: ${v.help}`,
      ),
    );
    assert.deepEqual(violations, [], violations.join("\n"));
    // Keyboard: the Reload button is reached with Tab like any other control.
    assert.equal(await notice.getByRole("button", { name: "Reload", exact: true }).evaluate((b) => b.tabIndex), 0);

    const loaded = page.waitForEvent("load");
    await notice.getByRole("button", { name: "Reload", exact: true }).click();
    await loaded;
    await app.waitForStarted();
    await waitForController(app);
    assert.equal(await pageBuild(app), second, "the page is the new release");
    assert.deepEqual(await cacheNames(app), [`${CACHE_PREFIX}${second}`], "the old cache is gone");
    const loader = await page.evaluate(async () => (await fetch("loader.js")).text());
    assert.ok(loader.endsWith("// release 2\n"), "its files come from the new cache");
    assert.equal(await app.byRole("region", "New version").count(), 0);
    app.assertClean();
  } finally {
    await app.close();
    await server.close();
  }
});

test("the app is installable: manifest, icons, theme colour, service worker", { timeout: 60_000 }, async () => {
  const app = await openApp();
  try {
    await waitForController(app);
    const cdp = await app.context.newCDPSession(app.page);
    const { url, errors, data } = await cdp.send("Page.getAppManifest");
    assert.ok(url.endsWith("/manifest.webmanifest"), url);
    assert.deepEqual(errors, []);
    const manifest = JSON.parse(data);
    assert.equal(manifest.name, "Framewise");
    assert.equal(manifest.display, "standalone");
    assert.ok(manifest.icons.some((i) => i.sizes === "512x512") && manifest.icons.some((i) => i.sizes === "192x192"));
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    // A throw-away test profile counts as incognito; anything else would stop installing.
    const blocking = installabilityErrors.filter((e) => e.errorId !== "in-incognito");
    assert.deepEqual(blocking, [], JSON.stringify(installabilityErrors));
    for (const icon of manifest.icons) {
      const res = await app.page.evaluate(async (src) => {
        const r = await fetch(src);
        return { ok: r.ok, type: r.headers.get("content-type"), size: (await r.arrayBuffer()).byteLength };
      }, icon.src);
      assert.ok(res.ok && res.size > 100 && res.type.startsWith(icon.type), `${icon.src}: ${JSON.stringify(res)}`);
    }
    assert.equal(
      await app.page.evaluate(() => document.querySelector('meta[name="theme-color"]')?.getAttribute("content")),
      manifest.theme_color,
    );
    app.assertClean();
  } finally {
    await app.close();
  }
});
