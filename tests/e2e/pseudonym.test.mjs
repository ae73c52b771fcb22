// Pseudonymisation reaches every place a real name can live (issue 14), end to end: a Teams
// transcript keeps its speakers beside the text, and the key "Yuri Bakulin → P1" replaces them
// in the reading view and in the saved project file; an export that would still hold a real
// name of the key says where and offers to pseudonymise first; a source imported after the key
// exists is offered the key.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { appTest, corpusPath } from "./harness.mjs";
import { closeImport, codeItem, createProject, importFiles, openSource, presetCoder, reader, showView, tempDir } from "./steps.mjs";

const TEAMS = corpusPath("formats", "teams_timeframe.vtt");

function speakers(app, name) {
  return reader(app, name).locator(".turn-gutter .turn-speaker").allInnerTexts();
}

/** "Save to file" with the key question answered (key left out): the file's text, or null when
 *  the export check stopped the download (its dialog is then open). */
async function saveWithoutKey(app) {
  await app.byRole("button", "Save to file").click();
  const ask = app.byRole("dialog", "Save to file");
  await ask.waitFor();
  const box = ask.getByRole("checkbox", { name: "Include the pseudonymisation key", exact: true });
  assert.equal(await box.isChecked(), false, "the key is left out unless ticked");
  const download = app.page.waitForEvent("download", { timeout: 3000 }).catch(() => null);
  await ask.getByRole("button", { name: "Save", exact: true }).click();
  const file = await download;
  return file ? fs.readFileSync(await file.path(), "utf8") : null;
}

async function setKey(app, rows) {
  await app.byRole("button", "More").click();
  await app.byRole("menuitem", "Pseudonymise…").click();
  const dialog = app.byRole("dialog", "Pseudonymise");
  await dialog.waitFor();
  for (const [i, [real, pseudonym]] of rows.entries()) {
    if (i > 0 && (await dialog.getByRole("textbox", { name: `Real name ${i + 1}`, exact: true }).count()) === 0) {
      await dialog.getByRole("button", { name: "Add row", exact: true }).click();
      await app.page.waitForFunction((n) => document.activeElement?.getAttribute("aria-label") === `Real name ${n}`, i + 1);
    }
    await dialog.getByRole("textbox", { name: `Real name ${i + 1}`, exact: true }).fill(real);
    await dialog.getByRole("textbox", { name: `Pseudonym ${i + 1}`, exact: true }).fill(pseudonym);
  }
  return dialog;
}

appTest("a Teams transcript's speakers are pseudonymised in the reading view and the saved file", async (app) => {
  await presetCoder(app);
  await createProject(app, "Teams");
  await importFiles(app, [TEAMS]);
  await closeImport(app);
  await openSource(app, "teams_timeframe");
  assert.deepEqual(await speakers(app, "teams_timeframe"), ["Yuri Bakulin", "Adrian Petrescu"]);

  const dialog = await setKey(app, [["Yuri Bakulin", "P1"]]);
  await dialog.getByRole("button", { name: "Preview", exact: true }).click();
  const preview = dialog.getByRole("region", { name: "Preview of replacements" });
  await preview.waitFor();
  assert.equal((await preview.getByRole("heading", { level: 3 }).innerText()).trim(), "Preview: 1 replacement");
  assert.deepEqual(await preview.getByRole("list", { name: "Places" }).getByRole("listitem").allInnerTexts(), [
    "Speakers: 1 in 1 source (1 turn)",
  ]);
  const where = await preview.getByRole("list", { name: "Speakers" }).innerText();
  assert.match(where, /speaker “Yuri Bakulin” in source “teams_timeframe” \(1 turn\)/);
  assert.match(where, /→ P1/);
  // What is not touched, and why.
  await preview.getByText("Not touched, and why", { exact: true }).click();
  assert.match(await preview.getByRole("list", { name: "Not touched" }).innerText(), /Coders' names on codings/);
  await dialog.evaluate((el) => el.scrollIntoView());
  await app.screenshot("pseudonymise-teams-preview");
  await dialog.getByRole("button", { name: "Apply everywhere", exact: true }).click();
  await dialog.getByRole("status").filter({ hasText: "Replaced 1 mention (Speakers: 1 in 1 source (1 turn))" }).waitFor();
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });

  // The reading view shows the pseudonym in the margin; the real name is gone from the page.
  assert.deepEqual(await speakers(app, "teams_timeframe"), ["P1", "Adrian Petrescu"]);
  assert.ok(!(await app.page.locator("main, body").first().innerText()).includes("Bakulin"));
  await app.screenshot("pseudonymise-teams-reading-view");

  // The saved project file holds the pseudonym and never the real name (nor the key).
  const saved = await saveWithoutKey(app);
  assert.ok(saved, "nothing left to report: the file downloads at once");
  assert.ok(!saved.includes("Bakulin"), "no real name in the saved file");
  const turns = JSON.parse(saved).project.sources[0].turns.map((t) => t.speaker);
  assert.deepEqual(turns, ["P1", "Adrian Petrescu"]);

  // Undo brings the name back in one step.
  await app.page.keyboard.press("Control+z");
  await app.page.waitForFunction(() =>
    [...document.querySelectorAll(".turn-gutter .turn-speaker")].some((e) => e.textContent === "Yuri Bakulin"),
  );
});

appTest("an export holding a real name says where and pseudonymises first; a late import is offered the key", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await createProject(app, "Late");
  await importFiles(app, [TEAMS]);
  await closeImport(app);
  await openSource(app, "teams_timeframe");

  // A key that is saved but not applied.
  const dialog = await setKey(app, [["Yuri Bakulin", "P1"], ["Adrian Petrescu", "P2"], ["Yuri", "P1"]]);
  await page.keyboard.press("Tab");
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });

  // Save to file: the check says where the names still are.
  assert.equal(await saveWithoutKey(app), null, "nothing is written before the researcher answers");
  const check = app.byRole("dialog", "Real names in this export");
  await check.waitFor();
  assert.match(await check.getByRole("alert").first().innerText(), /would still contain 3 real names from the pseudonymisation key/);
  assert.deepEqual(await check.getByRole("list", { name: "Places" }).getByRole("listitem").allInnerTexts(), [
    "Source text: 1 mention in 1 source",
    "Speakers: 2 in 1 source (2 turns)",
  ]);
  await app.screenshot("export-check");
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    check.getByRole("button", { name: "Pseudonymise first", exact: true }).click(),
  ]);
  const saved = fs.readFileSync(await file.path(), "utf8");
  for (const name of ["Yuri", "Bakulin", "Adrian", "Petrescu"]) assert.ok(!saved.includes(name), `${name} in the saved file`);
  await check.waitFor({ state: "detached" });
  // The open project was pseudonymised too.
  assert.deepEqual(await speakers(app, "teams_timeframe"), ["P1", "P2"]);
  assert.match(await reader(app, "teams_timeframe").innerText(), /Why hello there, P1\./);

  // A transcript imported later is offered the key: preview, then apply.
  const dir = tempDir();
  const late = path.join(dir, "late_call.vtt");
  fs.writeFileSync(late, fs.readFileSync(TEAMS, "utf8").replace("There you go.", "Yuri, are you there?"));
  await importFiles(app, [late]);
  await closeImport(app);
  const offer = app.byRole("dialog", "Pseudonymise the new sources?");
  await offer.waitFor();
  const places = await offer.getByRole("list", { name: "Places" }).getByRole("listitem").allInnerTexts();
  assert.deepEqual(places, ["Source text: 2 mentions in 1 source", "Speakers: 2 in 1 source (2 turns)"]);
  await offer.getByRole("button", { name: "Pseudonymise new sources", exact: true }).click();
  await offer.waitFor({ state: "detached" });
  await openSource(app, "late_call");
  assert.deepEqual(await speakers(app, "late_call"), ["P1", "P2"]);
  const text = await reader(app, "late_call").innerText();
  assert.ok(!/Yuri|Adrian/.test(text), text);
});

/** Clicks `button` and answers the export check that opens: "Export as it is" or "Pseudonymise
 *  first". Returns the check's alert text and the written file's text. */
async function exportChecked(app, button, answer) {
  await button.click();
  const check = app.byRole("dialog", "Real names in this export");
  await check.waitFor();
  const alert = await check.getByRole("alert").first().innerText();
  const [file] = await Promise.all([
    app.page.waitForEvent("download"),
    check.getByRole("button", { name: answer, exact: true }).click(),
  ]);
  await check.waitFor({ state: "detached" });
  return { alert, text: fs.readFileSync(await file.path(), "utf8") };
}

appTest("the codebook and case-table CSV exports check for real names of the key first", async (app) => {
  await presetCoder(app);
  await createProject(app, "Checked CSV");
  const dialog = await setKey(app, [["Yuri Bakulin", "P1"]]);
  await app.page.keyboard.press("Tab");
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });

  // An in vivo code made of a participant's words, with the name in it.
  await app.byRole("textbox", "New code name").fill("Yuri Bakulin's workaround");
  await app.byRole("button", "Add code").click();
  await codeItem(app, "Yuri Bakulin's workaround").waitFor();
  let out = await exportChecked(app, app.byRole("button", "Export codebook CSV"), "Export as it is");
  assert.match(out.alert, /“Checked CSV codebook\.csv” would still contain 1 real name/);
  assert.match(out.text, /Yuri Bakulin's workaround/, "the researcher chose to export it as it is");

  // A case named after a participant: pseudonymise first, then the file holds the pseudonym.
  await showView(app, "Cases");
  await app.byRole("button", "Add case").click();
  const add = app.byRole("dialog", "Add case");
  await add.getByRole("textbox", { name: "Name", exact: true }).fill("Yuri Bakulin");
  await add.getByRole("button", { name: "Add case", exact: true }).click();
  await add.waitFor({ state: "detached" });
  out = await exportChecked(app, app.byRole("button", "Export case table CSV"), "Pseudonymise first");
  assert.match(out.alert, /“Checked CSV cases\.csv” would still contain 1 real name/);
  assert.ok(!out.text.includes("Bakulin"), out.text);
  assert.equal(out.text.split("\r\n")[1], "P1,", "the case row names the pseudonym");
  // The open project was pseudonymised in the same step: the code too.
  await showView(app, "Reading");
  await codeItem(app, "P1's workaround").waitFor();

  // Nothing left: the next export writes at once.
  const [file] = await Promise.all([app.page.waitForEvent("download"), app.byRole("button", "Export codebook CSV").click()]);
  assert.ok(!fs.readFileSync(await file.path(), "utf8").includes("Bakulin"));
});
