// The single-file build (`./x single`, tools/single-file.mjs): one framewise.html opened from
// disk (file://) in headless Chromium shows the home screen (saying where its projects live),
// opens the demo (built in the file-reader worker, started from a blob: URL) and codes a passage
// that is still there after a reload; nothing is fetched but the file itself, and the page
// keeps its Content-Security-Policy (no violations; the harness fails on any).
//
// It uses FRAMEWISE_SINGLE if set (a framewise.html built already), else builds one from the
// dist under test into a temporary directory (a second or so).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { DIST, openApp } from "./harness.mjs";
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
  waitForHome,
  waitForStored,
} from "./steps.mjs";
import { buildSingleFile } from "../../tools/single-file.mjs";
import { firefoxPath, launchFirefox } from "./firefox.mjs";
import { ARTIFACTS } from "./harness.mjs";

let built = null;
function singleFile() {
  if (process.env.FRAMEWISE_SINGLE) return path.resolve(process.env.FRAMEWISE_SINGLE);
  built ??= buildSingleFile(DIST, path.join(tempDir("framewise-single-"), "framewise.html")).out;
  return built;
}

test("the single file is self-contained and keeps a strict CSP", () => {
  const page = fs.readFileSync(singleFile(), "utf8");
  const csp = page.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];
  assert.ok(csp, "it has a CSP");
  assert.ok(!csp.includes("'self'"), csp);
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*' 'wasm-unsafe-eval';/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /worker-src blob:;/);
  assert.ok(!/unsafe-eval'|'unsafe-inline' .*script|script-src[^;]*unsafe-inline/.test(csp.replace("'wasm-unsafe-eval'", "")), csp);
  // Exactly one script runs (the boot module); the rest are data blocks.
  const scripts = [...page.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  assert.equal(scripts.filter((a) => /type="module"/.test(a)).length, 1, scripts.join(" | "));
  assert.ok(scripts.every((a) => !/\bsrc=/.test(a)), "no script is loaded from a file");
  assert.ok(!/<link\b[^>]*rel="(stylesheet|manifest|modulepreload|preload)"/.test(page), "no linked files");
});

test("opened from file://, the single file starts, opens the demo, codes and keeps it", { timeout: 120_000 }, async () => {
  const file = singleFile();
  const url = pathToFileURL(file).href;
  const app = await openApp({ url });
  try {
    await presetCoder(app);
    await waitForHome(app);
    // The home screen says where projects opened this way live.
    const note = app.page.locator(".storage-note").filter({ hasText: "opened Framewise from a file" });
    await note.waitFor();
    assert.match(await note.innerText(), /opened Framewise from a file on this computer.*this browser’s storage/s);
    await app.screenshot("single-file-home");

    await openDemo(app);
    await app.page.locator(".reader p.para").first().waitFor();
    const start = await waitForStored(app, DEMO_PROJECT, () => true);
    const text = await app.page.locator(".reader p.para").nth(1).innerText();
    const words = (text.includes(":") ? text.split(":").slice(1).join(":") : text).trim().split(" ");
    const phrase = words.slice(0, 4).join(" ");
    await dragSelect(app, phrase);
    await applyCodeFromPicker(app, "Coded from disk");
    await codeItem(app, "Coded from disk").waitFor();
    assert.deepEqual(await codedRuns(app, "Coded from disk"), [phrase]);
    await waitForStored(app, DEMO_PROJECT, (r) => r.codings === start.codings + 1);
    await app.screenshot("single-file-coded");

    // Kept in this browser's storage for the file: after a reload it is listed with the coding.
    await reloadHome(app);
    const row = (await projectRows(app)).find((r) => r.name === DEMO_PROJECT);
    assert.equal(row?.cells[2], String(start.codings + 1), JSON.stringify(row));

    // Nothing was fetched but the page itself (data: and blob: never leave the page).
    const fetched = app.requests.map((r) => r.url).filter((u) => !/^(data|blob):/.test(u));
    assert.deepEqual([...new Set(fetched)], [url], fetched.join("\n"));
    app.assertClean();
  } finally {
    await app.close();
  }
});

// Firefox (Debian's firefox-esr, over Marionette: tests/e2e/firefox.mjs); skipped when no Firefox
// is installed. Home screen with the storage note, the demo built by the worker (blob: URL,
// wasm from bytes), a passage coded by a mouse drag and the picker, still coded after a reload
// (IndexedDB of the file).
test("opened from file:// in Firefox, the single file starts, opens the demo, codes and keeps it", { timeout: 120_000, skip: firefoxPath() ? false : "no Firefox installed (set FIREFOX or install firefox-esr)" }, async () => {
  const ff = await launchFirefox();
  try {
    await ff.navigate(pathToFileURL(singleFile()).href);
    await ff.waitFor("document.querySelector('.storage-note') && document.body.innerText.includes('Projects in this browser')", 30_000);
    await ff.eval("localStorage.setItem('framewise.coder', 'Firefox coder')");
    await ff.eval("[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Open demo project').click()");
    await ff.waitFor(`document.querySelector('h1')?.textContent === ${JSON.stringify(DEMO_PROJECT)}`, 30_000);
    await ff.waitFor("document.querySelectorAll('.reader p.para').length > 3");
    await ff.waitFor("document.querySelector('.toolbar [role=status]')?.textContent.trim() === 'Saved in this browser'");
    // Code the first words of the second paragraph: a mouse drag, then the picker.
    const points = await ff.eval(`
      const p = document.querySelectorAll(".reader p.para")[1];
      p.scrollIntoView({ block: "center" });
      const text = p.textContent;
      const body = text.includes(":") ? text.slice(text.indexOf(":") + 1) : text;
      const phrase = body.trim().split(" ").slice(0, 4).join(" ");
      const at = text.indexOf(phrase);
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      const nodes = [];
      let pos = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push({ n, start: pos }); pos += n.data.length; }
      const rect = (off) => {
        const { n, start } = nodes.filter((x) => x.start <= off).pop();
        const r = document.createRange();
        r.setStart(n, off - start);
        r.setEnd(n, off - start + 1);
        return r.getBoundingClientRect();
      };
      const a = rect(at), b = rect(at + phrase.length - 1);
      return { phrase, x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
    `);
    await ff.drag(points.x1, points.y1, points.x2, points.y2);
    await ff.waitFor(`document.querySelector('[role=dialog][aria-label="Code the selection"]')`);
    await ff.eval(`document.querySelector('[aria-label="Find or create a code"]').focus()`);
    await ff.type("Coded in Firefox\uE007");
    const coded = `[...document.querySelectorAll(".reader [data-coded]")].filter((s) => (s.getAttribute("title") ?? "").split(", ").includes("Coded in Firefox")).map((s) => s.textContent).join("")`;
    await ff.waitFor(`${coded} === ${JSON.stringify(points.phrase)}`);
    await ff.waitFor("document.querySelector('.toolbar [role=status]')?.textContent.trim() === 'Saved in this browser'");
    await ff.screenshot(path.join(ARTIFACTS, "single-file-firefox-coded.png"));
    // Reloaded, the project reopens where it was, the passage still coded (IndexedDB of the file).
    await ff.eval("location.reload()");
    await ff.waitFor(`${coded} === ${JSON.stringify(points.phrase)}`, 30_000);
    // At the plain address the demo is listed.
    await ff.navigate(pathToFileURL(singleFile()).href + "#/");
    await ff.eval("location.reload()");
    await ff.waitFor(`[...document.querySelectorAll('table.project-list tbody th')].some((th) => th.textContent.trim() === ${JSON.stringify(DEMO_PROJECT)})`, 30_000);
  } catch (err) {
    await ff.screenshot(path.join(ARTIFACTS, "FAILED-single-file-firefox.png")).catch(() => {});
    throw new Error(`Firefox ${ff.version}: ${err.message}`, { cause: err });
  } finally {
    await ff.close();
  }
});
