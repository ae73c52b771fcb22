// Issue 9, defects of the coding flow found by use: in vivo with the same words twice applies
// the code it made (no twin code), and the same code on overlapping text is one coding, counted
// once.
import assert from "node:assert/strict";
import { appTest, corpusPath } from "./harness.mjs";
import {
  applyCodeFromPicker,
  closeImport,
  codeItem,
  createProject,
  dragSelect,
  importFiles,
  openSource,
  presetCoder,
} from "./steps.mjs";

appTest("in vivo twice reuses the code; overlapping codings of one code count once", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await createProject(app, "Coding defects");
  await importFiles(app, [corpusPath("consultations", "CAR0001.txt")]);
  await closeImport(app);
  await openSource(app, "CAR0001");
  const phrase = (await page.locator(".reader p.para").nth(1).innerText()).split(":")[1].trim().split(" ").slice(0, 3).join(" ");

  // In vivo on the same words twice: one code, not two of the same name.
  for (let i = 0; i < 2; i++) {
    await dragSelect(app, phrase);
    await app.byRole("dialog", "Code the selection").getByRole("button", { name: "In vivo", exact: true }).click();
    await codeItem(app, phrase).first().waitFor();
    await page.keyboard.press("Escape");
  }
  await page.waitForTimeout(300);
  assert.equal(await codeItem(app, phrase).count(), 1, "one code named by the words");
  assert.equal(await page.getByRole("alert").filter({ hasText: "already a code" }).count(), 0);

  // The same code on overlapping text: one coding of the union, one stripe, counted once.
  const longer = (await page.locator(".reader p.para").nth(1).innerText()).split(":")[1].trim().split(" ").slice(1, 6).join(" ");
  await dragSelect(app, longer);
  await applyCodeFromPicker(app, phrase);
  await page.getByRole("treeitem", { name: new RegExp(`^${phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, 1 coding, 1 source, `) }).waitFor();
  await page.keyboard.press("Escape");
});
