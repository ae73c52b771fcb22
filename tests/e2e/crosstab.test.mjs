// Crosstabs (issue 10): the view counts the demo's codings per case; coding a passage with a
// new code adds its row and changes the totals; a click on a number lists its segments; the
// co-occurrence mode shows the code × code table; the view has its address.
import assert from "node:assert/strict";
import { appTest, SHARED } from "./harness.mjs";
import { applyCodeFromPicker, dragSelect, openDemo, presetCoder, showView, waitForHome } from "./steps.mjs";
import { writeStudyProject } from "../../bench/study.mjs";

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

appTest("a large crosstab (the study: 100 cases × 80 codes) is written out a window at a time, every cell reachable by scrolling", async (app) => {
  const { page } = app;
  const made = writeStudyProject(SHARED, {});
  try {
    await presetCoder(app);
    await waitForHome(app);
    await page.getByLabel("Open project file").setInputFiles(made.file);
    await page.getByRole("navigation", { name: "Sources" }).getByRole("heading", { name: `Sources (${made.sources})` }).waitFor({ timeout: 120_000 });
    await showView(app, "Crosstabs");
    const table = app.byRole("table", "Crosstab");
    await table.locator("td .xtab-n").first().waitFor({ timeout: 60_000 });
    // The whole table's size is announced; a fraction of its cells is written out.
    const rows = made.codes + 1; // the codes and the totals row
    const columns = made.cases.length + 1; // the cases and the total column
    assert.equal(await table.getAttribute("aria-rowcount"), String(rows + 1));
    assert.equal(await table.getAttribute("aria-colcount"), String(columns + 1));
    /** The shown cells' names, checked against the generator's counts; how many were checked. */
    const checkShown = async () => {
      const labels = await page.locator("table.xtab button.xtab-cell[data-c]").evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label")));
      let compared = 0;
      for (const label of labels) {
        const m = /^(.*) × (.*): ([\d,]+) coded segments?$/.exec(label);
        assert.ok(m, label);
        const want = made.expected.get(`${m[2]} × ${m[1]}`);
        if (want === undefined) continue; // a parent code's row (the generator counts leaves)
        assert.equal(Number(m[3].replace(/,/g, "")), want, label);
        compared++;
      }
      return { shown: labels.length, compared };
    };
    const first = await checkShown();
    assert.ok(first.compared > 50, `${first.compared} shown cells compared`);
    assert.ok(first.shown < (rows * columns) / 4, `${first.shown} of ${rows * columns} cells written out`);
    assert.equal(await table.locator("tr.totals").count(), 0, "the totals row is not in view yet");

    // Scrolled to the far corner: the totals row and the total column come, with the grand total.
    await page.locator(".xtab-scroll").evaluate((box) => {
      box.scrollTop = box.scrollHeight;
      box.scrollLeft = box.scrollWidth;
    });
    const grand = page.locator("table.xtab tr.totals td:last-child .xtab-n");
    await grand.waitFor();
    assert.equal(Number((await grand.innerText()).replace(/,/g, "")), made.caseCodings);
    const corner = await checkShown();
    assert.ok(corner.shown > 50 && corner.shown < (rows * columns) / 4, `${corner.shown} cells written out in the corner`);
    // Their place in the whole table: the last case's column, the last code's row.
    const last = page.getByRole("button", { name: new RegExp(` × ${made.cases.at(-1)}: `) }).last();
    assert.equal(await last.locator("xpath=ancestor::td").getAttribute("aria-colindex"), String(columns));
    assert.equal(await last.locator("xpath=ancestor::tr").getAttribute("aria-rowindex"), String(rows));

    // A cell clicked there lists its segments, and stays marked open when the table scrolls a
    // little (rewritten around it).
    const label = await last.getAttribute("aria-label");
    const count = Number(/: ([\d,]+) coded/.exec(label)[1].replace(/,/g, ""));
    await last.click();
    const detail = page.locator(".xtab-detail");
    await detail.waitFor();
    assert.match(await detail.innerText(), new RegExp(`${count} (coded )?segments?`));
    assert.equal(await detail.locator(".segments li").count(), count);
    // Scrolled away (the cell no longer written out) and back: it is marked open again.
    const box = page.locator(".xtab-scroll");
    await box.evaluate((b) => { b.scrollTop = 0; b.scrollLeft = 0; });
    await page.waitForFunction(() => !document.querySelector("table.xtab tr.totals"));
    assert.equal(await page.locator("table.xtab button[aria-pressed=true]").count(), 0);
    await box.evaluate((b) => { b.scrollTop = b.scrollHeight; b.scrollLeft = b.scrollWidth; });
    await grand.waitFor();
    assert.equal(await page.locator("table.xtab button[aria-pressed=true]").getAttribute("aria-label"), label);
    await app.screenshot("crosstab-windowed");
  } finally {
    made.cleanup();
  }
});
