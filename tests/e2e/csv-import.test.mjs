// Codebook and case table CSV imports end to end. The worker reads the file (the parsing is not
// in the main wasm) and the page shows the preview it wrote out: the codes to add with their
// paths, new cases with their parents, new attributes with their inferred types, values set and
// cleared, problems by line; confirming is one undo step; files that are not UTF-8 or not such
// a CSV are reported with the file's name and the reason. (A wasm-bindgen browser test has no
// worker, so these previews are tested here.)
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { caseTable, codeItem, openDemo, presetCoder, showView } from "./steps.mjs";

/** Chooses a file with `text` (a string, or bytes) in the file input labelled `label`. */
async function chooseCsv(app, label, name, text) {
  await app.page.getByLabel(label, { exact: true }).setInputFiles({
    name,
    mimeType: "text/csv",
    buffer: Buffer.isBuffer(text) ? text : Buffer.from(text),
  });
}

/** The page's alert that contains `text`, once shown; dismissed after reading. */
async function alertSaying(app, text) {
  const alert = app.page.getByRole("alert").filter({ hasText: text });
  await alert.waitFor();
  const said = (await alert.innerText()).replace(/\s*×\s*$/, "").trim();
  await alert.getByRole("button", { name: "Dismiss message" }).click();
  await alert.waitFor({ state: "detached" });
  return said;
}

/** The text content of the items of the list labelled `label` inside `dialog`, trimmed. */
async function listed(dialog, label) {
  const items = await dialog.getByRole("list", { name: label }).getByRole("listitem").allTextContents();
  return items.map((t) => t.trim());
}

appTest("codebook CSV: the preview of codes and problems, one undo step, refusals named", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);

  // Not UTF-8, and not a codebook CSV: the file and the reason are named, nothing opens.
  await chooseCsv(app, "Import codebook CSV", "latin.csv", Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xe9, 0xff, 0x0a]));
  assert.equal(
    await alertSaying(app, "latin.csv"),
    "latin.csv could not be read: it is not UTF-8 text (save it from your spreadsheet as “CSV UTF-8”).",
  );
  await chooseCsv(app, "Import codebook CSV", "titles.csv", "title,notes\nAccess,x\n");
  assert.equal(
    await alertSaying(app, "titles.csv"),
    'titles.csv is not a codebook CSV: line 1: the first row must be a header with a "name" column (and optionally "description" and "parent").',
  );
  assert.equal(await app.byRole("dialog", "Import codebook").count(), 0);

  const csv = "name,description,parent\nAffordability,Costs of care,\nFees,Official fees,Affordability\nTravel,,Nowhere\n";
  await chooseCsv(app, "Import codebook CSV", "framework.csv", csv);
  const dialog = app.byRole("dialog", "Import codebook");
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /framework\.csv: 3 codes to add\./);
  const paths = await dialog.locator("[aria-label='Codes to add'] .import-path").allInnerTexts();
  assert.deepEqual(paths, ["Affordability", "Affordability > Fees", "Travel"]);
  const descriptions = await dialog.locator("[aria-label='Codes to add'] .import-description").allInnerTexts();
  assert.deepEqual(descriptions, ["Costs of care", "Official fees"]);
  const swatches = await dialog
    .locator("[aria-label='Codes to add'] .swatch")
    .evaluateAll((els) => els.map((e) => e.getAttribute("style")));
  assert.equal(swatches.length, 3);
  for (const s of swatches) assert.match(s, /^background:#[0-9a-f]{6}$/i, s);
  const problems = await listed(dialog, "Problems");
  assert.equal(problems.length, 1, `${problems}`);
  assert.match(problems[0], /^Line 4: the parent "Nowhere" of "Travel" is not a code in this file or the project; it was put at the top level$/);
  await app.screenshot("csv-import-codebook-preview");
  await dialog.getByRole("button", { name: "Import 3 codes" }).click();
  await dialog.waitFor({ state: "detached" });
  await codeItem(app, "Fees").waitFor();
  assert.equal(await codeItem(app, "Fees").getAttribute("aria-level"), "2");
  assert.equal(await codeItem(app, "Travel").getAttribute("aria-level"), "1");

  // One undo step takes back all three codes.
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("Control+z");
  await codeItem(app, "Affordability").waitFor({ state: "detached" });
  assert.equal(await codeItem(app, "Fees").count(), 0);
  assert.equal(await codeItem(app, "Travel").count(), 0);
});

appTest("case table CSV: new cases, attributes, values and problems previewed; one undo step", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Cases");
  const before = await caseTable(app);

  // A refusal first (the worker keeps the project it was sent; the next file goes without it).
  await chooseCsv(app, "Import case table CSV", "blank.csv", "\n\n");
  assert.match(await alertSaying(app, "blank.csv"), /^blank\.csv is not a case table CSV: line \d+: the file is empty/);

  const csv = [
    "case,parent,rurality,band",
    "P01,,,high",
    ",,urban,x",
    "P07,Northgate PCN,swamp,low",
    "P08,Nowhere,mixed,low",
    "Fellside PCN,,,high",
  ].join("\n");
  await chooseCsv(app, "Import case table CSV", "sites.csv", csv);
  const dialog = app.byRole("dialog", "Import case table");
  await dialog.waitFor();
  const said = (await dialog.innerText()).replace(/\s+/g, " ");
  assert.match(said, /sites\.csv: 4 rows read\./);
  assert.match(said, /New cases \(2\)/);
  assert.match(said, /5 values to set, 1 to clear \(empty cells\)\./);
  assert.deepEqual(await listed(dialog, "New cases"), ["P07 (sub-case of Northgate PCN)", "P08"]);
  assert.deepEqual(await listed(dialog, "New attributes"), ["band — Category: high | low"]);
  const problems = await listed(dialog, "Problems");
  assert.equal(problems.length, 3, `${problems}`);
  assert.match(problems[0], /^Line 3: the row has no case name/);
  assert.match(problems[1], /^Line 4: rurality: .*swamp.*; the value was skipped$/);
  assert.match(problems[2], /^Line 5: no case is called “Nowhere”; the case was added at the top level$/);
  await app.screenshot("csv-import-cases-preview");
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await dialog.waitFor({ state: "detached" });

  await page.waitForFunction(() => document.body.innerText.includes("P07"));
  const after = await caseTable(app);
  assert.deepEqual(after.attributes, [...before.attributes, "band"]);
  assert.equal(after.rows.length, before.rows.length + 2);
  const row = (table, name) => table.rows.find((r) => r.name === name);
  const band = after.attributes.indexOf("band");
  const rurality = after.attributes.indexOf("rurality");
  assert.equal(row(after, "P01").values[band], "high");
  assert.equal(row(after, "P07").values[band], "low");
  assert.equal(row(after, "P07").values[rurality], "");
  assert.equal(row(after, "P08").values[rurality], "mixed");
  assert.equal(row(after, "Fellside PCN").values[rurality], "", "the empty cell cleared Fellside's rurality");
  assert.equal(row(before, "Fellside PCN").values[rurality], "rural");
  assert.equal(row(after, "P07").parent, "Northgate PCN");

  // One undo step takes it all back.
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("Control+z");
  await page.waitForFunction(() => !document.body.innerText.includes("P07"));
  assert.deepEqual(await caseTable(app), before);
});
