// Field notes typed in the app (codings follow the words as the text changes, deleted coded
// words are reported and undoable, everything persists) and pseudonymisation of the demo
// project (preview, one-step apply, codings on names, undo).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { appTest, REPO_ROOT } from "./harness.mjs";
import {
  applyCodeFromPicker,
  codedRuns,
  createProject,
  dragSelect,
  openDemo,
  openListedProject,
  openSource,
  presetCoder,
  reader,
  waitForHome,
  reloadHome,
} from "./steps.mjs";

/** The open source's name, from the heading above the reading view or editor. */
async function currentSourceName(app) {
  return (await app.page.locator(".reader-head h2").innerText()).trim();
}

/** Open a source by its exact name (names ending in ")" do not suit steps.openSource's regex). */
async function openNamed(app, name) {
  await app.page
    .getByRole("navigation", { name: "Sources" })
    .locator(".source-item")
    .filter({ has: app.page.locator(".source-name").getByText(name, { exact: true }) })
    .click();
  await reader(app, name).waitFor();
}

function editor(app, name) {
  return app.byRole("textbox", `Edit the text of ${name}`);
}

/** Type the whole text into the editor and leave the field ("Done editing"). */
async function editText(app, name, text) {
  await app.page.locator(".reader-head").getByRole("button", { name: "Edit text", exact: true }).click();
  const box = editor(app, name);
  await box.fill(text);
  await app.byRole("button", "Done editing").click();
  await reader(app, name).waitFor();
}

appTest("field notes: type, code, edit around the coding, delete it and undo, reload", async (app) => {
  const { page } = app;
  await waitForHome(app);
  await presetCoder(app);
  await createProject(app, "Field study");

  await app.byRole("button", "New field notes").click();
  const name = await currentSourceName(app);
  assert.match(name, /^Field notes \d{4}-\d\d-\d\d \d\d:\d\d$/);
  const box = editor(app, name);
  await box.waitFor();
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, "the editor has focus");
  await box.fill("The waiting room was full. Patients waited two hours.");
  await app.byRole("button", "Done editing").click();
  await reader(app, name).waitFor();
  const kind = page.getByRole("navigation", { name: "Sources" }).locator(".source-item .source-meta");
  assert.match(await kind.first().innerText(), /^Field notes · 0 codings$/);

  await dragSelect(app, "waited two hours");
  await applyCodeFromPicker(app, "Waiting");
  await page.waitForFunction(() => document.querySelectorAll(".reader [data-coded]").length > 0);
  assert.deepEqual(await codedRuns(app, "Waiting"), ["waited two hours"]);

  // Text before the coding changes: the coding stays on its words.
  await editText(app, name, "Monday. The waiting room was full. Patients waited two hours.");
  assert.deepEqual(await codedRuns(app, "Waiting"), ["waited two hours"]);
  // Text inside it changes: it grows with it.
  await editText(app, name, "Monday. The waiting room was full. Patients waited almost two hours.");
  assert.deepEqual(await codedRuns(app, "Waiting"), ["waited almost two hours"]);

  // Delete the coded words while typing: a notice names the coding; Undo brings it back.
  await page.locator(".reader-head").getByRole("button", { name: "Edit text", exact: true }).click();
  await editor(app, name).fill("Monday. The waiting room was full. Patients .");
  const notice = page.getByRole("alert").filter({ hasText: "lost its text" });
  await notice.waitFor();
  const said = await notice.innerText();
  assert.match(said, /1 coding lost its text and was removed/);
  assert.match(said, /Waiting: “waited almost two hours”/);
  await app.screenshot("field-notes-editor-notice");
  await notice.getByRole("button", { name: "Undo", exact: true }).click();
  await notice.waitFor({ state: "detached" });
  assert.equal(
    await editor(app, name).inputValue(),
    "Monday. The waiting room was full. Patients waited almost two hours.",
  );
  await app.byRole("button", "Done editing").click();
  await reader(app, name).waitFor();
  assert.deepEqual(await codedRuns(app, "Waiting"), ["waited almost two hours"]);

  // Everything is stored: reload and look again.
  await page.getByRole("status").filter({ hasText: "Saved in this browser" }).waitFor();
  await page.waitForTimeout(400);
  await reloadHome(app);
  await openListedProject(app, "Field study");
  await openSource(app, name);
  assert.match(await reader(app, name).innerText(), /Monday\. The waiting room was full\. Patients waited almost two hours\./);
  assert.deepEqual(await codedRuns(app, "Waiting"), ["waited almost two hours"]);
});

/** Whole-word, case-insensitive mentions of `name` in the demo's text files (counted here
 *  independently of the app). */
function demoMentions(name) {
  const dir = path.join(REPO_ROOT, "core", "src", "demo");
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${name.replace(/ /g, "\\s")}(?![\\p{L}\\p{N}])`, "giu");
  let n = 0;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".txt"))) {
    n += (fs.readFileSync(path.join(dir, f), "utf8").match(re) ?? []).length;
  }
  return n;
}

appTest("pseudonymise the demo: preview, apply to all sources as one step, undo", async (app) => {
  const { page } = app;
  await waitForHome(app);
  await presetCoder(app);
  await openDemo(app);
  const okafor = demoMentions("Dr Okafor");
  const surgery = demoMentions("Coast Road Surgery");
  assert.ok(okafor >= 1 && surgery >= 1, `${okafor} ${surgery}`);

  // Code the name where it appears.
  const source = "P05 (Care Coordinator, Harbourside PCN)";
  await openNamed(app, source);
  await dragSelect(app, "Dr Okafor");
  await applyCodeFromPicker(app, "Named clinician");
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".reader [data-coded]")].some((s) => (s.title ?? "").includes("Named clinician")),
  );
  assert.deepEqual(await codedRuns(app, "Named clinician"), ["Dr Okafor"]);

  await app.byRole("button", "More").click();
  await app.byRole("menuitem", "Pseudonymise…").click();
  const dialog = app.byRole("dialog", "Pseudonymise");
  await dialog.waitFor();
  await dialog.getByRole("textbox", { name: "Real name 1", exact: true }).fill("Dr Okafor");
  await dialog.getByRole("textbox", { name: "Pseudonym 1", exact: true }).fill("GP1");
  await dialog.getByRole("button", { name: "Add row", exact: true }).click();
  // The new row's first field takes the focus once it is rendered (a person sees it appear
  // before typing; typing at once would send the first letters to the button).
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Real name 2");
  await page.keyboard.type("coast road surgery");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Practice C");
  await dialog.getByRole("button", { name: "Preview", exact: true }).click();
  const preview = dialog.getByRole("region", { name: "Preview of replacements" });
  await preview.waitFor();
  const total = okafor + surgery;
  assert.equal(
    (await preview.getByRole("heading", { level: 3 }).innerText()).trim(),
    `Preview: ${total} replacement${total === 1 ? "" : "s"}`,
  );
  const counts = await preview.getByRole("list", { name: "Mentions per entry" }).innerText();
  assert.match(counts, new RegExp(`Dr Okafor → GP1: ${okafor} mention`));
  assert.match(counts, new RegExp(`coast road surgery → Practice C: ${surgery} mention`));
  assert.deepEqual(
    [...new Set(await preview.locator("mark").allInnerTexts())].sort(),
    ["Coast Road Surgery", "Dr Okafor"],
  );
  await dialog.evaluate((el) => el.scrollIntoView());
  await app.screenshot("pseudonymise-dialog");
  await dialog.getByText("Undo (Ctrl+Z) puts every name back", { exact: false }).first().waitFor();

  await dialog.getByRole("button", { name: "Apply everywhere", exact: true }).click();
  await dialog.getByRole("status").filter({ hasText: `Replaced ${total} mention` }).waitFor();
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });

  const text = await reader(app, source).innerText();
  assert.ok(!text.includes("Okafor"), "the name is gone from the reading view");
  assert.ok(text.includes("GP1"));
  assert.deepEqual(await codedRuns(app, "Named clinician"), ["GP1"], "the coding covers the pseudonym");
  await openNamed(app, "P06 (GP Partner, Harbourside PCN)");
  assert.ok((await reader(app, "P06 (GP Partner, Harbourside PCN)").innerText()).includes("at Practice C, which"));

  // "Save to file" leaves the key out unless it is ticked.
  const download = async (include) => {
    await app.byRole("button", "Save to file").click();
    const ask = app.byRole("dialog", "Save to file");
    const box = ask.getByRole("checkbox", { name: "Include the pseudonymisation key", exact: true });
    assert.equal(await box.isChecked(), false, "off by default");
    if (include) await box.check();
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      ask.getByRole("button", { name: "Save", exact: true }).click(),
    ]);
    return fs.readFileSync(await file.path(), "utf8");
  };
  const without = await download(false);
  assert.ok(!without.includes("Okafor"), "neither the text nor the key names Dr Okafor");
  assert.ok(without.includes("GP1"));
  const withKey = await download(true);
  assert.ok(JSON.stringify(JSON.parse(withKey)).includes('"real":"Dr Okafor"'), "the key is included when ticked");

  // One undo step puts every name back.
  await app.byRole("button", "Undo").click();
  assert.ok((await reader(app, "P06 (GP Partner, Harbourside PCN)").innerText()).includes("at Coast Road Surgery, which"));
  await openNamed(app, source);
  assert.deepEqual(await codedRuns(app, "Named clinician"), ["Dr Okafor"]);
});
