// Issue 2: "Storage unavailable (private mode) or quota exceeded: a clear banner, no silent loss."
// Both failures are simulated in the real browser: IndexedDB refused before the app starts, and
// writes refused with QuotaExceededError while a project is open.
import assert from "node:assert/strict";
import fs from "node:fs";
import { appTest } from "./harness.mjs";
import { createProject, saveStatus, waitForHome, codeItem, reloadHome } from "./steps.mjs";

appTest(
  "storage unavailable (as in private browsing): a clear banner, and the work can still be saved to a file",
  async (app) => {
    const { page } = app;
    await app.context.addInitScript(() => {
      Object.defineProperty(window, "indexedDB", {
        configurable: true,
        get() {
          throw new DOMException("The user denied permission to access the database.", "SecurityError");
        },
      });
    });
    await app.reload();
    const banner = page.getByRole("alert").filter({ hasText: "not letting Framewise keep your work" });
    await banner.waitFor();
    assert.match(await banner.innerText(), /Save to file/);

    // The app still works in this tab: open the demo, and its status says it is not stored.
    await app.byRole("button", "Open demo project").click();
    await app.byRole("heading", /^Demo:/, { level: 1 }).waitFor();
    assert.equal((await saveStatus(app).innerText()).trim(), "Not stored: save to file");
    const [download] = await Promise.all([page.waitForEvent("download"), app.byRole("button", "Save to file").click()]);
    const file = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
    assert.equal(file.format, "framewise-project");
    assert.equal(file.project.sources.length, 8);
  },
  { allowConsoleErrors: [/denied permission|SecurityError|indexedDB/i] },
);

appTest(
  "quota exceeded: the researcher is told the change is not saved, and it is saved once storage works again",
  async (app) => {
    const { page } = app;
    await createProject(app, "Quota study");
    await page.waitForFunction(() => document.querySelector(".toolbar [role=status]")?.innerText.trim() === "Saved in this browser");

    // Storage refuses every write from now on.
    await page.evaluate(() => {
      window.__realPut = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function () {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    await app.byRole("textbox", "New code name").fill("Kept despite the quota");
    await app.byRole("button", "Add code").click();
    await codeItem(app, "Kept despite the quota").waitFor();
    const banner = page.getByRole("alert").filter({ hasText: "NOT saved" });
    await banner.waitFor();
    assert.equal((await saveStatus(app).innerText()).trim(), "Not saved!");

    // Storage works again: the next change saves everything that was waiting.
    await page.evaluate(() => {
      IDBObjectStore.prototype.put = window.__realPut;
    });
    await app.byRole("textbox", "New code name").fill("Second code");
    await app.byRole("button", "Add code").click();
    await page.waitForFunction(() => document.querySelector(".toolbar [role=status]")?.innerText.trim() === "Saved in this browser");
    await banner.waitFor({ state: "detached" });

    await reloadHome(app);
    await waitForHome(app);
    await app.byRole("button", "Open Quota study").click();
    await codeItem(app, "Kept despite the quota").waitFor();
    await codeItem(app, "Second code").waitFor();
  },
  { allowConsoleErrors: [/quota/i] },
);
