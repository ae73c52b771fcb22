// Crosstabs (issue 10): the view counts the demo's codings per case; coding a passage with a
// new code adds its row and changes the totals; a click on a number lists its segments; the
// co-occurrence mode shows the code × code table; the view has its address.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { applyCodeFromPicker, dragSelect, openDemo, presetCoder, showView } from "./steps.mjs";

/** The grand total (the last cell of the totals row). */
async function grandTotal(app) {
  const text = await app.page.locator("table.xtab tr.totals td").last().locator(".xtab-n").innerText();
  return Number(text.replace(/,/g, ""));
}

appTest("crosstab counts per case, follows a new coding and lists a cell's segments", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Crosstabs");
  assert.match(await page.evaluate(() => location.hash), /^#\/p\/[0-9a-f-]{36}\/crosstab$/);
  const table = app.byRole("table", "Crosstab");
  await table.waitFor();
  const before = await grandTotal(app);
  assert.ok(before > 0, `the demo's codings are counted (${before})`);
  assert.equal(await table.getByRole("rowheader", { name: "Crosstab check" }).count(), 0);

  // Code a passage of the open source with a new code.
  await showView(app, "Reading");
  const words = (await page.locator(".reader p.para").nth(2).innerText()).split(/\s+/).slice(1, 5).join(" ");
  await dragSelect(app, words);
  await applyCodeFromPicker(app, "Crosstab check");
  await page.getByRole("treeitem", { name: /Crosstab check/ }).first().waitFor();

  await showView(app, "Crosstabs");
  const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Crosstab check" }) });
  await row.waitFor();
  // Its total (the row's last cell) is the one new coding, and the table's total grew by one.
  assert.equal(await row.locator("td").last().locator(".xtab-n").innerText(), "1");
  assert.equal(await grandTotal(app), before + 1);
  await app.screenshot("crosstab-cases");

  // A click on a number lists its segments.
  const cell = row.getByRole("button", { name: /^Crosstab check × .*: 1 coded segment$/ });
  await cell.first().click();
  const detail = page.locator(".xtab-detail");
  await detail.getByRole("status").filter({ hasText: "1 segment" }).waitFor();
  assert.equal(await detail.locator("mark").innerText(), words);

  // Percentages are shown beside the numbers; shading does not replace them.
  await app.byRole("combobox", "Percentages").selectOption({ label: "Row %" });
  await row.locator("td").last().locator(".xtab-pct").filter({ hasText: "100%" }).waitFor();

  // The co-occurrence mode: a code × code table.
  await app.byRole("combobox", "Table").selectOption({ label: "Code co-occurrence" });
  await app.byRole("table", "Code co-occurrence").waitFor();
  await app.screenshot("crosstab-cooccurrence");

  // The view keeps its address across a reload.
  await page.reload();
  await app.byRole("table", "Crosstab").waitFor();
});
