// Issue 12, "Storage faults", the cases storage-failures.test.mjs does not cover: storage really
// filled up (the browser's own QuotaExceededError, with the origin's quota lowered through
// DevTools and the rest filled), a record corrupted by hand, the browser evicting the site's
// storage while a project is open, and an older Framewise tab blocking the database upgrade.
// Each time: a clear message, the rest of the data intact, "Save to file" still works, and no
// retry loop that spins (write transactions are counted while nothing changes).
import assert from "node:assert/strict";
import fs from "node:fs";
import { appTest } from "./harness.mjs";
import { codeItem, createProject, putRecords, reloadHome, saveStatus, storedRecords, waitForHome } from "./steps.mjs";

const SAVED = "Saved in this browser";

async function waitSaved(app) {
  await app.page.waitForFunction(
    (saved) => document.querySelector(".toolbar [role=status]")?.innerText.trim() === saved,
    SAVED,
  );
}

async function addCode(app, name) {
  await app.byRole("textbox", "New code name").fill(name);
  await app.byRole("button", "Add code").click();
  await codeItem(app, name).waitFor();
}

/** Count the read-write transactions the page starts (from now on, in this page). */
async function countWrites(app) {
  await app.page.evaluate(() => {
    window.__writeTx = 0;
    const original = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
      if (mode === "readwrite") window.__writeTx += 1;
      return original.call(this, stores, mode, ...rest);
    };
  });
}

/** "Save to file" downloads the project as it is in this tab. */
async function saveToFile(app) {
  const [download] = await Promise.all([app.page.waitForEvent("download"), app.byRole("button", "Save to file").click()]);
  const file = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  assert.equal(file.format, "framewise-project");
  return file.project;
}

appTest(
  "storage really full: the browser's quota error is explained, nothing spins, save to file works, and the work is saved once space is freed",
  async (app) => {
    const { page } = app;
    await createProject(app, "Full disk study");
    await addCode(app, "Before the disk filled");
    await waitSaved(app);

    // A small quota for this origin, then fill it from another database until the browser
    // refuses: the app's next write meets a real QuotaExceededError.
    const cdp = await app.context.newCDPSession(page);
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: app.origin, quotaSize: 4 * 1024 * 1024 });
    const filled = await page.evaluate(async () => {
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open("filler", 1);
        req.onupgradeneeded = () => req.result.createObjectStore("junk");
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      let bytes = 0;
      let chunk = 256 * 1024;
      for (let i = 0; i < 10_000 && chunk >= 512; i++) {
        const ok = await new Promise((resolve) => {
          const tx = db.transaction("junk", "readwrite");
          tx.objectStore("junk").put("x".repeat(chunk) + i, i);
          tx.oncomplete = () => resolve(true);
          tx.onabort = () => resolve(tx.error?.name);
        });
        if (ok === true) bytes += chunk;
        else if (ok === "QuotaExceededError") chunk = Math.floor(chunk / 2);
        else throw new Error(`filling failed with ${ok}`);
      }
      db.close();
      return bytes;
    });
    assert.ok(filled > 0, "some junk was stored before the quota was reached");

    await countWrites(app);
    await addCode(app, "Kept while the disk is full");
    const banner = page.getByRole("alert").filter({ hasText: "NOT saved" });
    await banner.waitFor();
    assert.match(await banner.innerText(), /Browser storage is full/);
    assert.equal((await saveStatus(app).innerText()).trim(), "Not saved!");
    // No retry loop: nothing changes, so nothing more is tried.
    const tries = await page.evaluate(() => window.__writeTx);
    await page.waitForTimeout(2500);
    assert.equal(await page.evaluate(() => window.__writeTx), tries, "no write was retried while nothing changed");
    assert.ok(tries <= 2, `one save attempt, not a loop (${tries})`);

    const saved = await saveToFile(app);
    assert.deepEqual(saved.codes.map((c) => c.name).sort(), ["Before the disk filled", "Kept while the disk is full"]);

    // Space is freed (the junk deleted, the origin's usual quota back): the next change saves
    // everything that waited.
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: app.origin });
    await page.evaluate(() => new Promise((resolve, reject) => {
      const req = indexedDB.deleteDatabase("filler");
      req.onsuccess = resolve;
      req.onerror = () => reject(req.error);
    }));
    await addCode(app, "After freeing space");
    await waitSaved(app);
    await banner.waitFor({ state: "detached" });
    await reloadHome(app);
    await app.byRole("button", "Open Full disk study").click();
    for (const name of ["Before the disk filled", "Kept while the disk is full", "After freeing space"]) {
      await codeItem(app, name).waitFor();
    }
  },
  { allowConsoleErrors: [/quota/i], timeout: 90_000 },
);

appTest(
  "a record corrupted by hand: the project opens without it and says so, the record is left untouched, other projects are intact",
  async (app) => {
    const { page } = app;
    await createProject(app, "Damaged study");
    await addCode(app, "Healthy code");
    await addCode(app, "Damaged code");
    await waitSaved(app);
    await app.byRole("button", "Back to projects").click();
    await createProject(app, "Untouched study");
    await addCode(app, "Untouched code");
    await waitSaved(app);
    await app.byRole("button", "Back to projects").click();
    await waitForHome(app);

    // Cut one code record in half, and replace a third project's own record by garbage.
    const codes = await storedRecords(app, "codes");
    const damaged = codes.find((r) => JSON.parse(r.json).name === "Damaged code");
    const cut = damaged.json.slice(0, Math.floor(damaged.json.length / 2));
    const brokenId = "00000000-0000-4000-8000-00000000beef";
    await putRecords(app, [
      { store: "codes", key: damaged.key, project: damaged.project, json: cut },
      { store: "projects", key: brokenId, project: brokenId, json: "\u0000garbage{{" },
    ]);
    await app.reload();
    await waitForHome(app);

    // The project whose own record is garbage is listed as not openable, with a raw backup.
    const brokenRow = page.locator("table.project-list tbody tr", { has: page.getByRole("button", { name: /^Export raw backup of / }) });
    await brokenRow.waitFor();
    assert.match(await brokenRow.getByRole("note").innerText(), /cannot|could not|unreadable|not readable/i);

    // The damaged project opens without the damaged code and says which record it left out.
    await app.byRole("button", "Open Damaged study").click();
    await app.byRole("heading", "Damaged study", { level: 1 }).waitFor();
    const banner = page.getByRole("alert").filter({ hasText: "could not be used" });
    await banner.waitFor();
    assert.match(await banner.innerText(), /code/i);
    await codeItem(app, "Healthy code").waitFor();
    assert.equal(await codeItem(app, "Damaged code").count(), 0);
    // Work goes on and is saved; the damaged record stays exactly as it was.
    await addCode(app, "Added after the damage");
    await waitSaved(app);
    const saved = await saveToFile(app);
    assert.deepEqual(saved.codes.map((c) => c.name).sort(), ["Added after the damage", "Healthy code"]);
    const after = (await storedRecords(app, "codes")).find((r) => r.key === damaged.key);
    assert.equal(after.json, cut, "the damaged record was left byte for byte");

    // The other project is whole.
    await app.byRole("button", "Back to projects").click();
    await app.byRole("button", "Open Untouched study").click();
    await codeItem(app, "Untouched code").waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);
  },
);

appTest(
  "the browser evicts the site's storage while a project is open: a clear message, no spinning, save to file keeps the work",
  async (app) => {
    const { page } = app;
    await createProject(app, "Evicted study");
    await addCode(app, "Coded before eviction");
    await waitSaved(app);

    // What eviction does: the origin's IndexedDB is deleted under the open connection.
    const cdp = await app.context.newCDPSession(page);
    await cdp.send("Storage.clearDataForOrigin", { origin: app.origin, storageTypes: "indexeddb" });
    await countWrites(app);
    await addCode(app, "Coded after eviction");
    const banner = page.getByRole("alert").filter({ hasText: "NOT saved" });
    await banner.waitFor();
    assert.match(await banner.innerText(), /the browser closed this site's storage, as it does when it clears site data/);
    assert.match(await banner.innerText(), /Save the project to a file/);
    assert.equal((await saveStatus(app).innerText()).trim(), "Not saved!");
    const tries = await page.evaluate(() => window.__writeTx);
    await page.waitForTimeout(2500);
    assert.equal(await page.evaluate(() => window.__writeTx), tries, "no write was retried while nothing changed");

    const saved = await saveToFile(app);
    assert.deepEqual(saved.codes.map((c) => c.name).sort(), ["Coded after eviction", "Coded before eviction"]);
    await app.screenshot("storage-evicted");
  },
  { allowConsoleErrors: [/InvalidStateError|closing|connection|not saved/i] },
);

appTest(
  "an older Framewise tab holding the database open: the new one says so instead of spinning, and starts when it lets go",
  async (app) => {
    // A fresh origin state: the database does not exist yet in this context. Another page of
    // the same profile opens it at version 1 (the first schema) and ignores upgrade requests,
    // as a Framewise of that time would.
    const other = await app.context.newPage();
    await other.goto(new URL("/does-not-exist.txt", app.url).href).catch(() => {});
    await other.evaluate(async () => {
      await new Promise((resolve, reject) => {
        const del = indexedDB.deleteDatabase("framewise");
        del.onsuccess = resolve;
        del.onerror = () => reject(del.error);
        del.onblocked = resolve;
      });
      window.__old = await new Promise((resolve, reject) => {
        const req = indexedDB.open("framewise", 1);
        req.onupgradeneeded = () => {
          for (const s of ["projects", "project_memos", "sources", "texts", "codes", "codings"]) {
            req.result.createObjectStore(s).createIndex("project", "project");
          }
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    });
    await app.reload();
    const banner = app.page.getByRole("alert").filter({ hasText: "older version" });
    await banner.waitFor();
    assert.match(await banner.innerText(), /Close or reload that tab/);
    await app.screenshot("storage-blocked");

    await other.evaluate(() => window.__old.close());
    await banner.waitFor({ state: "detached" });
    await waitForHome(app);
    await createProject(app, "After the old tab");
    await waitSaved(app);
    await other.close();
  },
);
