// Importing batches that contain bad files and duplicates: every file gets its own result line,
// bad files are named with a reason, good files still import, and duplicates are imported or
// skipped as the person chooses.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { appTest, corpusPath } from "./harness.mjs";
import {
  closeImport,
  createProject,
  importFiles,
  presetCoder,
  readImportResults,
  storedRecords,
  reader,
  tempDir,
  waitForStored,
  dragSelect,
  applyCodeFromPicker,
  codedRuns,
} from "./steps.mjs";

/** A small but real PNG: signature, IHDR, IDAT and IEND of a 1x1 image. */
const PNG_1X1 = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082",
  "hex",
);

function sourceNames(app) {
  return app.page
    .getByRole("navigation", { name: "Sources" })
    .locator(".source-item .source-name")
    .allInnerTexts();
}

appTest("a batch with a binary file, a Word file renamed .txt and an empty file", async (app) => {
  const dir = tempDir();
  const png = path.join(dir, "scan.txt");
  fs.writeFileSync(png, PNG_1X1);
  const docx = path.join(dir, "interview-notes.txt");
  fs.copyFileSync(corpusPath("word", "ID1.docx"), docx);
  const empty = path.join(dir, "empty.txt");
  fs.writeFileSync(empty, "");

  await presetCoder(app);
  await createProject(app, "Bad batch");
  const { lines, status } = await importFiles(app, [
    png,
    corpusPath("consultations", "CAR0002.txt"),
    docx,
    empty,
  ]);
  assert.equal(status, "4 of 4 files read, 3 not imported");
  assert.deepEqual([...lines.keys()].sort(), ["CAR0002.txt", "empty.txt", "interview-notes.txt", "scan.txt"]);
  // Issue 9: each failed file is listed once (under “Files not imported”), not twice.
  const dialogText = await app.page.getByRole("dialog", { name: "Import results" }).innerText();
  for (const name of ["scan.txt", "interview-notes.txt", "empty.txt"]) {
    assert.equal(dialogText.split(name).length - 1, 1, `${name} listed once in: ${dialogText}`);
  }
  assert.match(lines.get("CAR0002.txt"), /^Imported: [\d,]+ characters, UTF-8/);
  assert.match(lines.get("scan.txt"), /^Not imported: .*binary/i);
  assert.match(lines.get("interview-notes.txt"), /^Not imported: .*binary/i);
  assert.match(lines.get("empty.txt"), /^Not imported: .*(no text|empty)/i);
  // The bad lines are marked as errors, the good one as imported.
  const classes = await app.page
    .getByRole("list", { name: "Results per file" })
    .getByRole("listitem")
    .evaluateAll((items) => items.map((i) => [...i.classList].filter((c) => c !== "file-result")));
  assert.deepEqual(classes, [["ok"]]);
  const failedClasses = await app.page
    .getByRole("list", { name: "Files not imported" })
    .getByRole("listitem")
    .evaluateAll((items) => items.map((i) => [...i.classList].filter((c) => c !== "file-result")));
  assert.deepEqual(failedClasses, [["error"], ["error"], ["error"]]);
  await closeImport(app);

  // The project carries on: the good file is there and can be coded, and it is saved.
  await app.byRole("heading", "Sources (1)").waitFor();
  assert.deepEqual(await sourceNames(app), ["CAR0002"]);
  const text = await reader(app, "CAR0002").innerText();
  assert.ok(!/[\u0000\uFFFD]/.test(text));
  const phrase = (await app.page.locator(".reader p.para").nth(1).innerText()).split(":")[1].trim().split(" ").slice(0, 4).join(" ");
  await dragSelect(app, phrase);
  await applyCodeFromPicker(app, "Still works");
  await app.page.waitForFunction(() => document.querySelectorAll(".reader [data-coded]").length > 0);
  assert.deepEqual(await codedRuns(app, "Still works"), [phrase]);
  await waitForStored(app, "Bad batch", (r) => r.sources === 1 && r.codings === 1);
});

appTest("a duplicate asks, and “Skip duplicates” / “Import anyway” do what they say", async (app) => {
  const dir = tempDir();
  const copy = path.join(dir, "CAR0001 (copy).txt");
  fs.copyFileSync(corpusPath("consultations", "CAR0001.txt"), copy);
  // Same words, CRLF line ends: after LF normalisation it is the same text.
  const crlf = path.join(dir, "CAR0001-windows.txt");
  fs.writeFileSync(crlf, fs.readFileSync(corpusPath("consultations", "CAR0001.txt"), "utf8").replace(/\r?\n/g, "\r\n"));

  await createProject(app, "Duplicates");
  let result = await importFiles(app, [corpusPath("consultations", "CAR0001.txt")]);
  assert.match(result.lines.get("CAR0001.txt"), /^Imported:/);
  assert.equal(await app.page.getByRole("group", { name: "Duplicates" }).count(), 0, "no question without duplicates");
  await closeImport(app);
  await app.byRole("heading", "Sources (1)").waitFor();

  // A batch of one duplicate and one new file: the new file is added at once, the duplicate waits.
  result = await importFiles(app, [copy, corpusPath("consultations", "CAR0003.txt")]);
  assert.equal(result.lines.get("CAR0001 (copy).txt"), "Same text as “CAR0001”");
  assert.match(result.lines.get("CAR0003.txt"), /^Imported:/);
  const question = app.page.getByRole("group", { name: "Duplicates" });
  await question.waitFor();
  assert.match(await question.innerText(), /1 file has exactly the same text/);
  // Issue 9: the safe answer is the default: “Skip duplicates” is the primary button and has
  // the focus, so Enter does not import a duplicate.
  const skip = question.getByRole("button", { name: "Skip duplicates", exact: true });
  assert.match(await skip.getAttribute("class"), /primary/);
  assert.doesNotMatch(await question.getByRole("button", { name: "Import anyway", exact: true }).getAttribute("class") ?? "", /primary/);
  await app.page.waitForFunction(() => document.activeElement?.textContent === "Skip duplicates");
  assert.equal(await app.byRole("button", "Done").count(), 0, "the question must be answered first");
  await question.getByRole("button", { name: "Skip duplicates", exact: true }).click();
  await question.waitFor({ state: "detached" });
  result = await readImportResults(app);
  assert.equal(result.lines.get("CAR0001 (copy).txt"), "Same text as “CAR0001”: skipped");
  await closeImport(app);
  await app.byRole("heading", "Sources (2)").waitFor();
  assert.deepEqual(await sourceNames(app), ["CAR0001", "CAR0003"]);

  // The same text again (CRLF this time), and this time import it anyway.
  result = await importFiles(app, [crlf]);
  assert.equal(result.lines.get("CAR0001-windows.txt"), "Same text as “CAR0001”");
  await app.byRole("button", "Import anyway").click();
  await app.page.getByRole("group", { name: "Duplicates" }).waitFor({ state: "detached" });
  result = await readImportResults(app);
  assert.equal(result.lines.get("CAR0001-windows.txt"), "Same text as “CAR0001”: imported anyway");
  await closeImport(app);
  await app.byRole("heading", "Sources (3)").waitFor();
  assert.deepEqual(await sourceNames(app), ["CAR0001", "CAR0003", "CAR0001-windows"]);
  await waitForStored(app, "Duplicates", (r) => r.sources === 3);
  const texts = await storedRecords(app, "texts");
  assert.equal(texts.length, 3, "each imported source has its text stored once");
});
