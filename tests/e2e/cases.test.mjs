// The Cases view end to end (issue 3): cases from two sources, a Category and a Number
// attribute, values set with the keyboard in the case table, an invalid number refused with a
// message, a column pasted from a spreadsheet as one undo step, reload, everything kept.
import assert from "node:assert/strict";
import { appTest, corpusPath } from "./harness.mjs";
import {
  caseTable,
  closeImport,
  createProject,
  importFiles,
  openListedProject,
  pasteText,
  presetCoder,
  showView,
  saveStatus,
  storedRecords,
  waitForStored,
  reloadHome,
} from "./steps.mjs";

const PROJECT = "Cases: two consultations";
const SOURCES = ["CAR0001", "GAS0001"];

/** Which element has focus: its accessible label or id. */
function focused(page) {
  return page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.id ?? "");
}

appTest(
  "cases: from sources, attributes, keyboard editing, invalid number, pasted column, reload",
  async (app) => {
    const { page } = app;
    await presetCoder(app);
    await createProject(app, PROJECT);
    await importFiles(app, SOURCES.map((s) => corpusPath("consultations", `${s}.txt`)));
    await closeImport(app);
    await app.byRole("heading", "Sources (2)").waitFor();

    // --- One case per source.
    await showView(app, "Cases");
    const view = app.byRole("region", "Cases");
    await view.getByText("No cases yet.", { exact: false }).waitFor();
    await app.byRole("button", "Cases from sources…").click();
    const fromSources = app.byRole("dialog", "Cases from sources");
    await fromSources.waitFor();
    for (const s of SOURCES) {
      assert.equal(await fromSources.getByRole("checkbox", { name: new RegExp(`^${s}\\b`) }).isChecked(), true, `${s} ticked`);
    }
    await fromSources.getByRole("button", { name: "Create 2 cases", exact: true }).click();
    await fromSources.waitFor({ state: "detached" });
    const grid = app.byRole("grid", "Case table");
    await grid.waitFor();
    let table = await caseTable(app);
    assert.deepEqual(table.rows.map((r) => [r.name, r.parent, r.sources]), SOURCES.map((s) => [s, "", s]));

    // --- A Category attribute and a Number attribute.
    await app.byRole("button", "Add attribute").click();
    let dialog = app.byRole("dialog", "Add attribute");
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Setting");
    await dialog.getByRole("combobox", { name: "Type", exact: true }).selectOption("category");
    await dialog.getByRole("textbox", { name: "Values, one per line", exact: true }).fill("urban\nrural\nmixed");
    await dialog.getByRole("button", { name: "Add attribute", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await app.byRole("button", "Add attribute").click();
    dialog = app.byRole("dialog", "Add attribute");
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Age");
    await dialog.getByRole("combobox", { name: "Type", exact: true }).selectOption("number");
    await dialog.getByRole("button", { name: "Add attribute", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    table = await caseTable(app);
    assert.deepEqual(table.attributes, ["Setting", "Age"]);
    assert.deepEqual(table.rows.map((r) => r.values), [["", ""], ["", ""]]);
    assert.equal(
      (await page.locator(".cases-count").innerText()).trim(),
      "2 cases · 2 attributes",
    );

    // --- Keyboard: to CAR0001's Setting (Right ×3), Enter opens the list, Down ×2, Enter.
    const stop = grid.locator("td[tabindex='0']");
    assert.equal(await stop.count(), 1, "one tab stop in the case table");
    await stop.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    const settingEditor = app.byRole("combobox", "Setting of CAR0001");
    await settingEditor.waitFor();
    assert.equal(await focused(page), "Setting of CAR0001");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.equal(await settingEditor.inputValue(), "rural");
    await page.keyboard.press("Enter");
    await settingEditor.waitFor({ state: "detached" });
    table = await caseTable(app);
    assert.deepEqual(table.rows.map((r) => r.values), [["rural", ""], ["", ""]]);
    // Enter committed and moved down: GAS0001's Setting is active and focused.
    assert.equal(await page.evaluate(() => document.activeElement?.id), "case-cell-1-3");

    // --- An invalid number: typing starts editing; Enter shows the problem, nothing is applied.
    await page.keyboard.press("ArrowRight");
    await page.keyboard.type("forty");
    const ageEditor = app.byRole("textbox", "Age of GAS0001");
    assert.equal(await ageEditor.inputValue(), "forty");
    await page.keyboard.press("Enter");
    const cell = page.locator("#case-cell-1-4");
    await cell.locator(".cell-error[role=alert]").waitFor();
    assert.equal((await cell.locator(".cell-error").innerText()).trim(), "“forty” is not a number");
    assert.equal(await cell.getAttribute("aria-invalid"), "true");
    assert.equal(await ageEditor.inputValue(), "forty", "the editor keeps the text to correct");
    // Correct it: select all, type a number, Enter.
    await page.keyboard.press("Control+a");
    await page.keyboard.type("42");
    await page.keyboard.press("Enter");
    await ageEditor.waitFor({ state: "detached" });
    assert.equal(await cell.getAttribute("aria-invalid"), null);
    table = await caseTable(app);
    assert.deepEqual(table.rows.map((r) => r.values), [["rural", ""], ["", "42"]]);
    assert.deepEqual(table.rows.flatMap((r) => r.errors), []);

    // --- Paste a column (three lines; two cases) into CAR0001's Age: one undo step.
    const ageTop = page.locator("#case-cell-0-4");
    await ageTop.focus();
    await pasteText(ageTop, "57\r\n63.5\r\n70\r\n");
    const report = app.byRole("status", "Paste report");
    await report.waitFor();
    assert.match((await report.innerText()).replace(/\s+/g, " "), /^Pasted 2 values\. Not pasted: 1 line below the last case was not pasted\./);
    table = await caseTable(app);
    assert.deepEqual(table.rows.map((r) => r.values), [["rural", "57"], ["", "63.5"]]);
    // Undo takes back the whole paste (both values), redo puts it back.
    assert.equal(await page.evaluate(() => ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement?.tagName)), false);
    await page.keyboard.press("Control+z");
    await page.waitForFunction(() => document.querySelector("#case-cell-0-4")?.textContent.trim() === "");
    table = await caseTable(app);
    assert.deepEqual(table.rows.map((r) => r.values), [["rural", ""], ["", "42"]]);
    await page.keyboard.press("Control+Shift+z");
    await page.waitForFunction(() => document.querySelector("#case-cell-0-4")?.textContent.trim() === "57");
    // A pasted category value that does not fit is reported and left out; the rest is applied.
    const settingTop = page.locator("#case-cell-0-3");
    await settingTop.focus();
    await pasteText(settingTop, "Mixed\nsuburban");
    await page.waitForFunction(() => document.querySelector("#case-cell-0-3")?.textContent.trim() === "mixed");
    assert.match(
      (await report.innerText()).replace(/\s+/g, " "),
      /^Pasted 1 value\. Not pasted: Row 2 \(GAS0001\), Setting: “suburban” is not one of: urban, rural, mixed/,
    );
    table = await caseTable(app);
    const want = [["mixed", "57"], ["", "63.5"]];
    assert.deepEqual(table.rows.map((r) => r.values), want);

    // --- Saved, reload, open: every value kept.
    await waitForStored(app, PROJECT, (r) => r.cases === 2);
    // The toolbar may still say "Saved" while a change waits for the save delay: wait for the
    // stored case records themselves.
    const storedValues = async () =>
      (await storedRecords(app, "cases"))
        .map((r) => JSON.parse(r.json))
        .sort((a, b) => a.position - b.position)
        .map((c) => {
          const v = Object.values(c.values);
          return [c.name, v.find((x) => x.type === "category")?.value ?? "", v.find((x) => x.type === "number")?.value ?? ""];
        });
    const storedWant = [["CAR0001", "mixed", 57], ["GAS0001", "", 63.5]];
    let stored = await storedValues();
    for (let i = 0; i < 50 && JSON.stringify(stored) !== JSON.stringify(storedWant); i++) {
      await new Promise((r) => setTimeout(r, 100));
      stored = await storedValues();
    }
    assert.deepEqual(stored, storedWant, "the values are stored (numbers as numbers)");
    assert.equal((await saveStatus(app).innerText()).trim(), "Saved in this browser");
    await reloadHome(app);
    await openListedProject(app, PROJECT);
    await showView(app, "Cases");
    await grid.waitFor();
    table = await caseTable(app);
    assert.deepEqual(table.attributes, ["Setting", "Age"]);
    assert.deepEqual(table.rows.map((r) => [r.name, r.sources, ...r.values]), [
      ["CAR0001", "CAR0001", ...want[0]],
      ["GAS0001", "GAS0001", ...want[1]],
    ]);
    await app.screenshot("cases-after-reload");
  },
  { timeout: 60_000 },
);

// Issue 9 (defect): typing into a category cell saved another value — the first key opened a
// <select> and was lost, later letters jumped through its options ("urban" saved "rural",
// "mixed" saved nothing, "suburban" saved "urban"). Typing now saves the value typed (any case)
// or refuses with a message; the suggestions work with the keyboard and the mouse.
appTest(
  "cases: typing into a category cell saves the value typed, or refuses with a message",
  async (app) => {
    const { page } = app;
    await createProject(app, "Typed categories");
    await showView(app, "Cases");
    for (const name of ["Ash", "Birch", "Cedar", "Damson"]) {
      await app.byRole("button", "Add case").click();
      const dialog = app.byRole("dialog", "Add case");
      await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(name);
      await dialog.getByRole("button", { name: "Add case", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
    }
    await app.byRole("button", "Add attribute").click();
    const dialog = app.byRole("dialog", "Add attribute");
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Setting");
    await dialog.getByRole("combobox", { name: "Type", exact: true }).selectOption("category");
    await dialog.getByRole("textbox", { name: "Values, one per line", exact: true }).fill("urban\nrural\nmixed");
    await dialog.getByRole("button", { name: "Add attribute", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    const values = async () => (await caseTable(app)).rows.map((r) => r.values[0]);
    assert.deepEqual(await values(), ["", "", "", ""]);

    // Type into the active cell (no Enter first), as in a spreadsheet; Enter commits, moves down.
    await page.locator("#case-cell-0-3").focus();
    await page.keyboard.type("urban");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "case-cell-1-3");
    await page.keyboard.type("MIXED");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "case-cell-2-3");
    assert.deepEqual(await values(), ["urban", "mixed", "", ""], "the values typed, nothing else");

    // Not a category: refused with a message, nothing saved, the text kept to correct.
    await page.keyboard.type("suburban");
    await page.keyboard.press("Enter");
    const cell = page.locator("#case-cell-2-3");
    await cell.locator(".cell-error[role=alert]").waitFor();
    assert.equal((await cell.locator(".cell-error").innerText()).trim(), "“suburban” is not one of: urban, rural, mixed");
    const editor = app.byRole("combobox", "Setting of Cedar");
    assert.equal(await editor.inputValue(), "suburban");
    // Correct it from the suggestions with the keyboard: clear, type "r", Down, Enter.
    await page.keyboard.press("Control+a");
    await page.keyboard.type("r");
    const options = app.byRole("listbox", "Values of Setting of Cedar").getByRole("option");
    assert.deepEqual(await options.allInnerTexts(), ["rural", "urban"], "starts with r first, then contains r");
    await page.keyboard.press("ArrowDown");
    assert.equal(await editor.inputValue(), "rural");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "case-cell-3-3");
    assert.deepEqual(await values(), ["urban", "mixed", "rural", ""]);

    // The mouse: double-click opens the list, a click on a value chooses it.
    await page.locator("#case-cell-3-3").dblclick();
    await app.byRole("listbox", "Values of Setting of Damson").getByRole("option", { name: "mixed", exact: true }).click();
    await page.waitForFunction(() => document.querySelector("#case-cell-3-3")?.textContent.trim() === "mixed");
    assert.deepEqual(await values(), ["urban", "mixed", "rural", "mixed"]);
    assert.deepEqual((await caseTable(app)).rows.flatMap((r) => r.errors), []);
    await app.screenshot("cases-typed-categories");
  },
  { timeout: 60_000 },
);
