// Layout for analysis (issue 9, point 6): each side panel collapses on its own (a labelled toggle
// with aria-expanded, remembered per project), the matrix and case table get the full width,
// the toolbar is one row at 1280 px with the rare actions in a "More" menu (menu button,
// arrow keys, Esc closes and returns focus). Screenshots at 1280×720 and 1440×900.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { presetCoder, toolbarRows, waitForHome } from "./steps.mjs";

async function openDemo(app) {
  await presetCoder(app);
  await waitForHome(app);
  await app.byRole("button", "Open demo project").click();
  await app.byRole("heading", "Sources (8)").waitFor();
  await app.page.locator(".reader p.para").first().waitFor();
}

const tab = (app, name) =>
  app.page.getByRole("navigation", { name: "Views" }).getByRole("button", { name, exact: true });

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  const size = `${viewport.width}x${viewport.height}`;
  appTest(
    `layout ${size}: one toolbar row, full-width matrix and case table, panels collapse and are remembered`,
    async (app) => {
      const { page } = app;
      await openDemo(app);
      // One toolbar row: every control's top is on the first row, with the longest save status
      // shown (the demo is stored once it opens).
      await page.waitForFunction(
        () => document.querySelector(".toolbar [role=status]")?.textContent.trim() === "Saved in this browser",
      );
      assert.equal(await toolbarRows(app), 1, "the toolbar is one row");
      await app.screenshot(`layout-${size}-reading`);
      // Every view tab on one row inside the middle pane, with both side panels open.
      const tabs = await page.evaluate(() => {
        const pane = document.querySelector(".middle-pane").getBoundingClientRect();
        const all = [...document.querySelectorAll(".view-tabs .tab")].map((t) => t.getBoundingClientRect());
        return { rows: new Set(all.map((r) => Math.round(r.top / 10))).size, inside: all.every((r) => r.right <= pane.right + 1) };
      });
      assert.equal(tabs.rows, 1, "the view tabs are one row");
      assert.ok(tabs.inside, "every view tab is inside the middle pane");

      // The matrix: both side panels are rails, the grid takes the width.
      await tab(app, "Matrices").click();
      await page.getByRole("grid").first().waitFor();
      const sources = app.byRole("button", "Sources panel");
      const codebook = app.byRole("button", "Codebook panel");
      assert.equal(await sources.getAttribute("aria-expanded"), "false");
      assert.equal(await codebook.getAttribute("aria-expanded"), "false");
      const middle = await page.locator(".middle-pane").boundingBox();
      assert.ok(middle.width >= viewport.width - 100, `the matrix view is ${middle.width} px wide`);
      // Open a cell to see its segments beside the summary.
      await page.locator("[role=grid] [role=gridcell] button, [role=grid] td button").first().click().catch(() => {});
      await app.screenshot(`layout-${size}-matrix`);

      await tab(app, "Cases").click();
      await page.getByRole("grid").first().waitFor();
      await app.screenshot(`layout-${size}-cases`);

      // Each panel on its own; the choice is remembered for the project after a reload.
      await codebook.click();
      assert.equal(await codebook.getAttribute("aria-expanded"), "true");
      assert.equal(await sources.getAttribute("aria-expanded"), "false");
      await page.getByRole("tree", { name: "Codebook" }).waitFor();
      await tab(app, "Reading").click();
      await sources.click();
      assert.equal(await sources.getAttribute("aria-expanded"), "false", "collapsed in the reading view");
      assert.equal(await app.byRole("heading", "Sources (8)").count(), 0);
      await page.waitForFunction(
        () => document.querySelector(".toolbar [role=status]")?.textContent.trim() === "Saved in this browser",
      );
      await app.reload();
      await page.locator(".reader p.para").first().waitFor();
      assert.equal(await sources.getAttribute("aria-expanded"), "false", "remembered after a reload");
      assert.equal(await codebook.getAttribute("aria-expanded"), "true");
      await sources.click();
      await app.byRole("heading", "Sources (8)").waitFor();
      await tab(app, "Cases").click();
      assert.equal(await codebook.getAttribute("aria-expanded"), "true", "the wide views' choice too");
    },
    { viewport, timeout: 90_000 },
  );
}

appTest("the More menu: arrow keys move, Esc closes and returns focus, an item runs", async (app) => {
  const { page } = app;
  await openDemo(app);
  const more = app.byRole("button", "More");
  assert.equal(await more.getAttribute("aria-haspopup"), "menu");
  assert.equal(await more.getAttribute("aria-expanded"), "false");
  await more.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu", { name: "More" });
  await menu.waitFor();
  assert.equal(await more.getAttribute("aria-expanded"), "true");
  const focused = () => page.evaluate(() => document.activeElement?.textContent);
  assert.equal(await focused(), "Project memo");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), "Pseudonymise…");
  await page.keyboard.press("End");
  assert.equal(await focused(), "Keyboard shortcuts");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), "Project memo", "wraps around");
  await page.keyboard.press("Escape");
  await menu.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-haspopup")), "menu");

  // A click outside closes it; an item opens its dialog.
  await more.click();
  await menu.waitFor();
  await page.locator(".reader p.para").nth(1).click();
  await menu.waitFor({ state: "detached" });
  await more.click();
  await app.byRole("menuitem", "Keyboard shortcuts").click();
  await app.byRole("dialog", "Keyboard shortcuts").waitFor();
});
