// Framework matrices end to end (issue 3): build a matrix from the demo project, write a summary
// with a quote reference, reload, follow the reference to the source; a reference whose coding
// is removed shows as broken and comes back with undo; CSV and XLSX exports.
import assert from "node:assert/strict";
import fs from "node:fs";
import zlib from "node:zlib";
import { appTest } from "./harness.mjs";
import {
  DEMO_PROJECT,
  codedRuns,
  codingText,
  expectedMatrix,
  focusedPassage,
  matrixCells,
  matrixGrid,
  matrixHeaders,
  openDemo,
  openListedProject,
  parseCsv,
  pickMatrix,
  presetCoder,
  saveProjectFile,
  showView,
  storedRecords,
  reloadHome,
} from "./steps.mjs";

const NEW_MATRIX = "Integration by case";
const THEME = "Integration & ways of working";

/** The open cell panel (region "Cell CASE × CODE"). */
function cellPanel(app, title) {
  return app.byRole("region", `Cell ${title}`);
}

/** Wait until the toolbar says "Saved in this browser". */
async function waitSaved(app) {
  await app.page.waitForFunction(
    () => document.querySelector(".toolbar [role=status]")?.textContent.trim() === "Saved in this browser",
    null,
    { timeout: 10_000 },
  );
}

appTest(
  "matrix: new matrix from the demo, summary with a quote, reload, the quote opens its passage",
  async (app) => {
    const { page } = app;
    await presetCoder(app);
    await openDemo(app);
    await showView(app, "Matrices");
    // The demo's Workforce matrix is shown first.
    await matrixGrid(app, "Workforce").waitFor();

    // --- "New matrix…": name, the theme's child codes as columns, all cases as rows.
    await app.byRole("button", "New matrix…").click();
    const dialog = app.byRole("dialog", "New matrix");
    await dialog.waitFor();
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(NEW_MATRIX);
    await dialog.getByRole("button", { name: `All children of ${THEME}`, exact: true }).click();
    const hint = await dialog.locator(".hint").first().innerText();
    const chosen = hint.replace(/^Column order: /, "").replace(/\s*Clear$/, "").split(", ");
    assert.ok(chosen.length >= 3, `the theme has several child codes: ${hint}`);
    for (const name of chosen) {
      assert.equal(await dialog.getByRole("checkbox", { name, exact: true }).isChecked(), true, `${name} is ticked`);
    }
    assert.equal(await dialog.getByRole("checkbox", { name: THEME, exact: true }).isChecked(), false);
    assert.equal(await dialog.getByRole("radio", { name: /^All cases \(\d+\)$/ }).isChecked(), true);
    await dialog.getByRole("button", { name: "Create matrix", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    const grid = matrixGrid(app, NEW_MATRIX);
    await grid.waitFor();
    assert.equal(await page.locator(".matrix-pick select option:checked").innerText(), NEW_MATRIX);

    // --- Rows, columns and segment counts agree with the project itself (its saved file).
    await waitSaved(app);
    const saved = await saveProjectFile(app);
    const want = expectedMatrix(saved, NEW_MATRIX);
    assert.deepEqual(want.columns, chosen, "the saved matrix has the chosen columns in order");
    const headers = await matrixHeaders(app);
    assert.deepEqual(headers.columns, ["Case", ...chosen, "Case summary"]);
    assert.deepEqual(headers.rows, want.rows);
    assert.ok(want.rows.length >= 9 && want.rows.includes("P01") && want.rows.includes("Fellside PCN"), want.rows.join());
    const cells = await matrixCells(app);
    assert.equal(cells.length, want.rows.length * chosen.length, "every cell is rendered");
    for (const cell of cells) {
      const n = want.counts.get(`${cell.case} × ${cell.code}`);
      assert.equal(cell.segments, n, `${cell.label}: expected ${n} segments`);
      assert.equal(cell.count, n > 0 ? String(n) : "", `${cell.label}: visible count`);
      assert.equal(cell.state, n > 0 ? "not summarised" : "empty", cell.label);
    }
    const total = cells.reduce((s, c) => s + c.segments, 0);
    assert.ok(total > 0, "the new matrix has coded segments");
    assert.equal(
      (await page.locator(".matrix-progress span").innerText()).trim(),
      `0 of ${cells.filter((c) => c.segments > 0).length} cells with data summarised`,
    );

    // --- Open a participant's cell with data, by keyboard: focus the grid, arrows, Enter.
    const target = cells.find((c) => /^P0\d$/.test(c.case) && c.segments >= 2) ?? cells.find((c) => c.segments > 0);
    const stop = page.locator(".matrix-grid td[tabindex='0']");
    assert.equal(await stop.count(), 1, "one tab stop in the grid");
    await stop.focus();
    assert.equal(await stop.getAttribute("data-r"), "0");
    for (let i = 0; i < target.r; i++) await page.keyboard.press("ArrowDown");
    for (let i = 0; i < target.c; i++) await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), target.label);
    await page.keyboard.press("Enter");
    const title = `${target.case} × ${target.code}`;
    const panel = cellPanel(app, title);
    await panel.waitFor();
    const segments = panel.getByRole("region", { name: "Coded segments" }).getByRole("listitem");
    assert.equal(await segments.count(), target.segments, "the panel lists the cell's segments");
    assert.equal(
      (await panel.getByRole("region", { name: "Coded segments" }).getByRole("heading").textContent()).trim(),
      `${target.segments} coded segments`,
    );

    // --- Summary: words, then "Insert quote" on the second segment, then more words.
    const summaryField = panel.getByRole("textbox", { name: `Summary of ${title}`, exact: true });
    await summaryField.click();
    const before = "Shares the huddle but not the rooms: ";
    const after = " Says it took a year.";
    await page.keyboard.type(before);
    const quoted = segments.nth(1);
    const quotedText = await quoted.locator("mark.coded-text").innerText();
    const quotedSource = (await quoted.locator(".segment-source").innerText()).trim();
    await quoted.getByRole("button", { name: "Insert quote", exact: true }).click();
    // The reference went in at the caret as a readable chip (its first words and source, not a
    // raw token), and the caret is after it, in the field.
    const chip = summaryField.locator(".summary-chip");
    await chip.waitFor();
    const token = await chip.getAttribute("data-coding");
    assert.match(token, /^[0-9a-f-]{36}$/);
    const quotedWords = quotedText.split(/\s+/).filter(Boolean).slice(0, 8).join(" ");
    assert.ok((await chip.innerText()).startsWith(`“${quotedWords}`), await chip.innerText());
    assert.ok((await chip.innerText()).endsWith(`(${quotedSource})`), await chip.innerText());
    assert.ok((await summaryField.innerText()).startsWith(before.trim()));
    assert.ok(!(await summaryField.innerText()).includes("[[quote:"), "no raw token in the field");
    assert.equal(await summaryField.evaluate((el) => el === document.activeElement), true, "focus is back in the summary");
    await page.keyboard.type(after);
    // What is stored keeps the token where the chip stands.
    const written = `${before}[[quote:${token}]]${after}`;
    assert.ok((await summaryField.innerText()).endsWith(after.trim()), await summaryField.innerText());
    // The preview shows the words and a link to the quote.
    const preview = panel.getByLabel("Summary preview", { exact: true });
    const link = preview.getByRole("button", { name: /^Open quote: / });
    await link.waitFor();
    const firstWords = quotedText.split(/\s+/).filter(Boolean).slice(0, 8).join(" ");
    assert.ok(
      (await link.innerText()).startsWith(`Open quote: ${firstWords}`),
      `link “${await link.innerText()}” quotes “${firstWords}”`,
    );
    assert.ok((await link.innerText()).endsWith(`(${quotedSource})`));
    assert.equal(
      (await preview.innerText()).replace(/\s+/g, " ").trim().startsWith(before.trim()),
      true,
    );

    // --- Saved: the stored cell record holds the summary; its quote is the coding of that segment.
    await page.locator(".matrix-grid").click({ position: { x: 5, y: 5 } }); // blur: commit now
    let record = null;
    for (let i = 0; i < 50 && !record; i++) {
      record = (await storedRecords(app, "matrix_cells"))
        .map((r) => JSON.parse(r.json))
        .find((r) => r.summary === written) ?? null;
      if (!record) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(record, "the cell summary is stored");
    await waitSaved(app);
    const codingRecord = (await storedRecords(app, "codings")).map((r) => JSON.parse(r.json)).find((c) => c.id === token);
    assert.ok(codingRecord, "the quote references a stored coding");
    const afterSave = await saveProjectFile(app);
    assert.equal(codingText(afterSave, codingRecord), quotedText, "the reference is the coding of the chosen segment");

    // --- Reload, open the project, go to the matrix: the cell shows its summary.
    await reloadHome(app);
    await openListedProject(app, DEMO_PROJECT);
    await showView(app, "Matrices");
    await matrixGrid(app, "Workforce").waitFor(); // the first matrix until one is chosen
    await pickMatrix(app, NEW_MATRIX);
    const reloaded = (await matrixCells(app)).find((c) => c.case === target.case && c.code === target.code);
    assert.equal(reloaded.state, "summarised");
    assert.equal(reloaded.segments, target.segments);
    assert.equal(reloaded.chips, 1, "one quote chip");
    assert.equal(reloaded.broken, 0);
    assert.ok(reloaded.summary.startsWith(before.trim()), reloaded.summary);
    assert.ok(reloaded.summary.includes("Says it took a year."), reloaded.summary);
    assert.equal(
      (await page.locator(".matrix-progress span").innerText()).trim(),
      `1 of ${cells.filter((c) => c.segments > 0).length} cells with data summarised`,
    );

    // --- Open it (click); the preview's quote link opens the source at the passage.
    await page.locator(`.matrix-grid td[aria-label="${reloaded.label}"]`).click();
    const panel2 = cellPanel(app, title);
    await panel2.waitFor();
    const field2 = panel2.getByRole("textbox", { name: `Summary of ${title}`, exact: true });
    assert.equal(await field2.locator(".summary-chip").getAttribute("data-coding"), token, "the stored quote shows as a chip");
    assert.ok((await field2.innerText()).startsWith(before.trim()) && (await field2.innerText()).endsWith(after.trim()));
    await panel2.getByLabel("Summary preview", { exact: true }).getByRole("button", { name: /^Open quote: / }).click();
    const shown = await focusedPassage(app, quotedSource);
    assert.equal(shown, quotedText, "exactly the quoted passage is highlighted");
    assert.equal(
      await page.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Reading", exact: true }).getAttribute("aria-current"),
      "page",
    );
    await app.screenshot("matrix-quote-opened");
  },
  { timeout: 90_000 },
);

appTest(
  "matrix: removing a quoted coding breaks the reference, keeps the text; undo restores the link",
  async (app) => {
    const { page } = app;
    await presetCoder(app);
    await openDemo(app);
    await showView(app, "Matrices");
    await matrixGrid(app, "Workforce").waitFor();

    // A summarised cell whose summary holds a quote reference.
    const cells = await matrixCells(app);
    const { paths } = await matrixHeaders(app);
    const cell = cells.find((c) => c.chips > 0 && /^P0\d$/.test(c.case));
    assert.ok(cell, `a cell with a quote: ${cells.map((c) => c.label).join(" | ")}`);
    assert.equal(cell.broken, 0);
    await page.locator(`.matrix-grid td[aria-label="${cell.label}"]`).click();
    const title = `${cell.case} × ${cell.code}`;
    const panel = cellPanel(app, title);
    await panel.waitFor();
    const field = panel.getByRole("textbox", { name: `Summary of ${title}`, exact: true });
    // The field shows the quote as a chip; the words around it are the summary's own text.
    const summary = await field.innerText();
    assert.ok((await field.locator(".summary-chip:not(.broken)").count()) >= 1, summary);
    const words = (await field.evaluate((el) => [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join(" ")))
      .replace(/\s+/g, " ")
      .trim();
    const link = panel.getByLabel("Summary preview", { exact: true }).getByRole("button", { name: /^Open quote: / });
    const linkText = await link.innerText();
    const source = /^Open (.*) at this passage$/.exec(await link.getAttribute("title"))[1];

    // Follow it, and remove that coding in the reading view.
    await link.click();
    const passage = await focusedPassage(app, source);
    assert.ok(passage.length > 10, passage);
    // The reading view names codes by their path in the codebook ("Workforce > Burnout").
    const codePath = paths[cell.code];
    assert.ok(codePath?.endsWith(cell.code), `the column's path: ${JSON.stringify(paths)}`);
    const before = await codedRuns(app, codePath);
    assert.ok(before.some((r) => r.includes(passage)), `the passage is coded ${codePath}: ${JSON.stringify(before)}`);
    await page.locator(".reader .focus[data-coded]").first().click();
    const here = app.byRole("dialog", "Codings here");
    await here.waitFor();
    await here.getByRole("button", { name: `Remove coding ${codePath}`, exact: true }).click();
    // The summary quotes this coding: the app says so first, and removing stays possible.
    const warning = here.getByRole("alert");
    await warning.getByText("A matrix summary quotes this coding:", { exact: true }).waitFor();
    await here.getByRole("button", { name: `Remove coding ${codePath} anyway`, exact: true }).click();
    await here.waitFor({ state: "detached" });
    await page.waitForFunction(
      ({ code, passage }) =>
        ![...document.querySelectorAll(".reader [data-coded]")].some(
          (s) => (s.getAttribute("title") ?? "").split(", ").includes(code) && passage.includes(s.textContent),
        ),
      { code: codePath, passage },
    );

    // Back in the matrix: the same cell is open, its reference is broken, its text kept.
    await showView(app, "Matrices");
    const panel2 = cellPanel(app, title);
    await panel2.waitFor();
    const preview = panel2.getByLabel("Summary preview", { exact: true });
    await preview.getByRole("note").filter({ hasText: "Broken quote reference (coding removed)" }).waitFor();
    assert.equal(await preview.getByRole("button", { name: /^Open quote: / }).count(), 0);
    // The field keeps the words; its chip says the reference is broken.
    const field2 = panel2.getByRole("textbox", { name: `Summary of ${title}`, exact: true });
    assert.equal(await field2.locator(".summary-chip.broken").count(), 1);
    assert.ok((await field2.innerText()).includes(words.slice(0, 40)));
    assert.ok((await preview.innerText()).replace(/\s+/g, " ").includes(words.slice(0, 40)), "the words are still shown");
    assert.match(await panel2.locator(".hint").first().innerText(), /^1 quote reference points to a segment whose coding was removed/);
    let after = (await matrixCells(app)).find((c) => c.label.startsWith(`${title}:`));
    assert.equal(after.broken, 1, "the grid marks the reference broken");
    assert.equal(await page.locator(`.matrix-grid td[aria-label="${after.label}"] .mx-chip.broken`).getAttribute("title"),
      "Broken quote reference (coding removed)");
    assert.equal(after.segments, cell.segments - 1);
    // The summary is still there; with no coded segment left the cell says so (not a green dot).
    assert.equal(
      after.state,
      after.segments === 0 ? "summary, but no coded segments left" : "summarised",
      "the summary is still there",
    );
    await app.screenshot("matrix-broken-reference");
    // The CSV export writes the broken reference out as such, beside the kept words.
    const [download] = await Promise.all([page.waitForEvent("download"), app.byRole("button", "Export CSV").click()]);
    const csv = parseCsv(fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, ""));
    const csvCell = csv.find((r) => r[0] === cell.case)[csv[0].indexOf(cell.code)];
    assert.ok(csvCell.includes("[broken quote reference]") && csvCell.startsWith(words.slice(0, 30)), csvCell);

    // Undo (focus outside any text field): the coding and the link come back.
    assert.equal(
      await page.evaluate(() => ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement?.tagName)),
      false,
    );
    await page.keyboard.press("Control+z");
    await preview.getByRole("button", { name: /^Open quote: / }).waitFor();
    assert.equal(await preview.getByRole("note").count(), 0, "no broken reference left");
    assert.equal(await preview.getByRole("button", { name: /^Open quote: / }).innerText(), linkText);
    after = (await matrixCells(app)).find((c) => c.label.startsWith(`${title}:`));
    assert.deepEqual({ segments: after.segments, broken: after.broken, chips: after.chips }, { segments: cell.segments, broken: 0, chips: cell.chips });
    assert.equal(await field2.innerText(), summary, "undo gives the chip its quote back");
  },
  { timeout: 60_000 },
);

/** The entries of a zip archive: Map name -> Buffer (stored or deflated). */
function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, "the archive has an end of central directory");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, "central directory entry");
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString("utf8");
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

appTest("matrix: CSV and XLSX exports of the demo's Workforce matrix", async (app) => {
  const { page } = app;
  await openDemo(app);
  await showView(app, "Matrices");
  await matrixGrid(app, "Workforce").waitFor();
  const headers = await matrixHeaders(app);
  const cells = await matrixCells(app);
  const codes = headers.columns.slice(1, -1);
  assert.ok(codes.length >= 3, headers.columns.join());

  // CSV: one header, one line per case row; code columns; summaries with quotes written out.
  const [csvDownload] = await Promise.all([page.waitForEvent("download"), app.byRole("button", "Export CSV").click()]);
  assert.equal(csvDownload.suggestedFilename(), "Workforce.csv");
  assert.match(csvDownload.url(), /^(blob|data):/);
  const csvText = fs.readFileSync(await csvDownload.path(), "utf8").replace(/^\uFEFF/, "");
  const csv = parseCsv(csvText);
  const [head, ...rows] = csv;
  assert.equal(head[0], "Case");
  assert.equal(head[head.length - 1], "Case summary");
  assert.deepEqual(head.slice(head.length - 1 - codes.length, -1), codes, `code columns in the CSV header: ${head}`);
  assert.deepEqual(rows.map((r) => r[0]), headers.rows, "one CSV line per case row, in order");
  assert.ok(rows.every((r) => r.length === head.length), "every line has every column");
  const codeAt = (name) => head.indexOf(name);
  for (const cell of cells.filter((c) => c.state === "summarised")) {
    const line = rows.find((r) => r[0] === cell.case);
    const text = line[codeAt(cell.code)];
    const visible = cell.summary.replace(/“…”|“×”/g, "").replace(/…$/, "").trim().slice(0, 30);
    assert.ok(text.startsWith(visible), `${cell.label}: CSV “${text.slice(0, 60)}” starts with “${visible}”`);
    if (cell.chips > 0) assert.match(text, /“[^”]+” \([^)]+\)/, `${cell.label}: quote written out`);
  }
  // A cell with coded segments but no summary says so with its count; an empty cell is blank.
  for (const cell of cells.filter((c) => c.state !== "summarised")) {
    const expected =
      cell.segments > 0 && cell.state === "not summarised"
        ? `[${cell.segments} coded segment${cell.segments === 1 ? "" : "s"}, no summary]`
        : "";
    assert.equal(rows.find((r) => r[0] === cell.case)[codeAt(cell.code)], expected, `${cell.label}: in the CSV`);
  }

  // XLSX: a zip (PK) whose sheet holds the same cases and codes.
  const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), app.byRole("button", "Export XLSX").click()]);
  assert.equal(xlsxDownload.suggestedFilename(), "Workforce.xlsx");
  const xlsx = fs.readFileSync(await xlsxDownload.path());
  assert.deepEqual([...xlsx.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], "starts with PK\\3\\4");
  const entries = unzip(xlsx);
  assert.ok(entries.has("[Content_Types].xml") && entries.has("xl/workbook.xml"), [...entries.keys()].join());
  const all = [...entries.entries()].filter(([n]) => n.startsWith("xl/")).map(([, b]) => b.toString("utf8")).join("\n");
  const xml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  for (const name of [...codes, ...headers.rows]) assert.ok(all.includes(xml(name)), `the workbook holds “${name}”`);
  assert.match(entries.get("xl/workbook.xml").toString("utf8"), /name="Quotes"/, "with the quotes sheet (ticked by default)");

  // Print view (written in the worker like the XLSX): a new tab with the matrix as a page, or,
  // where the browser blocks the tab, a download of the same page.
  const popupOrDownload = Promise.race([
    page.context().waitForEvent("page").then((p) => ({ popup: p })),
    page.waitForEvent("download").then((d) => ({ download: d })),
  ]);
  await app.byRole("button", "Print view").click();
  const opened = await popupOrDownload;
  let printed;
  if (opened.popup) {
    await opened.popup.waitForLoadState();
    printed = await opened.popup.content();
    await opened.popup.close();
  } else {
    printed = fs.readFileSync(await opened.download.path(), "utf8");
  }
  assert.match(printed, /Workforce/, "the page is the Workforce matrix");
  for (const name of codes) assert.ok(printed.includes(xml(name)), `the page holds “${name}”`);
  // Nothing left the machine (the harness also checks every request after the test).
  assert.deepEqual(app.offOrigin(), []);
});
