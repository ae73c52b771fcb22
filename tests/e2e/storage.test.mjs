// Browser storage as a person meets it: a project saved by a newer Framewise is listed with a
// problem and left byte for byte unchanged whatever else happens, and one coding in a project of
// 50 long sources writes a few hundred bytes, not the project.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { appTest, corpusPath } from "./harness.mjs";
import {
  applyCodeFromPicker,
  closeImport,
  codedRuns,
  createProject,
  dragSelect,
  importFiles,
  presetCoder,
  projectRows,
  putRecords,
  saveStatus,
  storedRecords,
  tempDir,
  waitForHome,
  waitForStored,
} from "./steps.mjs";

const STORES = ["projects", "project_memos", "sources", "texts", "codes", "codings"];

/** Every stored record of every store, as "store/key" -> value JSON string. */
async function allRecords(app) {
  const out = new Map();
  for (const store of STORES) {
    for (const r of await storedRecords(app, store)) {
      out.set(`${store}/${r.key}`, JSON.stringify({ project: r.project, json: r.json }));
    }
  }
  return out;
}

appTest("a project saved by a newer version is listed, explained and never changed", async (app) => {
  const { page } = app;
  await waitForHome(app);
  const id = crypto.randomUUID();
  const sourceId = crypto.randomUUID();
  const codingId = crypto.randomUUID();
  const name = "From the future ✨";
  // Written "by a future Framewise": version 99, with fields this version does not know, and
  // records in other stores too.
  const future = [
    {
      store: "projects",
      key: id,
      project: id,
      json: `{"format":"framewise-project-record","version":99,"id":"${id}","name":"${name}","sources":1,"codes":0,"codings":1,"hologram":{"x":[1,2,3]}}`,
    },
    {
      store: "sources",
      key: sourceId,
      project: id,
      json: `{"format":"framewise-source","version":99,"project":"${id}","id":"${sourceId}","position":0,"name":"Séance 1","kind":"interview","smell":"roses"}`,
    },
    {
      store: "texts",
      key: sourceId,
      project: id,
      json: `{"format":"framewise-text","version":99,"project":"${id}","id":"${sourceId}","text":"Bonjour 👋 – ça va ?\\nOui."}`,
    },
    {
      store: "codings",
      key: codingId,
      project: id,
      json: `{"format":"framewise-coding","version":99,"project":"${id}","id":"${codingId}","source":"${sourceId}","code":"${crypto.randomUUID()}","start":0,"end":7,"coder":"Future me","created":1}`,
    },
  ];
  await putRecords(app, future);
  const before = await allRecords(app);
  assert.equal(before.size, 4);

  await app.reload();
  await waitForHome(app);
  const row = page.locator("table.project-list tbody tr", { has: page.getByRole("rowheader", { name }) });
  await row.waitFor();
  const note = row.getByRole("note");
  assert.match(await note.innerText(), /newer version of Framewise \(saved format version 99; this version reads up to version \d+\)/);
  assert.match(await note.innerText(), /left unchanged/);
  assert.equal(await row.getByRole("button", { name: `Open ${name}`, exact: true }).count(), 0, "it cannot be opened");
  assert.equal(await row.getByRole("button", { name: `Rename ${name}`, exact: true }).count(), 0);
  assert.equal(await row.getByRole("button", { name: `Delete ${name}`, exact: true }).count(), 0);

  // "Export raw backup" gives every stored record, as stored.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    app.byRole("button", `Export raw backup of ${name}`).click(),
  ]);
  const backup = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  assert.equal(backup.format, "framewise-raw-backup");
  assert.equal(backup.project, id);
  for (const r of future) assert.equal(backup.stores[r.store][r.key], r.json, `${r.store}/${r.key} in the backup`);

  // Trying to open it: clicking its name does nothing but leave it alone.
  await row.getByRole("rowheader").click();
  await app.nextFrame();
  assert.equal(await app.byRole("button", "Back to projects").count(), 0, "no workbench opened");

  // Carry on working: another project, import, code, rename it, back to the list, reload.
  await presetCoder(app);
  await createProject(app, "Present day");
  await importFiles(app, [corpusPath("consultations", "GAS0001.txt")]);
  await closeImport(app);
  const phrase = (await page.locator(".reader p.para").first().innerText()).split(":").slice(1).join(":").trim().split(" ").slice(0, 3).join(" ");
  await dragSelect(app, phrase);
  await applyCodeFromPicker(app, "Now");
  await waitForStored(app, "Present day", (r) => r.codings === 1);
  await app.byRole("button", "Back to projects").click();
  await app.byRole("button", "Rename Present day").click();
  await app.byRole("textbox", "New name").fill("Present day (renamed)");
  await app.byRole("button", "Rename").click();
  await page.getByRole("rowheader", { name: "Open Present day (renamed)" }).waitFor();
  await app.reload();
  await waitForHome(app);
  const rows = await projectRows(app);
  assert.deepEqual(rows.map((r) => r.name).sort(), [name, "Present day (renamed)"].sort());

  // The future project's records: exactly the same strings, and nothing added to it.
  const after = await allRecords(app);
  for (const [key, value] of before) {
    assert.equal(after.get(key), value, `${key} is byte for byte unchanged`);
  }
  const ours = [...after.entries()].filter(([, v]) => JSON.parse(v).project === id).map(([k]) => k);
  assert.deepEqual(ours.sort(), [...before.keys()].sort(), "no record was added to the future project");
  assert.equal(await page.getByRole("alert").count(), 0, "no error banner from the work done");
});

appTest(
  "one coding in a project of 50 long sources writes under 10 KB",
  async (app) => {
    const { page } = app;
    // 50 distinct sources of a few thousand words: three consultations each.
    const dir = tempDir();
    const corpus = fs
      .readdirSync(corpusPath("consultations"))
      .filter((f) => f.endsWith(".txt") && !f.startsWith("RES0002"))
      .sort()
      .map((f) => fs.readFileSync(corpusPath("consultations", f)))
      .filter((b) => !(b[0] === 0xff && b[1] === 0xfe)) // UTF-8 ones only
      .slice(0, 150)
      .map((b) => b.toString("utf8"));
    assert.ok(corpus.length >= 150, "enough consultations");
    const files = [];
    for (let i = 0; i < 50; i++) {
      const text = [`Generated source ${i + 1}`, corpus[i], corpus[i + 50], corpus[i + 100]].join("\n\n");
      const file = path.join(dir, `combined-${String(i + 1).padStart(2, "0")}.txt`);
      fs.writeFileSync(file, text);
      files.push(file);
    }
    const words = fs.readFileSync(files[0], "utf8").split(/\s+/).length;
    assert.ok(words > 2000, `a few thousand words per source (${words})`);

    // Measure every IndexedDB put/add from the start of the page, counted after a marker.
    await app.context.addInitScript(() => {
      window.__writes = { on: false, bytes: 0, puts: 0, stores: [] };
      const size = (value) => {
        const s = typeof value?.json === "string" ? value.json : JSON.stringify(value) ?? "";
        return new TextEncoder().encode(s).length;
      };
      for (const method of ["put", "add"]) {
        const original = IDBObjectStore.prototype[method];
        IDBObjectStore.prototype[method] = function (value, ...rest) {
          if (window.__writes.on) {
            window.__writes.bytes += size(value);
            window.__writes.puts += 1;
            window.__writes.stores.push(this.name);
          }
          return original.call(this, value, ...rest);
        };
      }
    });
    await app.reload();
    await presetCoder(app);
    await createProject(app, "Fifty sources");
    const result = await importFiles(app, files);
    assert.equal(result.status, "50 of 50 files read");
    await closeImport(app);
    await app.byRole("heading", "Sources (50)").waitFor();
    await waitForStored(app, "Fifty sources", (r) => r.sources === 50, 30_000);
    assert.equal((await storedRecords(app, "texts")).length, 50);
    // Let any trailing save finish, then count from here.
    await page.waitForTimeout(600);
    assert.equal((await saveStatus(app).innerText()).trim(), "Saved in this browser");
    await page.evaluate(() => {
      window.__writes.on = true;
      // Every text the save status shows from here (its own component renders it).
      window.__statuses = [];
      const line = document.querySelector(".toolbar [role=status]");
      new MutationObserver(() => window.__statuses.push(line.textContent.trim())).observe(line, {
        subtree: true,
        characterData: true,
        childList: true,
      });
    });

    await dragSelect(app, "Generated source 1");
    await applyCodeFromPicker(app, "Measured");
    await page.waitForFunction(() => document.querySelectorAll(".reader [data-coded]").length === 1);
    assert.deepEqual(await codedRuns(app, "Measured"), ["Generated source 1"]);
    await waitForStored(app, "Fifty sources", (r) => r.codings === 1 && r.codes === 1);
    await page.waitForTimeout(600); // nothing more should follow
    // The status said "Saving…" while the change waited and "Saved" once it was stored, and
    // was not rendered again in between for the same words.
    assert.deepEqual(await page.evaluate(() => window.__statuses), ["Saving…", "Saved in this browser"]);
    const writes = await page.evaluate(() => window.__writes);
    assert.ok(writes.bytes > 0, "the coding was written");
    assert.ok(writes.bytes < 10 * 1024, `one coding wrote ${writes.bytes} bytes (${writes.stores.join(", ")})`);
    assert.ok(writes.stores.includes("codings"), `a coding record was written: ${writes.stores.join(", ")}`);
    assert.ok(!writes.stores.includes("texts"), "no source text was rewritten");
  },
  { timeout: 90_000 },
);
