// Speakers everywhere, end to end: a transcript with "[Name] time" headers shows its speakers
// and times in the reading view's margin; auto-coding a regular expression and the turns of a
// speaker are one undo step each; retrieval filters by speaker; a speaker becomes a case.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { appTest } from "./harness.mjs";
import { closeImport, createProject, importFiles, openSource, presetCoder, reader, tempDir } from "./steps.mjs";

const TRANSCRIPT = `Focus group, Fellside PCN
[Interviewer] 00:00:05
How did the funding change things for your team?

[Asha Patel] 00:00:12
The funding came late. We lost two posts before it arrived.

[Interviewer] 00:01:40
And the rooms?

[Ben Ortiz] 00:02:03
Rooms were fine. Funding was the problem, every single year.

[Asha Patel] 01:02:05
Funding again, yes. Café money too.
`;

/** "N codings" from the reading view's header. */
async function codingCount(app) {
  const text = await app.page.locator(".reader-head .muted").first().innerText();
  const m = text.match(/(\d+) codings?/);
  assert.ok(m, text);
  return Number(m[1]);
}

appTest("speakers: margin, auto-code as one undo step, retrieval filter, speaker to case", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await createProject(app, "Speakers");
  const dir = tempDir();
  const file = path.join(dir, "Fellside focus group.txt");
  fs.writeFileSync(file, TRANSCRIPT);
  await importFiles(app, [file]);
  await closeImport(app);
  await openSource(app, "Fellside focus group");
  const doc = reader(app, "Fellside focus group");

  // Names and times in the margin, not in the text.
  const names = await doc.locator(".turn-gutter .turn-speaker").allInnerTexts();
  assert.deepEqual(names, ["Interviewer", "Asha Patel", "Interviewer", "Ben Ortiz", "Asha Patel"]);
  const times = await doc.locator(".turn-gutter .turn-time").allInnerTexts();
  assert.deepEqual(times, ["00:05", "00:12", "01:40", "02:03", "1:02:05"]);
  // The "[Name] time" header lines stay in the text (they are part of it), muted.
  assert.equal(await doc.locator("p.para.turn-header").count(), 5);
  // Speakers look distinct: two speakers, two colours.
  const colours = await doc
    .locator(".turn-gutter .turn-speaker")
    .evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
  assert.equal(colours[1], colours[4]);
  assert.notEqual(colours[0], colours[1]);
  await app.nextFrame();
  await app.screenshot("speakers-reading-view");

  // Auto-code a regular expression, by sentence, with a new code.
  assert.equal(await codingCount(app), 0);
  await app.byRole("button", "Auto-code…").click();
  const dialog = app.byRole("dialog", "Auto-code");
  await dialog.getByLabel("Every match of a text pattern", { exact: true }).check();
  await dialog.getByLabel("Regular expression", { exact: true }).check();
  await dialog.getByLabel("Search for", { exact: true }).fill("fund(ing");
  await dialog.getByText(/^Invalid regular expression: /).waitFor();
  await dialog.getByLabel("Search for", { exact: true }).fill("fund\\w*");
  await dialog.getByText(/^Invalid regular expression/).waitFor({ state: "detached" });
  await dialog.getByLabel("Code what", { exact: true }).selectOption("sentence");
  await dialog.getByLabel("With code", { exact: true }).selectOption("new");
  await dialog.getByLabel("New code name", { exact: true }).fill("Funding");
  await dialog.getByRole("button", { name: "Preview", exact: true }).click();
  await dialog.getByText("4 passages will be coded.", { exact: true }).waitFor();
  await app.screenshot("autocode-preview");
  await dialog.getByRole("button", { name: "Apply", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(await codingCount(app), 4);
  await app.byRole("button", "History").click();
  await page.getByText("Auto-code 4 matches of “fund\\w*”", { exact: true }).first().waitFor();
  await app.byRole("button", "History").click();
  // One undo step takes all four away, and the new code with them.
  await app.byRole("button", "Undo").click();
  await page.waitForFunction(() => /· 0 codings/.test(document.querySelector(".reader-head")?.innerText ?? ""));
  assert.equal(await page.getByRole("tree", { name: "Codebook" }).getByRole("treeitem").count(), 0);
  await app.byRole("button", "Redo").click();
  await page.waitForFunction(() => /· 4 codings/.test(document.querySelector(".reader-head")?.innerText ?? ""));

  // Auto-code every turn of Asha Patel with the same code.
  await app.byRole("button", "Auto-code…").click();
  await dialog.getByLabel("Every turn of a speaker", { exact: true }).check();
  await dialog.getByLabel("Speaker", { exact: true }).selectOption("Asha Patel");
  await dialog.getByLabel("With code", { exact: true }).selectOption({ label: "Funding" });
  await dialog.getByRole("button", { name: "Apply", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  // Each of her two turns holds one of the four funding sentences: the same code on overlapping
  // text merges into one coding of the union (issue 9), so the count stays 4, not 6.
  assert.equal(await codingCount(app), 4);

  // Retrieval of Funding, filtered by speaker.
  await page.getByRole("tree", { name: "Codebook" }).getByRole("treeitem").first().locator(".code-name").first().click();
  await page
    .getByRole("region", { name: "Code Funding", exact: true })
    .getByRole("button", { name: "Retrieve segments", exact: true })
    .click();
  const retrieval = page.getByRole("region", { name: "Retrieved segments" });
  await retrieval.waitFor();
  const status = retrieval.locator(".retrieval-count");
  assert.equal(await status.innerText(), "4 segments in 1 source");
  const speakers = await retrieval.locator(".segment .segment-speaker").allInnerTexts();
  assert.ok(speakers.includes("Interviewer") && speakers.includes("Ben Ortiz"), speakers.join(", "));
  await retrieval.getByRole("group", { name: "Speakers" }).getByLabel("Interviewer", { exact: true }).uncheck();
  assert.equal(await status.innerText(), "3 segments in 1 source");
  assert.ok(!(await retrieval.locator(".segment .segment-speaker").allInnerTexts()).includes("Interviewer"));
  await retrieval.getByRole("button", { name: "Back to reading", exact: true }).click();
  await doc.waitFor();

  // A speaker becomes a case ("New case…"), linked in one step.
  const panel = page.getByRole("region", { name: "Speakers in this source" });
  assert.match(await panel.innerText(), /Asha Patel\s*2 turns/);
  const select = panel.getByLabel("Case for Asha Patel", { exact: true });
  await select.selectOption("new");
  await page.waitForFunction(
    (label) => document.querySelector(`select[aria-label="${label}"]`)?.selectedOptions[0]?.textContent === "Asha Patel",
    "Case for Asha Patel",
  );
  await app.byRole("button", "History").click();
  await page.getByText("New case Asha Patel for speaker", { exact: true }).first().waitFor();
  await app.byRole("button", "History").click();
  // The case is in the case table.
  await page.getByRole("button", { name: "Cases", exact: true }).click();
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".middle-content input, .middle-content td, .middle-content th")].some(
      (e) => (e.value ?? e.textContent).trim() === "Asha Patel",
    ),
  );
  app.assertClean();
});

// A meeting record with many speakers: its speaker list is folded (each speaker's case choice
// lists every case, so dozens of speakers in a study of 100 cases wrote thousands of elements
// every time the source was opened); opening the fold shows every speaker with its controls.
appTest("a source with many speakers shows them folded until asked", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await createProject(app, "Many speakers");
  const dir = tempDir();
  const file = path.join(dir, "Big meeting.txt");
  const names = Array.from({ length: 12 }, (_, i) => `Member ${String.fromCharCode(65 + i)}`);
  const rounds = [1, 2].flatMap((r) => names.map((n, i) => `${n}: Point ${r}.${i + 1} about the rota and the rooms.`));
  fs.writeFileSync(file, rounds.join("\n\n") + "\n");
  await importFiles(app, [file]);
  await closeImport(app);
  await openSource(app, "Big meeting");
  const panel = page.getByRole("region", { name: "Speakers in this source" });
  const fold = panel.getByText("Speakers in this source (12)");
  await fold.waitFor();
  assert.equal(await panel.getByRole("combobox").count(), 0, "no speaker controls while folded");
  await fold.click();
  const cases = panel.getByRole("combobox", { name: /^Case for / });
  await cases.first().waitFor();
  assert.equal(await cases.count(), 12);
  assert.deepEqual(await panel.locator(".segment-speaker").allInnerTexts(), names);
  // Folding again removes them.
  await fold.click();
  await page.waitForFunction(() => document.querySelectorAll("[aria-label='Speakers in this source'] select").length === 0);
});
