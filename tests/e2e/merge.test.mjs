// Merging projects (issue 11): a participant's diverging copy of the demo, as a project file,
// merged into the demo through the Export menu's "Merge a project into this one…": the preview
// lists what is new, already here and in conflict with their counts and names; nothing changes
// until "Merge"; the merge is one undo step; a file that is not a project is refused with a
// sentence naming it.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { appTest } from "./harness.mjs";
import { codeItem, exportMenu, MERGE_INPUT, openDemo, saveProjectFile, tempDir } from "./steps.mjs";

appTest("a participant's copy of the demo merges after a preview, as one undo step", async (app) => {
  await openDemo(app);
  const file = await saveProjectFile(app);
  const p = file.project;
  // The participant Bea: a new code, two codings with it (in two sources), a code renamed.
  const copy = structuredClone(file);
  const q = copy.project;
  const renamed = q.codes[1];
  const oldName = renamed.name;
  renamed.name = `${oldName} (Bea)`;
  const idea = { ...q.codes[0], id: "0f0f0f0f-0000-4000-8000-0000000000c1", name: "Bea's idea", parent: null };
  q.codes.push(idea);
  const firstSource = q.codings[0].source;
  const elsewhere = q.codings.find((c) => c.source !== firstSource);
  assert.ok(elsewhere, "the demo codes more than one source");
  q.codings.push(
    { ...q.codings[0], id: "0f0f0f0f-0000-4000-8000-0000000000d1", code: idea.id, coder: "Bea" },
    { ...elsewhere, id: "0f0f0f0f-0000-4000-8000-0000000000d2", code: idea.id, coder: "Bea" },
  );
  const dir = tempDir();
  const bea = path.join(dir, "bea.framewise.json");
  fs.writeFileSync(bea, JSON.stringify(copy));

  const menu = await exportMenu(app);
  await menu.getByLabel(MERGE_INPUT, { exact: true }).setInputFiles(bea);
  const dialog = app.page.getByRole("dialog", { name: "Merge bea.framewise.json into this project" });
  await dialog.waitFor();
  const region = (name) => dialog.getByRole("region", { name });
  const heading = async (name) => (await region(name).getByRole("heading").innerText()).trim();
  const items = async (name) => region(name).getByRole("listitem").allInnerTexts();
  assert.equal(await heading("New"), "New: 1 code, 2 codings");
  const added = await items("New");
  assert.ok(added.includes("1 code — Bea's idea"), added.join("\n"));
  assert.equal(added.length, 3, added.join("\n"));
  const here = await heading("Already here");
  assert.ok(here.startsWith(`Already here: ${p.sources.length} sources, ${p.codes.length - 1} codes, ${p.codings.length} codings`), here);
  assert.equal(await heading("Conflicts"), "Conflicts (1): this project's version is kept");
  const conflicts = await items("Conflicts");
  assert.equal(conflicts.length, 1);
  assert.ok(conflicts[0].includes(`is called “${oldName} (Bea)” there`), conflicts[0]);
  // Nothing is merged yet.
  assert.equal(await codeItem(app, "Bea's idea").count(), 0);
  await app.nextFrame();
  await app.screenshot("merge-project-preview");

  await dialog.getByRole("button", { name: "Merge", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  await codeItem(app, "Bea's idea").waitFor();
  assert.equal(await codeItem(app, oldName).count(), 1, "our name stays");
  assert.equal(await codeItem(app, `${oldName} (Bea)`).count(), 0);
  const merged = await saveProjectFile(app);
  assert.equal(merged.project.codings.length, p.codings.length + 2);
  assert.equal(merged.project.codings.filter((c) => c.coder === "Bea").length, 2);
  // One step: Undo takes all of it back.
  await app.byRole("button", "Undo").click();
  await codeItem(app, "Bea's idea").waitFor({ state: "detached" });
  const undone = await saveProjectFile(app);
  assert.equal(undone.project.codings.length, p.codings.length);
  assert.equal(undone.project.codes.length, p.codes.length);
});

appTest("a file that is not a project is refused with its name and the reason", async (app) => {
  await openDemo(app);
  const dir = tempDir();
  const bad = path.join(dir, "notes.json");
  fs.writeFileSync(bad, "{ not a project");
  const menu = await exportMenu(app);
  await menu.getByLabel(MERGE_INPUT, { exact: true }).setInputFiles(bad);
  const dialog = app.page.getByRole("dialog", { name: "Could not merge notes.json" });
  await dialog.waitFor();
  const alert = await dialog.getByRole("alert").innerText();
  assert.match(alert, /^“notes\.json” could not be merged\. The file could not be read: /, alert);
  await app.screenshot("merge-project-bad-file");
  await dialog.getByRole("button", { name: "OK" }).click();
  await dialog.waitFor({ state: "detached" });
});
