// Issue 12, "Ask for persistent storage (navigator.storage.persist()) and show whether it was
// granted": the app asks once a project is opened in the session (not on arrival: Firefox may
// ask the person), and the home screen says whether the browser granted it. The browser's
// answer is set through DevTools (Browser.setPermission "persistent-storage"), both ways.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { createProject, waitForHome } from "./steps.mjs";

/** Count calls of navigator.storage.persist() from the page's start. */
function countPersistCalls() {
  window.__persistCalls = 0;
  const original = StorageManager.prototype.persist;
  StorageManager.prototype.persist = function (...args) {
    window.__persistCalls += 1;
    return original.apply(this, args);
  };
}

/** Set this context's answer to persistent storage (DevTools, for the harness's context). */
async function setPersistentStorage(app, setting) {
  const page = await app.context.newCDPSession(app.page);
  const { targetInfo } = await page.send("Target.getTargetInfo");
  const browser = await app.context.browser().newBrowserCDPSession();
  await browser.send("Browser.setPermission", {
    permission: { name: "persistent-storage" },
    setting,
    origin: app.origin,
    browserContextId: targetInfo.browserContextId,
  });
}

function note(app) {
  return app.page.locator("#persistence");
}

const GRANTED = /^Persistent storage granted: this browser keeps these projects until you delete them\./;
const NOT_GRANTED = /^Persistent storage not granted: this browser may clear these projects when the disk runs low .*Save to file/;

async function noteSays(app, re) {
  await app.page.waitForFunction((src) => new RegExp(src).test(document.querySelector("#persistence")?.innerText ?? ""), re.source);
  assert.match(await note(app).innerText(), re);
}

appTest("persistent storage is asked for when a project is opened, and the home screen shows it granted", async (app) => {
  await app.context.addInitScript(countPersistCalls);
  await app.reload();
  await waitForHome(app);
  // Not asked on arrival, and not persistent yet.
  await noteSays(app, NOT_GRANTED);
  assert.equal(await app.page.evaluate(() => window.__persistCalls), 0, "not asked before a project is opened");

  // The browser will grant it when asked: opening a project asks, and the answer is shown.
  await setPersistentStorage(app, "granted");
  await createProject(app, "Kept study");
  await app.page.waitForFunction(() => window.__persistCalls === 1);
  await app.byRole("button", "Back to projects").click();
  await waitForHome(app);
  await noteSays(app, GRANTED);
  assert.equal(await app.page.evaluate(() => navigator.storage.persisted()), true);
  await app.screenshot("persistent-storage-granted");
  // Asked once per session, not on every project opened.
  await app.byRole("button", "Open Kept study").click();
  await app.byRole("heading", "Kept study", { level: 1 }).waitFor();
  assert.equal(await app.page.evaluate(() => window.__persistCalls), 1);
  // After a reload it is known from the start (persisted(), which never asks).
  await app.byRole("button", "Back to projects").click();
  await app.reload();
  await waitForHome(app);
  await noteSays(app, GRANTED);
  assert.equal(await app.page.evaluate(() => window.__persistCalls), 0);
});

appTest("persistent storage refused: the home screen says so and points to Save to file", async (app) => {
  await app.context.addInitScript(countPersistCalls);
  await setPersistentStorage(app, "denied");
  await app.reload();
  await waitForHome(app);
  await noteSays(app, NOT_GRANTED);
  await createProject(app, "Unkept study");
  await app.page.waitForFunction(() => window.__persistCalls === 1);
  await app.byRole("button", "Back to projects").click();
  await waitForHome(app);
  await noteSays(app, NOT_GRANTED);
  assert.equal(await app.page.evaluate(() => navigator.storage.persisted()), false);
});
