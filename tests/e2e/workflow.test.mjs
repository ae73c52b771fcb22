// The whole coding workflow as a person does it: create a project, import two consultations at
// once (one UTF-16 LE with BOM), create codes in the codebook and in the picker, code overlapping
// passages with the mouse, code by keyboard (Shift+Arrows, Enter, type, Enter), undo and redo,
// wait until it is saved, reload, and find everything as it was.
import assert from "node:assert/strict";
import { appTest, corpusPath } from "./harness.mjs";
import {
  answerCoderDialog,
  applyCodeFromPicker,
  closeImport,
  codeItem,
  codedRuns,
  createProject,
  dragSelect,
  importFiles,
  openSource,
  projectRows,
  reader,
  saveStatus,
  storedRecords,
  waitForStored,
  reloadHome,
} from "./steps.mjs";

const PROJECT = "Workflow: respiratory consultations";

appTest(
  "workflow: import, code by mouse and keyboard, undo/redo, save, reload, all intact",
  async (app, t) => {
    const { page } = app;
    await createProject(app, PROJECT);

    // --- Import two files at once; RES0002.txt is UTF-16 LE with a BOM and CRLF line ends.
    const { lines, status } = await importFiles(app, [
      corpusPath("consultations", "RES0002.txt"),
      corpusPath("consultations", "CAR0001.txt"),
    ]);
    assert.equal(status, "2 of 2 files read");
    assert.deepEqual([...lines.keys()].sort(), ["CAR0001.txt", "RES0002.txt"]);
    assert.match(lines.get("RES0002.txt"), /^Imported: [\d,]+ characters, UTF-16 LE/);
    assert.match(lines.get("CAR0001.txt"), /^Imported: [\d,]+ characters, UTF-8/);
    await closeImport(app);
    await app.byRole("heading", "Sources (2)").waitFor();
    const res = reader(app, "RES0002");
    await res.waitFor();
    // The UTF-16 text reads as real words, not mojibake or NULs.
    const firstWords = await res.innerText();
    assert.ok(firstWords.includes("He's 2 1/2 months old"), firstWords.slice(0, 300));
    assert.ok(!/[\u0000\uFFFD]/.test(firstWords), "no NUL or replacement characters");

    // --- A code from the codebook's "New code name" field.
    await app.byRole("textbox", "New code name").fill("Symptoms");
    await app.byRole("button", "Add code").click();
    await codeItem(app, "Symptoms").waitFor();
    assert.match(await codeItem(app, "Symptoms").getAttribute("aria-label"), /^Symptoms, 0 codings, 0 sources, /);

    // --- Mouse: drag over a phrase, apply "Symptoms" through the picker (first coding in this
    // browser: the app asks who is coding).
    const first = "he's had this cough, fever";
    assert.equal((await dragSelect(app, first)).trim(), first);
    const quote = await app.byRole("dialog", "Code the selection").locator(".picker-quote").innerText();
    assert.equal(quote, `“${first}”`);
    await applyCodeFromPicker(app, "sympt");
    await answerCoderDialog(app, "Ada Lovelace");
    await page.waitForFunction(() => document.querySelectorAll(".reader [data-coded]").length > 0);
    assert.deepEqual(await codedRuns(app, "Symptoms"), [first]);
    await page.keyboard.press("Escape");
    await app.byRole("dialog", "Code the selection").waitFor({ state: "detached" });

    // --- Mouse again: an overlapping phrase, with a code created by typing a new name.
    const second = "cough, fever an seems like he's breathing too fast";
    assert.equal((await dragSelect(app, second)).trim(), second);
    await applyCodeFromPicker(app, "Breathing difficulty");
    await codeItem(app, "Breathing difficulty").waitFor();
    assert.deepEqual(await codedRuns(app, "Breathing difficulty"), [second]);
    assert.deepEqual(await codedRuns(app, "Symptoms"), [first], "the first coding is unchanged");
    // The overlap is one segment carrying both codes.
    const both = await page
      .locator('.reader [data-coded][title="Symptoms, Breathing difficulty"]')
      .allInnerTexts();
    assert.deepEqual(both, ["cough, fever"]);
    await page.keyboard.press("Escape");
    await app.byRole("dialog", "Code the selection").waitFor({ state: "detached" });

    // --- Keyboard: focus the reading view, Shift+ArrowRight selects from the start of the first
    // visible paragraph's text (" Could you tell me what..."), Enter goes to the picker, type a
    // filter, Enter applies.
    await res.focus();
    const phrase = " Could you tell me what";
    for (let i = 0; i < phrase.length; i++) await page.keyboard.press("Shift+ArrowRight");
    await app.byRole("dialog", "Code the selection").waitFor();
    assert.equal(await page.evaluate(() => String(getSelection())), phrase);
    await page.keyboard.press("Enter");
    const combo = app.byRole("combobox", "Find or create a code");
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "combobox");
    await page.keyboard.type("sympt");
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      () => [...document.querySelectorAll(".reader [data-coded]")].some((s) => s.textContent.includes("Could")),
    );
    assert.deepEqual(await codedRuns(app, "Symptoms"), ["Could you tell me what", first]);
    await app.byRole("dialog", "Code the selection").waitFor({ state: "detached" });
    assert.equal(await combo.count(), 0, "the picker closes after applying");
    await page.getByRole("treeitem", { name: /^Symptoms, 2 codings, 1 source, / }).waitFor();

    // --- Undo and redo from the keyboard (focus out of any text field).
    await page.keyboard.press("Escape");
    await app.byRole("dialog", "Code the selection").waitFor({ state: "detached" });
    assert.equal(
      await page.evaluate(() => ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement?.tagName)),
      false,
    );
    await page.keyboard.press("Control+z");
    await app.nextFrame();
    await page.waitForFunction(
      () => ![...document.querySelectorAll(".reader [data-coded]")].some((s) => s.textContent.includes("Could")),
    );
    assert.deepEqual(await codedRuns(app, "Symptoms"), [first], "undo removed only the last coding");
    await page.keyboard.press("Control+Shift+z");
    await page.waitForFunction(
      () => [...document.querySelectorAll(".reader [data-coded]")].some((s) => s.textContent.includes("Could")),
    );
    assert.deepEqual(await codedRuns(app, "Symptoms"), ["Could you tell me what", first]);

    // --- Saved, then reload and reopen.
    await waitForStored(app, PROJECT, (r) => r.sources === 2 && r.codes === 2 && r.codings === 3);
    assert.equal((await saveStatus(app).innerText()).trim(), "Saved in this browser");
    await reloadHome(app);
    const rows = await projectRows(app);
    const row = rows.find((r) => r.name === PROJECT);
    assert.ok(row, `the project is listed after reload: ${JSON.stringify(rows)}`);
    assert.deepEqual(row.cells.slice(0, 3), ["2", "2", "3"]);
    await app.byRole("button", `Open ${PROJECT}`).click();
    await app.byRole("heading", PROJECT, { level: 1 }).waitFor();

    await app.byRole("heading", "Sources (2)").waitFor();
    const sources = page.getByRole("navigation", { name: "Sources" }).locator(".source-item");
    assert.deepEqual(
      (await sources.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim()),
      ["RES0002 Interview · 3 codings", "CAR0001 Interview · 0 codings"],
    );
    const tree = page.getByRole("tree", { name: "Codebook" }).getByRole("treeitem");
    assert.deepEqual(await tree.evaluateAll((items) => items.map((i) => i.getAttribute("aria-label"))), [
      "Symptoms, 2 codings, 1 source, Inductive",
      "Breathing difficulty, 1 coding, 1 source, Inductive",
    ]);
    await reader(app, "RES0002").waitFor();
    assert.deepEqual(await codedRuns(app, "Symptoms"), ["Could you tell me what", first]);
    assert.deepEqual(await codedRuns(app, "Breathing difficulty"), [second]);
    const text = await reader(app, "RES0002").innerText();
    assert.ok(text.includes("we're in the ER because he's had this cough"), "UTF-16 text intact");
    assert.ok(!/[\u0000\uFFFD]/.test(text));
    // Every coding keeps its coder.
    const coders = (await storedRecords(app, "codings")).map((r) => JSON.parse(r.json).coder);
    assert.deepEqual(coders, ["Ada Lovelace", "Ada Lovelace", "Ada Lovelace"]);

    await openSource(app, "CAR0001");
    assert.ok((await reader(app, "CAR0001").innerText()).includes("I'm just having a lot of chest pain"));
    assert.deepEqual(await codedRuns(app, "Symptoms"), []);
  },
  { timeout: 60_000 },
);
