// Agreement (issue 11): the demo's two coders compared in the Agreement view (its own address),
// the table per code with an overall row, the disagreements side by side; one resolved with
// "Keep Demo coder A’s" is one undo step, and Undo brings it back.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { openDemo, presetCoder, showView } from "./steps.mjs";

const statusText = (app) =>
  app.page.locator(".disagreements [role=status]").innerText();

const count = (text) => Number((text.match(/Disagreements: ([\d,]+)/) ?? [0, "-1"])[1].replace(",", ""));

appTest("the demo's two coders: agreement table, a disagreement kept and undone", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Agreement");
  assert.match(await page.evaluate(() => location.hash), /^#\/p\/[0-9a-f-]{36}\/agreement$/);
  const view = app.byRole("region", "Agreement");
  assert.equal(await view.getByRole("combobox", { name: "First coder" }).inputValue(), "Demo coder A");
  assert.equal(await view.getByRole("combobox", { name: "Second coder" }).inputValue(), "Demo coder B");
  const table = view.getByRole("table");
  await table.getByRole("rowheader", { name: "Overall" }).waitFor();
  const heads = await table.getByRole("columnheader").allInnerTexts();
  assert.deepEqual(heads.slice(0, 4), ["Code", "Agreement", "Kappa", "Alpha"]);
  const before = count(await statusText(app));
  assert.ok(before > 0, await statusText(app));
  await app.screenshot("agreement-view");

  const first = view.getByRole("listitem").first();
  const name = await first.getAttribute("aria-label");
  await first.scrollIntoViewIfNeeded();
  await app.screenshot("agreement-disagreements");
  await first.getByRole("button", { name: "Keep Demo coder A’s" }).click();
  await page.waitForFunction(
    (n) => document.querySelector(".disagreements [role=status]")?.textContent.startsWith("Disagreements: ") &&
      Number(document.querySelector(".disagreements [role=status]").textContent.match(/\d+/)[0]) === n,
    before - 1,
  );
  await app.byRole("button", "Undo").click();
  await page.waitForFunction(
    (n) => Number(document.querySelector(".disagreements [role=status]")?.textContent.match(/\d+/)?.[0]) === n,
    before,
  );
  assert.equal(await view.getByRole("listitem").first().getAttribute("aria-label"), name);

  // Segments: the minimum overlap field appears, the overall row has a kappa.
  await view.getByRole("combobox", { name: "Unit" }).selectOption("segment");
  await view.getByRole("spinbutton", { name: "Minimum overlap (%)" }).waitFor();
  await table.getByRole("columnheader", { name: "Matched", exact: true }).waitFor();
});
