// Coders (issue 11, "Coders"): the active coder is shown in the toolbar and can be switched;
// each new coding keeps its coder; the reading view, "Codings here", the crosstab and the framework matrix
// counts show all coders' codings, one coder's, or a chosen set; stripes can name the coder.
// The demo project is coded by "Demo coder A" and "Demo coder B".
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import {
  applyCodeFromPicker,
  CODER,
  coderButton,
  dragSelect,
  matrixCells,
  openCoders,
  openDemo,
  presetCoder,
  saveProjectFile,
  showView,
} from "./steps.mjs";

/** Coding ids and coders of the highlighted stripes in the reading view (one per coding shown). */
async function stripeTitles(app) {
  return app.page.evaluate(() =>
    [...new Set([...document.querySelectorAll(".reader .stripe-label")].map((s) => s.textContent))],
  );
}

/** The number in the reading view's head ("Interview · 12 codings"). */
async function headCount(app) {
  const text = await app.page.locator(".reader-head .muted").first().innerText();
  const m = /· ([\d,]+) codings?/.exec(text);
  assert.ok(m, text);
  return Number(m[1].replace(/,/g, ""));
}

/** The crosstab's grand total (the last cell of its totals row). */
async function crosstabTotal(app) {
  const cell = app.page.locator("table.xtab tr.totals td").last().locator(".xtab-n");
  await cell.waitFor();
  return Number((await cell.innerText()).replace(/,/g, ""));
}

/** Sum of segment counts over every matrix cell shown. */
async function matrixTotal(app) {
  const cells = await matrixCells(app);
  assert.ok(cells.length > 0, "the matrix has cells");
  return cells.reduce((n, c) => n + c.segments, 0);
}

appTest("the active coder is shown and switched; whose codings are shown can be chosen", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await page.locator(".reader p.para").first().waitFor();
  assert.equal(await coderButton(app).getAttribute("aria-label"), `Coder: ${CODER}`);
  assert.equal((await coderButton(app).innerText()).trim(), CODER);

  const all = await headCount(app);
  assert.ok(all > 0, "the demo's first source has codings");

  // Only Demo coder A: fewer codings in the reader.
  let dialog = await openCoders(app);
  await dialog.getByRole("radio", { name: "Only the coders ticked below" }).check();
  await dialog.getByRole("checkbox", { name: "Demo coder B" }).uncheck();
  await dialog.getByRole("checkbox", { name: "Label coding stripes with the coder’s name" }).check();
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.match(await coderButton(app).getAttribute("aria-label"), /showing Demo coder A and E2E coder/);
  const onlyA = await headCount(app);
  assert.ok(onlyA < all, `coder A alone (${onlyA}) shows fewer than everyone (${all})`);
  assert.match(await page.locator(".reader-head").innerText(), /coders filtered/);
  const labels = await stripeTitles(app);
  assert.ok(labels.length > 0);
  assert.ok(labels.every((l) => l.endsWith(" · Demo coder A")), labels.join(" | "));
  await app.screenshot("coders-filtered-reader");

  // The matrix counts follow: fewer segments than with every coder.
  await showView(app, "Matrices");
  await page.locator(".matrix-grid td[role=gridcell]").first().waitFor();
  const matrixA = await matrixTotal(app);
  // And the crosstab's: its grand total (segments) counts coder A's codings only.
  await showView(app, "Crosstabs");
  const crosstabA = await crosstabTotal(app);
  await showView(app, "Matrices");
  dialog = await openCoders(app);
  await dialog.getByRole("radio", { name: "All coders" }).check();
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.waitForFunction(() => !/showing/.test(document.querySelector(".coder-button")?.getAttribute("aria-label") ?? ""));
  const matrixAll = await matrixTotal(app);
  assert.ok(matrixA < matrixAll, `matrix: coder A ${matrixA} < all ${matrixAll}`);
  await showView(app, "Crosstabs");
  const crosstabAll = await crosstabTotal(app);
  assert.ok(crosstabA > 0 && crosstabA < crosstabAll, `crosstab: coder A ${crosstabA} < all ${crosstabAll}`);

  // Switch the active coder and code a passage: the new coding keeps the new name.
  await showView(app, "Reading");
  dialog = await openCoders(app);
  await dialog.getByLabel("Coding as").fill("Second coder");
  await dialog.getByRole("button", { name: "Switch coder" }).click();
  await page.waitForFunction(() => document.querySelector(".coder-button")?.getAttribute("aria-label") === "Coder: Second coder");
  await dialog.getByRole("button", { name: "Done" }).click();
  const words = (await page.locator(".reader p.para").nth(2).innerText()).split(/\s+/).slice(1, 5).join(" ");
  await dragSelect(app, words);
  await applyCodeFromPicker(app, "Coded by the second coder");
  await page.waitForFunction((n) => {
    const m = /· ([\d,]+) codings?/.exec(document.querySelector(".reader-head .muted")?.textContent ?? "");
    return m && Number(m[1]) === n;
  }, all + 1);
  // Showing only the second coder: exactly that one coding.
  dialog = await openCoders(app);
  await dialog.getByRole("radio", { name: "Only the coders ticked below" }).check();
  for (const name of ["Demo coder A", "Demo coder B"]) {
    await dialog.getByRole("checkbox", { name }).uncheck();
  }
  assert.equal(await dialog.getByRole("checkbox", { name: "Second coder" }).isChecked(), true);
  await dialog.getByRole("button", { name: "Done" }).click();
  assert.equal(await headCount(app), 1);

  // The saved project file says who made it.
  const file = await saveProjectFile(app);
  const mine = file.project.codings.filter((c) => c.coder === "Second coder");
  assert.equal(mine.length, 1);
  // The name stays for the next visit in this browser.
  assert.equal(await page.evaluate(() => localStorage.getItem("framewise.coder")), "Second coder");
});
