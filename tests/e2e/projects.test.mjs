// The home screen's project list: rename, delete with a confirmation, and counts that follow the
// work done ("← Projects" shows the new numbers).
import assert from "node:assert/strict";
import { appTest, corpusPath } from "./harness.mjs";
import {
  applyCodeFromPicker,
  closeImport,
  createProject,
  dragSelect,
  importFiles,
  presetCoder,
  projectRows,
  waitForStored,
} from "./steps.mjs";

/** name -> [sources, codes, codings] as shown in the table. */
async function table(app) {
  return Object.fromEntries((await projectRows(app)).map((r) => [r.name, r.cells.slice(0, 3).map(Number)]));
}

appTest("rename and delete projects from the list; counts follow the work", async (app) => {
  const { page } = app;
  await presetCoder(app);

  // Two projects: Alpha with one source, Beta empty.
  await createProject(app, "Alpha");
  await importFiles(app, [corpusPath("consultations", "GAS0002.txt")]);
  await closeImport(app);
  await waitForStored(app, "Alpha", (r) => r.sources === 1);
  await app.byRole("button", "Back to projects").click();
  await createProject(app, "Beta");
  await waitForStored(app, "Beta", () => true);
  await app.byRole("button", "Back to projects").click();
  assert.deepEqual(await table(app), { Alpha: [1, 0, 0], Beta: [0, 0, 0] });

  // Rename Alpha (Cancel first changes nothing).
  await app.byRole("button", "Rename Alpha").click();
  const rename = app.byRole("dialog", "Rename project");
  await rename.getByRole("textbox", { name: "New name" }).fill("Not this");
  await rename.getByRole("button", { name: "Cancel", exact: true }).click();
  await rename.waitFor({ state: "detached" });
  assert.deepEqual(Object.keys(await table(app)).sort(), ["Alpha", "Beta"]);
  await app.byRole("button", "Rename Alpha").click();
  await rename.getByRole("textbox", { name: "New name" }).fill("Alpha – gastro consultations");
  await rename.getByRole("button", { name: "Rename", exact: true }).click();
  await app.byRole("button", "Open Alpha – gastro consultations").waitFor();

  // Delete Beta: the dialog says what is lost; Cancel keeps it, "Delete project" removes it.
  await app.byRole("button", "Delete Beta").click();
  const confirm = app.byRole("dialog", "Delete project?");
  assert.match(await confirm.innerText(), /Delete “Beta” from this browser\?/);
  assert.match(await confirm.innerText(), /It has 0 sources, 0 codes and 0 codings/);
  await confirm.getByRole("button", { name: "Cancel", exact: true }).click();
  await confirm.waitFor({ state: "detached" });
  assert.ok("Beta" in (await table(app)));
  await app.byRole("button", "Delete Beta").click();
  await confirm.getByRole("button", { name: "Delete project", exact: true }).click();
  await app.byRole("button", "Open Beta").waitFor({ state: "detached" });
  assert.deepEqual(await table(app), { "Alpha – gastro consultations": [1, 0, 0] });

  // Work in the renamed project; "← Projects" shows the new counts.
  await app.byRole("button", "Open Alpha – gastro consultations").click();
  await app.byRole("heading", "Alpha – gastro consultations", { level: 1 }).waitFor();
  const words = (await page.locator(".reader p.para").nth(1).innerText()).split(":").slice(1).join(":").trim().split(" ");
  await dragSelect(app, words.slice(0, 3).join(" "));
  await applyCodeFromPicker(app, "First");
  await page.keyboard.press("Escape");
  await dragSelect(app, words.slice(0, 6).join(" "));
  await applyCodeFromPicker(app, "Second");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => document.querySelectorAll(".reader .stripe").length === 2);
  await app.byRole("button", "Back to projects").click();
  assert.deepEqual(await table(app), { "Alpha – gastro consultations": [1, 2, 2] });

  // And all of it survives a reload.
  await app.reload();
  assert.deepEqual(await table(app), { "Alpha – gastro consultations": [1, 2, 2] });
  assert.equal(await app.byRole("button", "Open Beta").count(), 0);
});
