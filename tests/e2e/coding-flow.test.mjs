// Defects of the coding flow found by use (issue 9, point 7), each a regression test:
// - the code picker stayed open after a code was applied, covering the next lines; a drag that
//   ended over it was ignored and the next code typed landed on the previous passage;
// - `V` (in vivo) worked only after a keyboard selection;
// - the History panel ignored Esc and clicks outside it.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { applyCodeFromPicker, codedRuns, codeItem, dragSelect, presetCoder, waitForHome } from "./steps.mjs";

const PICKER = "Code the selection";

/** Open the demo project (coder name preset) and wait for its first source. */
async function openDemo(app) {
  await presetCoder(app);
  await waitForHome(app);
  await app.byRole("button", "Open demo project").click();
  await app.byRole("heading", "Sources (8)").waitFor();
  await app.page.locator(".reader p.para").first().waitFor();
}

/** The text of the `n`-th non-empty paragraph of the reading view (speaker label left out). */
async function paragraphWords(app, n) {
  const text = await app.page.locator(".reader p.para").nth(n).innerText();
  return text.includes(":") ? text.split(":").slice(1).join(":").trim() : text.trim();
}

appTest("after a code is applied the picker closes and focus returns to the text", async (app) => {
  const { page } = app;
  await openDemo(app);
  const words = (await paragraphWords(app, 1)).split(" ");
  const first = words.slice(0, 4).join(" ");
  await dragSelect(app, first);
  await applyCodeFromPicker(app, "Picked first");
  await codeItem(app, "Picked first").waitFor();
  // The picker is gone (it no longer covers the next lines) and the keyboard is in the text.
  await app.byRole("dialog", PICKER).waitFor({ state: "detached" });
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("role"));
  assert.equal(focused, "document", "focus is back in the reading view");
  assert.deepEqual(await codedRuns(app, "Picked first"), [first]);
  // From the text, N goes to the codebook's "New code name" field.
  await page.keyboard.press("n");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "New code name");
  assert.equal(await app.byRole("textbox", "New code name").inputValue(), "", "the key is not typed into it");
});

appTest("a drag that ends over the open picker makes the new selection its target", async (app) => {
  const { page } = app;
  await openDemo(app);
  const words = (await paragraphWords(app, 1)).split(" ");
  const first = words.slice(0, 3).join(" ");
  await dragSelect(app, first);
  const picker = app.byRole("dialog", PICKER);
  const oldQuote = await picker.locator(".picker-quote").innerText();
  // Press in the text above the picker and release over the picker itself.
  const box = await picker.boundingBox();
  const para = await page.locator(".reader p.para").nth(1).boundingBox();
  const startX = para.x + para.width * 0.6;
  const startY = para.y + 4;
  await page.mouse.move(startX, startY);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 20, { steps: 6 });
  await page.mouse.up();
  const selected = (await page.evaluate(() => String(getSelection()))).trim();
  assert.ok(selected.length > 0, "the drag selected text");
  await page.waitForFunction(
    ({ name, old }) =>
      document.querySelector(`[role=dialog][aria-label="${name}"] .picker-quote`)?.textContent !== old,
    { name: PICKER, old: oldQuote },
  );
  const quote = (await picker.locator(".picker-quote").innerText()).replace(/^“|”$/g, "").replace(/…$/, "");
  assert.ok(selected.replace(/\s+/g, " ").startsWith(quote.replace(/\s+/g, " ").slice(0, 20)), `${quote} / ${selected}`);
  // The next code typed lands on the new passage, not on the first one.
  await applyCodeFromPicker(app, "Second target");
  await codeItem(app, "Second target").waitFor();
  const runs = await codedRuns(app, "Second target");
  assert.equal(runs.length, 1);
  assert.notEqual(runs[0], first, "the code went to the new selection");
});

appTest("V makes an in vivo code after a mouse selection, also after coding by keyboard", async (app) => {
  const { page } = app;
  await openDemo(app);
  // First code by keyboard, as a researcher switching between both would: Shift+Arrows, Enter
  // to the picker, a new code's name, Enter.
  await app.byRole("document", /^Text of /).focus();
  for (let i = 0; i < 12; i++) await page.keyboard.press("Shift+ArrowRight");
  await app.byRole("dialog", PICKER).waitFor();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "combobox");
  await page.keyboard.type("By keyboard");
  await page.keyboard.press("Enter");
  await codeItem(app, "By keyboard").waitFor();
  await page.keyboard.press("Escape");

  // Then a mouse selection and V: the selected words become a code.
  const words = (await paragraphWords(app, 1)).split(" ");
  const phrase = words.slice(1, 4).join(" ").replace(/[.,;:!?]+$/, "");
  await dragSelect(app, phrase);
  await page.keyboard.press("v");
  await codeItem(app, phrase).waitFor();
  assert.deepEqual(await codedRuns(app, phrase), [phrase]);
});

appTest("History closes on Esc and on a click outside it", async (app) => {
  const { page } = app;
  await openDemo(app);
  const button = app.byRole("button", "History");
  const panel = page.getByRole("region", { name: "History", exact: true });
  await button.click();
  await panel.waitFor();
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  await page.keyboard.press("Escape");
  await panel.waitFor({ state: "detached" });
  assert.equal(await button.getAttribute("aria-expanded"), "false");

  await button.click();
  await panel.waitFor();
  await page.locator(".reader p.para").nth(2).click();
  await panel.waitFor({ state: "detached" });

  // Its own button still toggles it.
  await button.click();
  await panel.waitFor();
  await button.click();
  await panel.waitFor({ state: "detached" });
});
