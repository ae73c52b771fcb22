// Code suggestions (issue 13): "Find more like this" in a code's retrieval view lists passages
// like its coded segments, computed in the worker from this project's own coding; the panel says
// so; a rejected passage leaves the list; Accept codes the passage (one undo step); no request
// leaves the page while suggesting.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { codeItem, codingText, openDemo, presetCoder, saveProjectFile } from "./steps.mjs";

const CODE = "Burnout";

/** Wait until the panel's status is settled and return its text. */
async function settled(panel) {
  const status = panel.getByRole("status");
  await panel.locator('[role=status][aria-busy="false"]').waitFor();
  return status.innerText();
}

appTest("find more like this: reject, accept (undoable), nothing leaves the page", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await page.waitForFunction(
    () => document.querySelector(".toolbar [role=status]")?.textContent.trim() === "Saved in this browser",
  );
  await codeItem(app, CODE).locator(".code-name").click();
  await page
    .getByRole("region", { name: `Code ${CODE}`, exact: true })
    .getByRole("button", { name: "Retrieve segments", exact: true })
    .click();
  const retrieval = page.getByRole("region", { name: "Retrieved segments" });
  await retrieval.waitFor();
  const count = () => retrieval.locator(".retrieval-count").innerText();
  const before = await count();
  const segments = Number(/^(\d+) segments?/.exec(before)[1]);

  const asked = app.requests.length;
  const more = retrieval.getByRole("button", { name: "Find more like this" });
  await more.click();
  assert.equal(await more.getAttribute("aria-expanded"), "true");
  const panel = page.getByRole("region", { name: "Find more like this" });
  await panel.waitFor();
  await panel.getByText("computed on this computer: nothing is sent anywhere, and nothing is coded until you click Accept").waitFor();
  assert.match(await settled(panel), /^\d+ passages? like the coded ones, most alike first$/);
  const items = panel.getByRole("list", { name: "Suggestions" }).getByRole("listitem");
  const n = await items.count();
  assert.ok(n > 0 && n <= 20, `${n} suggestions`);
  // Each shows its source, score and words, and marks the words in the passage.
  const first = items.first();
  assert.match(await first.locator(".segment-meta").innerText(), /· \d\.\d\d · \S/);
  assert.ok((await first.locator("mark").count()) > 0, "the weighty words are marked");
  await app.screenshot("suggest-find-more");

  // Reject the first: it leaves the list and does not come back.
  const rejected = await first.locator(".segment-text").innerText();
  await first.getByRole("button", { name: "Reject" }).click();
  await settled(panel);
  const left = await items.locator(".segment-text").allInnerTexts();
  assert.ok(!left.includes(rejected), "the rejected passage is gone");

  // Accept the new first: it is coded with the code (the retrieval count grows), undoably.
  const accepted = await items.first().locator(".segment-text").innerText();
  await items.first().getByRole("button", { name: "Accept" }).click();
  await settled(panel);
  await page.waitForFunction(
    (n) => document.querySelector(".retrieval-count")?.textContent.startsWith(`${n} segments`),
    segments + 1,
  );
  const after = await items.locator(".segment-text").allInnerTexts();
  assert.ok(!after.includes(accepted) && !after.includes(rejected), "neither comes back");
  const file = await saveProjectFile(app);
  const code = file.project.codes.find((c) => c.name === CODE);
  const texts = file.project.codings.filter((c) => c.code === code.id).map((c) => codingText(file, c));
  assert.ok(texts.includes(accepted), "the accepted passage is a coding of the code");
  await page.keyboard.press("Control+z");
  await page.waitForFunction(
    (n) => document.querySelector(".retrieval-count")?.textContent.startsWith(`${n} segment`),
    segments,
  );

  // Suggesting sent nothing anywhere: no request left the app's origin, and the page made no
  // fetch/XHR/WebSocket request at all (the model lives in the worker).
  const during = app.requests.slice(asked);
  assert.deepEqual(app.offOrigin(), []);
  assert.deepEqual(
    during.filter((r) => ["fetch", "xhr", "websocket", "eventsource"].includes(r.resourceType) && !r.serviceWorker),
    [],
  );
});
