// Annotations and the memo list (issue 10, "Annotations and memos"): a passage is annotated from
// the code picker's "Annotate" (and the A key), the annotation shows in the reader's margin as
// text (hostile markup stays text), is edited there, is found in the Memos view by its words and
// by "Attached to", opens its passage in the reader, and undo brings back the earlier text.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { dragSelect, focusedPassage, openDemo, presetCoder, showView } from "./steps.mjs";

const P02 = "P02 (Social Prescribing Link Worker, Northgate PCN)";
const PHRASE = "housing charity";
const FIRST = "<img src=x onerror=alert(1)> Ask about tenancy support";
const SECOND = "Ask about tenancy support at Northgate";

const note = (app) => app.page.getByRole("complementary", { name: "Annotation" });

appTest("annotate a passage, see it in the margin, edit it, find it in the memo list, go back, undo", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await page.waitForFunction(
    () => document.querySelector(".toolbar [role=status]")?.textContent.trim() === "Saved in this browser",
  );
  await page.getByRole("navigation", { name: "Sources" }).getByRole("button", { name: /^P02\b/ }).click();
  await app.byRole("document", `Text of ${P02}`).waitFor();

  // The A key opens the dialog for the selection; Esc closes it without a change.
  await dragSelect(app, PHRASE);
  await page.keyboard.press("a");
  const dialog = app.byRole("dialog", "Annotate the passage");
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /“housing charity”/);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await note(app).count(), 0);

  // The picker's "Annotate" button, then the text, saved.
  await dragSelect(app, PHRASE);
  await app.byRole("dialog", "Code the selection").getByRole("button", { name: "Annotate", exact: true }).click();
  await dialog.waitFor();
  await dialog.getByRole("textbox", { name: "Annotation", exact: true }).fill(FIRST);
  await dialog.getByRole("button", { name: "Save annotation", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  await note(app).waitFor();
  assert.equal((await note(app).locator(".note-text").innerText()).trim(), FIRST, "markup shows as text");
  assert.equal(await page.locator(".note img").count(), 0, "no element made from the text");
  // In the margin: beside its paragraph, to the right of the text.
  const [textBox, noteBox] = await Promise.all([
    page.locator(".reader p.para", { hasText: PHRASE }).boundingBox(),
    note(app).boundingBox(),
  ]);
  assert.ok(noteBox.x > textBox.x + textBox.width, `note at x=${noteBox.x}, text ends at ${textBox.x + textBox.width}`);
  assert.ok(Math.abs(noteBox.y - textBox.y) < textBox.height, "beside its paragraph");
  await app.screenshot("annotations-margin");

  // Edited in the margin.
  await note(app).getByRole("button", { name: "Edit annotation", exact: true }).click();
  const field = note(app).getByRole("textbox", { name: "Edit the annotation", exact: true });
  assert.equal(await field.inputValue(), FIRST);
  await field.fill(SECOND);
  await note(app).getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForFunction(
    (t) => document.querySelector(".note .note-text")?.textContent.trim() === t,
    SECOND,
  );

  // The memo list: found by its words, filtered by what it is attached to.
  await showView(app, "Memos");
  assert.match(await page.evaluate(() => location.hash), /^#\/p\/[0-9a-f-]{36}\/memos$/);
  const list = app.byRole("region", "Memos");
  const status = list.getByRole("status");
  // The list is written in the worker: its count shows when it has come.
  await page.waitForFunction(() => /^\d/.test(document.querySelector(".memo-list [role=status]")?.textContent ?? ""));
  const all = await status.innerText();
  assert.match(all, /^\d+ memos$/, "the demo's memos and the annotation");
  await list.getByRole("searchbox", { name: "Search memos", exact: true }).fill("tenancy northgate");
  await page.waitForFunction(() => document.querySelector(".memo-list [role=status]")?.textContent === "1 memo");
  const item = list.locator(".memo-item");
  assert.equal(await item.count(), 1);
  assert.match(await item.innerText(), /Passage in “P02/);
  assert.match(await item.innerText(), /housing charity/);
  const filter = list.getByRole("combobox", { name: "Attached to", exact: true });
  await filter.selectOption({ label: "Code" });
  await page.waitForFunction(() => document.querySelector(".memo-list [role=status]")?.textContent === "0 memos");
  await filter.selectOption({ label: "Annotation" });
  await page.waitForFunction(() => document.querySelector(".memo-list [role=status]")?.textContent === "1 memo");
  await list.getByRole("searchbox", { name: "Search memos", exact: true }).fill("");
  await page.waitForFunction(() => document.querySelector(".memo-list [role=status]")?.textContent === "1 memo");
  await filter.selectOption({ label: "Anything" });
  await page.waitForFunction((all) => document.querySelector(".memo-list [role=status]")?.textContent === all, all);
  await filter.selectOption({ label: "Annotation" });
  await app.screenshot("annotations-memo-list");

  // A click goes to the passage in the reader.
  await item.getByRole("button").click();
  assert.equal(await focusedPassage(app, P02), PHRASE);

  // Undo (Ctrl+Z in the text) brings back the text before the edit: one step per change.
  await app.byRole("document", `Text of ${P02}`).focus();
  await page.keyboard.press("Control+z");
  await page.waitForFunction(
    (t) => document.querySelector(".note .note-text")?.textContent.trim() === t,
    FIRST,
  );
  await page.keyboard.press("Control+z");
  await note(app).waitFor({ state: "detached" });
  await page.keyboard.press("Control+Shift+z");
  await note(app).waitFor();
});
