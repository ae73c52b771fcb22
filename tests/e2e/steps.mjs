// Steps shared by the workflow tests: what a person does in Framewise (create a project, import
// files, select text with the mouse or the keyboard, apply a code) and what the tests read back
// (coded text in the reading view, records in IndexedDB). Built on harness.mjs; no node:test
// tests here (only *.test.mjs files are run).
//
//   import { createProject, importFiles, dragSelect, applyCodeFromPicker, codedRuns,
//            storedRecords, waitForStored } from "./steps.mjs";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Coder name pre-set in tests that do not answer the "Who is coding?" dialog. */
export const CODER = "E2E coder";

/** Store the coder's name in this browser so the "Who is coding?" dialog is not asked. */
export async function presetCoder(app, name = CODER) {
  await app.page.evaluate((n) => localStorage.setItem("framewise.coder", n), name);
}

/** Load the app afresh at its plain address (the home screen), as after typing it: a reload at a
 *  project's address would reopen that project where it was (routes). */
export async function reloadHome(app) {
  await app.page.goto(app.url, { waitUntil: "load" });
  await app.waitForStarted();
}

/** Wait until the home screen has opened browser storage and read the newest project list
 *  (the list section is `aria-busy` while a read is pending: rows shown then may be stale). */
export async function waitForHome(app) {
  await app.byRole("heading", "Projects in this browser").waitFor();
  await app.page.waitForFunction(
    () =>
      !document.body.innerText.includes("Opening browser storage…") &&
      document.querySelector('section[aria-labelledby="projects-heading"]')?.getAttribute("aria-busy") === "false",
  );
}

/** From the home screen: create a project and wait for its workbench. */
export async function createProject(app, name) {
  await waitForHome(app);
  await app.byRole("textbox", "New project name").fill(name);
  await app.byRole("button", "Create project").click();
  await app.byRole("heading", name, { level: 1 }).waitFor();
}

/** The workbench's save status text ("Saved in this browser", "Saving…", ...). */
export function saveStatus(app) {
  return app.page.locator(".toolbar [role=status]");
}

/**
 * Import files through the "Import sources" file input and wait for the results.
 * Returns `{ lines: Map<fileName, resultText>, status }` and leaves the dialog open (so the
 * caller can answer a duplicate question); call `closeImport(app)` to press "Done".
 */
export async function importFiles(app, files) {
  const { page } = app;
  await page.getByLabel("Import sources", { exact: true }).setInputFiles(files);
  const dialog = page.getByRole("dialog", { name: "Import results" });
  await dialog.waitFor();
  return readImportResults(app);
}

/** The import dialog's per-file results: Map file name -> text after the name. */
export async function readImportResults(app) {
  const dialog = app.page.getByRole("dialog", { name: "Import results" });
  const items = await dialog.getByRole("list", { name: "Results per file" }).getByRole("listitem").all();
  const lines = new Map();
  for (const li of items) {
    const file = (await li.locator("strong").innerText()).trim();
    const text = (await li.innerText()).trim();
    lines.set(file, text.slice(text.indexOf(file) + file.length).replace(/^\s*—\s*/, ""));
  }
  // Files not imported are listed once, in their own list: "Not imported: REASON".
  const failures = dialog.getByRole("list", { name: "Files not imported" });
  if (await failures.count()) {
    for (const li of await failures.getByRole("listitem").all()) {
      const file = (await li.locator("strong").innerText()).trim();
      const text = (await li.innerText()).trim();
      lines.set(file, `Not imported: ${text.slice(text.indexOf(file) + file.length).replace(/^\s*:\s*/, "")}`);
    }
  }
  const status = (await dialog.getByRole("status").innerText()).trim();
  return { lines, status };
}

/** Press "Done" in the import results and wait for the dialog to go. */
export async function closeImport(app) {
  await app.byRole("button", "Done").click();
  await app.page.getByRole("dialog", { name: "Import results" }).waitFor({ state: "detached" });
}

/** The reading view of a source (role document "Text of NAME"). */
export function reader(app, sourceName) {
  return app.byRole("document", `Text of ${sourceName}`);
}

/** Open a source from the sources list (its button's name starts with the source name). */
export async function openSource(app, name) {
  await app.page
    .getByRole("navigation", { name: "Sources" })
    .getByRole("button", { name: new RegExp(`^${escapeRe(name)}\\b`) })
    .click();
  await reader(app, name).waitFor();
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Viewport points to press and release the mouse so that a drag selects exactly `phrase`, the
 * `occurrence`-th (0-based) place it appears in the reading view's text paragraphs.
 */
async function phrasePoints(app, phrase, occurrence = 0) {
  const points = await app.page.evaluate(
    ({ phrase, occurrence }) => {
      const paras = [...document.querySelectorAll(".reader p.para")];
      let seen = 0;
      for (const p of paras) {
        const text = p.textContent;
        let at = text.indexOf(phrase);
        while (at >= 0) {
          if (seen === occurrence) {
            // Map paragraph offsets to (text node, offset).
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            const nodes = [];
            let pos = 0;
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              nodes.push({ n, start: pos });
              pos += n.data.length;
            }
            const locate = (off) => {
              for (let i = nodes.length - 1; i >= 0; i--) {
                if (nodes[i].start <= off) return [nodes[i].n, off - nodes[i].start];
              }
              return null;
            };
            const rectOfChar = (off) => {
              const [n, o] = locate(off);
              const r = document.createRange();
              r.setStart(n, o);
              r.setEnd(n, o + 1);
              const rects = r.getClientRects();
              return rects[rects.length - 1] ?? r.getBoundingClientRect();
            };
            p.scrollIntoView({ block: "center" });
            const first = rectOfChar(at);
            const last = rectOfChar(at + phrase.length - 1);
            return {
              x1: first.left + 1,
              y1: first.top + first.height / 2,
              x2: last.right - 1,
              y2: last.top + last.height / 2,
            };
          }
          seen += 1;
          at = text.indexOf(phrase, at + 1);
        }
      }
      return null;
    },
    { phrase, occurrence },
  );
  assert.ok(points, `the reading view shows “${phrase}”`);
  return points;
}

/**
 * Select `phrase` in the reading view by dragging the mouse over it, as a person would, and wait
 * for the code picker. Returns the selected text as the browser reports it.
 */
export async function dragSelect(app, phrase, occurrence = 0) {
  const { page } = app;
  await app.nextFrame();
  const p = await phrasePoints(app, phrase, occurrence);
  await page.mouse.move(p.x1, p.y1);
  await page.mouse.down();
  await page.mouse.move((p.x1 + p.x2) / 2, (p.y1 + p.y2) / 2, { steps: 4 });
  await page.mouse.move(p.x2, p.y2, { steps: 4 });
  await page.mouse.up();
  try {
    await app.byRole("dialog", "Code the selection").waitFor({ timeout: 5_000 });
  } catch (err) {
    const selected = await page.evaluate(() => String(getSelection()));
    throw new Error(
      `no code picker after dragging over “${phrase}” (${JSON.stringify(p)}); the browser selected “${selected}”`,
      { cause: err },
    );
  }
  return page.evaluate(() => String(getSelection()));
}

/**
 * In the open code picker: type `filter` into "Find or create a code" and press Enter (applies
 * the first match, or creates the typed code when none matches exactly).
 */
export async function applyCodeFromPicker(app, filter) {
  const box = app.byRole("combobox", "Find or create a code");
  await box.focus();
  await box.fill(filter);
  await box.press("Enter");
}

/** Answer the "Who is coding?" dialog if it is open. */
export async function answerCoderDialog(app, name) {
  const dialog = app.byRole("dialog", "Who is coding?");
  await dialog.waitFor();
  await dialog.getByLabel("Coder name", { exact: true }).fill(name);
  await dialog.getByRole("button", { name: "Continue", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

/**
 * The text coded with `codeName` in the reading view, as runs of adjacent highlighted segments
 * (each run is one coding's visible text, or overlapping codings of the same code merged).
 * Reads each highlighted segment's `title` (the names of the codes on it) and byte offsets.
 */
export async function codedRuns(app, codeName) {
  return app.page.evaluate((codeName) => {
    const segs = [...document.querySelectorAll(".reader [data-coded]")]
      .filter((s) => (s.getAttribute("title") ?? "").split(", ").includes(codeName))
      .map((s) => ({ off: Number(s.dataset.off), end: Number(s.dataset.end), text: s.textContent }))
      .sort((a, b) => a.off - b.off);
    const runs = [];
    for (const s of segs) {
      const last = runs[runs.length - 1];
      if (last && last.end === s.off) {
        last.end = s.end;
        last.text += s.text;
      } else {
        runs.push({ ...s });
      }
    }
    return runs.map((r) => r.text);
  }, codeName);
}

/** The codebook tree item of a code (its accessible name starts with "NAME, "). */
export function codeItem(app, name) {
  return app.page
    .getByRole("tree", { name: "Codebook" })
    .getByRole("treeitem", { name: new RegExp(`^${escapeRe(name)}, `) });
}

/**
 * Every stored record of a store of the `framewise` IndexedDB database, as
 * `[{ key, project, json }]` (a value without a string `json` is given as its JSON text).
 * Opens its own connection (never creating or upgrading the database) and closes it.
 */
export async function storedRecords(app, store) {
  return app.page.evaluate(async (store) => {
    const dbs = await indexedDB.databases();
    if (!dbs.some((d) => d.name === "framewise")) throw new Error("no framewise database yet");
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open("framewise");
      req.onupgradeneeded = () => {
        req.transaction.abort();
        reject(new Error("the framewise database did not exist"));
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      const tx = db.transaction(store, "readonly");
      const os = tx.objectStore(store);
      const [keys, values] = await Promise.all(
        [os.getAllKeys(), os.getAll()].map(
          (r) => new Promise((resolve, reject) => {
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          }),
        ),
      );
      return keys.map((key, i) => ({
        key: String(key),
        project: values[i]?.project ?? null,
        json: typeof values[i]?.json === "string" ? values[i].json : JSON.stringify(values[i]),
      }));
    } finally {
      db.close();
    }
  }, store);
}

/** Write records straight into IndexedDB: `[{ store, key, project, json }]`, one transaction. */
export async function putRecords(app, records) {
  await app.page.evaluate(async (records) => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open("framewise");
      req.onupgradeneeded = () => {
        req.transaction.abort();
        reject(new Error("the framewise database did not exist"));
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      const stores = [...new Set(records.map((r) => r.store))];
      const tx = db.transaction(stores, "readwrite");
      for (const r of records) {
        tx.objectStore(r.store).put({ project: r.project, json: r.json }, r.key);
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }, records);
}

/**
 * Wait until the stored `projects` record named `name` satisfies `check(record)` (parsed JSON),
 * and the toolbar says "Saved in this browser". Returns the parsed record.
 */
export async function waitForStored(app, name, check, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    const records = await storedRecords(app, "projects");
    last = records.map((r) => JSON.parse(r.json)).find((r) => r.name === name) ?? null;
    const status = (await saveStatus(app).innerText().catch(() => "")).trim();
    if (last && check(last) && status === "Saved in this browser") return last;
    if (Date.now() > deadline) {
      throw new Error(
        `the stored project “${name}” never reached the expected state (status “${status}”): ${JSON.stringify(last)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh temporary directory for generated test files (removed at process exit). */
export function tempDir(prefix = "framewise-e2e-") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The rows of the home screen's project table as `{ name, cells: [sources, codes, codings] }`. */
export async function projectRows(app) {
  await waitForHome(app);
  const rows = await app.page.locator("table.project-list tbody tr").all();
  const out = [];
  for (const row of rows) {
    const name = (await row.locator("th").innerText()).trim();
    const cells = await row.locator("td").allInnerTexts();
    out.push({ name, cells: cells.map((c) => c.trim()) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cases and framework matrices

/** The demo project's name (core/src/demo.rs). */
export const DEMO_PROJECT = "Demo: ARRS roles in three Primary Care Networks";

/** From the home screen: "Open demo project", and wait for its workbench. */
export async function openDemo(app) {
  await waitForHome(app);
  await app.byRole("button", "Open demo project").click();
  await app.byRole("heading", DEMO_PROJECT, { level: 1 }).waitFor();
}

/** From the home screen: open a listed project ("Open NAME") and wait for its workbench. */
export async function openListedProject(app, name) {
  await waitForHome(app);
  await app.byRole("button", `Open ${name}`).click();
  await app.byRole("heading", name, { level: 1 }).waitFor();
}

/** Press a view tab of the workbench ("Reading", "Cases", "Matrices", "Themes", "Search"). */
export async function showView(app, name) {
  const tab = app.page.getByRole("navigation", { name: "Views" }).getByRole("button", { name, exact: true });
  await tab.click();
  await app.page.waitForFunction(
    (name) => [...document.querySelectorAll("nav.view-tabs button")].some(
      (b) => b.textContent.trim() === name && b.getAttribute("aria-current") === "page",
    ),
    name,
  );
}

/** The grid of the framework matrix `name` (role grid "Framework matrix NAME"). */
export function matrixGrid(app, name) {
  return app.byRole("grid", `Framework matrix ${name}`);
}

/** Choose a matrix in the Matrices view's "Matrix" select and wait for its grid. */
export async function pickMatrix(app, name) {
  await app.page.locator(".matrix-pick select").selectOption({ label: name });
  await matrixGrid(app, name).waitFor();
}

/**
 * The rendered code cells of the matrix grid, read from their accessible names
 * ("CASE × CODE: N segments, STATE", then ": SUMMARY" when it has one): `[{ label, case, code, segments, state, r, c, count,
 * summary, chips, broken }]` with `count` the visible segment number ("" when none), `summary`
 * the visible summary text, `chips`/`broken` the number of quote chips / broken ones.
 */
export async function matrixCells(app) {
  return app.page.evaluate(() =>
    [...document.querySelectorAll(".matrix-grid td[role=gridcell]:not(.mx-case-summary)")].map((td) => {
      const label = td.getAttribute("aria-label") ?? "";
      const m = /^(.*?) × (.*?): (\d+) segments?, (empty|not summarised|summarised|summary, but no coded segments left)(?:: .*)?$/s.exec(label);
      return {
        label,
        case: m?.[1] ?? null,
        code: m?.[2] ?? null,
        segments: m ? Number(m[3]) : NaN,
        state: m?.[4] ?? null,
        r: Number(td.dataset.r),
        c: Number(td.dataset.c),
        count: td.querySelector(".mx-count")?.dataset.count ?? "",
        summary: td.querySelector(".mx-summary")?.textContent ?? "",
        chips: td.querySelectorAll(".mx-chip").length,
        broken: td.querySelectorAll(".mx-chip.broken").length,
      };
    }),
  );
}

/**
 * The matrix grid's header names (first "Case", last "Case summary"), the code columns' paths
 * in the codebook ("Theme > Code", as the reading view names codes) and the row header names.
 */
export async function matrixHeaders(app) {
  return app.page.evaluate(() => ({
    columns: [...document.querySelectorAll(".matrix-grid thead th[role=columnheader]")].map((th) =>
      (th.querySelector(".mx-colhead-name") ?? th).textContent.trim(),
    ),
    paths: Object.fromEntries(
      [...document.querySelectorAll(".matrix-grid thead th.mx-colhead[title]")].map((th) => [
        th.querySelector(".mx-colhead-name")?.textContent.trim(),
        th.getAttribute("title"),
      ]),
    ),
    rows: [...document.querySelectorAll(".matrix-grid tbody th[role=rowheader]")].map((th) => th.textContent.trim()),
  }));
}

/** "Save to file": the downloaded project file, parsed. */
export async function saveProjectFile(app) {
  const [download] = await Promise.all([
    app.page.waitForEvent("download"),
    app.byRole("button", "Save to file").click(),
  ]);
  return JSON.parse(fs.readFileSync(await download.path(), "utf8"));
}

/**
 * The segment count of every cell of matrix `matrixName`, computed from a saved project file
 * (format version 2) independently of the app: the codings whose source belongs to the row's
 * case (or, with `include_subcases`, to a case below it) and whose code is the column's (or,
 * with `include_child_codes`, a code below it). Returns Map "CASE × CODE" -> count, and the
 * expected row (case-tree order for "all") and column names.
 */
export function expectedMatrix(file, matrixName) {
  const p = file.project;
  const matrix = p.matrices.find((m) => m.name === matrixName);
  assert.ok(matrix, `the project file has a matrix “${matrixName}”`);
  const below = (items, id) => {
    const out = new Set([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const it of items) {
        if (it.parent && out.has(it.parent) && !out.has(it.id)) {
          out.add(it.id);
          grew = true;
        }
      }
    }
    return out;
  };
  const order = [];
  const walk = (parent) => {
    for (const c of p.cases.filter((c) => (c.parent ?? null) === parent)) {
      order.push(c);
      walk(c.id);
    }
  };
  walk(null);
  let rows = order;
  if (matrix.rows?.type === "cases") rows = matrix.rows.cases.map((id) => p.cases.find((c) => c.id === id));
  assert.ok(matrix.rows?.type !== "filter", "expectedMatrix does not evaluate filters");
  const codeName = new Map(p.codes.map((c) => [c.id, c.name]));
  const counts = new Map();
  for (const row of rows) {
    const caseIds = matrix.include_subcases ? below(p.cases, row.id) : new Set([row.id]);
    const sources = new Set(p.cases.filter((c) => caseIds.has(c.id)).flatMap((c) => c.sources));
    for (const col of matrix.columns) {
      const codes = matrix.include_child_codes ? below(p.codes, col) : new Set([col]);
      const n = p.codings.filter((k) => sources.has(k.source) && codes.has(k.code)).length;
      counts.set(`${row.name} × ${codeName.get(col)}`, n);
    }
  }
  return { matrix, counts, rows: rows.map((r) => r.name), columns: matrix.columns.map((c) => codeName.get(c)) };
}

/** The text of `coding` (byte offsets) in the saved project file `file`. */
export function codingText(file, coding) {
  const source = file.project.sources.find((s) => s.id === coding.source);
  return Buffer.from(source.text, "utf8").subarray(coding.start, coding.end).toString("utf8");
}

/** Wait until the reading view shows `sourceName` with a highlighted passage (`.focus`) in view; returns its text. */
export async function focusedPassage(app, sourceName) {
  await reader(app, sourceName).waitFor();
  await app.page.waitForFunction(() => {
    const r = document.querySelector(".reader");
    const f = document.querySelector(".reader .focus");
    if (!r || !f) return false;
    const a = r.getBoundingClientRect();
    const b = f.getBoundingClientRect();
    return b.height > 0 && b.top >= a.top && b.bottom <= a.bottom;
  });
  return (await app.page.locator(".reader .focus").allInnerTexts()).join("");
}

/**
 * Dispatch a `paste` event carrying `text` (as a spreadsheet copies it) on `locator`'s element,
 * as the browser does for Ctrl+V.
 */
export async function pasteText(locator, text) {
  await locator.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * The case table of the Cases view: `{ attributes: [name...], rows: [{ name, parent, sources,
 * values: [text...], errors: [text...] }] }` (values in attribute order, as shown).
 */
export async function caseTable(app) {
  return app.page.evaluate(() => {
    const table = document.querySelector('table[role=grid][aria-label="Case table"]');
    if (!table) return { attributes: [], rows: [] };
    const attributes = [...table.querySelectorAll("thead th.attr-head .attr-name")].map((e) => e.textContent.trim());
    const rows = [...table.querySelectorAll("tbody tr")].map((tr) => {
      const cells = [...tr.querySelectorAll("td[role=gridcell]")];
      const text = (td) => {
        const copy = td.cloneNode(true);
        copy.querySelectorAll(".cell-error, .subcase-mark").forEach((e) => e.remove());
        return copy.textContent.trim();
      };
      return {
        name: text(cells[0]),
        parent: text(cells[1]),
        sources: cells[2].querySelector(".case-sources-names")?.textContent.trim() ?? "",
        values: cells.slice(3).map(text),
        errors: cells.map((td) => td.querySelector(".cell-error")?.textContent.trim() ?? "").filter(Boolean),
      };
    });
    return { attributes, rows };
  });
}

// ---------------------------------------------------------------------------------------------
// Offline, coders, project files and merging (issue 11)

/** Wait until a service worker controls the page (the first visit: after install and claim). */
export async function waitForController(app) {
  await app.page.waitForFunction(() => Boolean(navigator.serviceWorker?.controller), null, { timeout: 30_000 });
}

/** The toolbar's coder button (its text starts with "Coder:"). */
export function coderButton(app) {
  return app.page.locator("header.toolbar").getByRole("button", { name: /^Coder: / });
}

/** Open the Coders dialog from the toolbar's coder button. */
export async function openCoders(app) {
  await coderButton(app).click();
  const dialog = app.byRole("dialog", "Coders");
  await dialog.waitFor();
  return dialog;
}

/** Open the workbench's Export menu. */
export async function exportMenu(app) {
  const toggle = app.byRole("button", "Export ▾");
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  return app.page.getByRole("group", { name: "Export" });
}

/** The Export menu's file input that merges a project file or `.qdpx` into the open project. */
export const MERGE_INPUT = "Merge a project into this one (project file or .qdpx)";

/** Export ▾ → "Merge a project into this one…" with `file`; returns the preview dialog. */
export async function mergeProjectFile(app, file) {
  const menu = await exportMenu(app);
  await menu.getByLabel(MERGE_INPUT, { exact: true }).setInputFiles(file);
  const dialog = app.page.getByRole("dialog", { name: `Merge ${path.basename(file)} into this project` });
  await dialog.waitFor();
  return dialog;
}

/** "Save to file" into `dir` under the suggested name: `{ path, name, file }` (file parsed). */
export async function downloadProjectFile(app, dir) {
  const [download] = await Promise.all([
    app.page.waitForEvent("download"),
    app.byRole("button", "Save to file").click(),
  ]);
  const name = download.suggestedFilename();
  const to = path.join(dir, name);
  await download.saveAs(to);
  return { path: to, name, file: JSON.parse(fs.readFileSync(to, "utf8")) };
}

/** From the home screen: "Open project file…" with `file` (not encrypted), and wait for the
 *  workbench of the project named `name`. */
export async function openProjectFile(app, file, name) {
  await waitForHome(app);
  await app.page.getByLabel("Open project file", { exact: true }).setInputFiles(file);
  await app.byRole("heading", name, { level: 1 }).waitFor();
}

/** In the codebook: type `name` into "New code name" and press "Add code". */
export async function addCode(app, name) {
  await app.byRole("textbox", "New code name").fill(name);
  await app.byRole("button", "Add code").click();
  await codeItem(app, name).waitFor();
}

/**
 * Code `phrase` (its `occurrence`-th place in the reading view) with the code `code` through the
 * picker, answering "Who is coding?" with `coder` when given (the first coding in a browser),
 * then close the picker.
 */
export async function codePhrase(app, phrase, code, { occurrence = 0, coder } = {}) {
  await dragSelect(app, phrase, occurrence);
  await applyCodeFromPicker(app, code);
  if (coder !== undefined) await answerCoderDialog(app, coder);
  await app.page.keyboard.press("Escape");
  await app.byRole("dialog", "Code the selection").waitFor({ state: "detached" });
}

/** How many rows the workbench toolbar takes (its controls' tops, to the nearest 10 px). */
export async function toolbarRows(app) {
  return app.page.evaluate(() => {
    const bar = document.querySelector(".toolbar");
    const tops = [...bar.children].map((c) => Math.round(c.getBoundingClientRect().top));
    return new Set(tops.map((t) => Math.round(t / 10))).size;
  });
}

/**
 * Split CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) into rows
 * of fields; rows end with CRLF or LF.
 */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      if (c === "\r") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
