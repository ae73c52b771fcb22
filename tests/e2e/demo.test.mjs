// The demo project: one click from the home screen, its sources and codebook, retrieval of a
// code, and a retrieved segment opening its source at the passage.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { reader, waitForHome } from "./steps.mjs";

appTest("the demo opens with one click; a retrieved segment opens at its passage", async (app) => {
  const { page } = app;
  await waitForHome(app);
  await app.byRole("button", "Open demo project").click();
  await app.byRole("button", "Back to projects").waitFor();

  await app.byRole("heading", "Sources (8)").waitFor();
  const sources = page.getByRole("navigation", { name: "Sources" }).locator(".source-item .source-name");
  assert.equal(await sources.count(), 8);
  const tree = page.getByRole("tree", { name: "Codebook" });
  const items = tree.getByRole("treeitem");
  const codeCount = await items.count();
  assert.ok(codeCount >= 15, `the demo codebook has ≥ 15 codes (${codeCount})`);

  // Retrieve the code with the most codings in the most sources (from the tree's labels).
  const labels = await items.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
  const parsed = labels
    .map((l) => l.match(/^(.*), (\d+) codings?, (\d+) sources?, /))
    .filter(Boolean)
    .map(([, name, codings, sourceCount]) => ({ name, codings: Number(codings), sources: Number(sourceCount) }));
  assert.equal(parsed.length, codeCount, `every tree item has counts: ${labels.join(" | ")}`);
  const target = parsed.filter((c) => c.sources >= 2).sort((a, b) => b.codings - a.codings)[0];
  assert.ok(target, "some code is applied in two or more sources");
  const item = tree.getByRole("treeitem", { name: new RegExp(`^${target.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, `) }).first();
  // Select it in the codebook, then "Retrieve segments" in its details.
  await item.locator(".code-name").first().click();
  await page
    .getByRole("region", { name: `Code ${target.name}`, exact: true })
    .getByRole("button", { name: "Retrieve segments", exact: true })
    .click();

  const retrieval = page.getByRole("region", { name: "Retrieved segments" });
  await retrieval.waitFor();
  const count = await retrieval.getByRole("status").innerText();
  const m = count.match(/^(\d+) segments? in (\d+) sources?$/);
  assert.ok(m, count);
  assert.ok(Number(m[1]) >= target.codings, `${count} lists at least the code's own ${target.codings} codings`);
  const segments = retrieval.getByRole("list", { name: "Segments" }).getByRole("listitem");
  assert.ok((await segments.count()) >= 2);

  // The last listed segment (document order: furthest into the project) of a source other than
  // the one first shown.
  const last = segments.last();
  const sourceName = (await last.locator(".segment-source").innerText()).trim();
  const markText = await last.locator("mark.coded-text").innerText();
  const truncated = /… \(\d+ more characters\)$/.test(markText);
  const coded = markText.replace(/… \(\d+ more characters\)$/, "");
  assert.ok(coded.length > 10, `a real passage: “${coded}”`);
  await last.getByRole("button", { name: `Open ${sourceName} at this passage`, exact: true }).click();

  // The source opens, scrolled to the passage, which is highlighted and in view.
  const doc = reader(app, sourceName);
  await doc.waitFor();
  await page.locator(".reader .focus").first().waitFor();
  const focusText = await page.locator(".reader .focus").allInnerTexts();
  const shown = focusText.join("");
  if (truncated) {
    assert.ok(shown.startsWith(coded), `highlighted “${shown.slice(0, 80)}” is the passage “${coded.slice(0, 80)}”`);
  } else {
    assert.equal(shown, coded, "exactly the retrieved passage is highlighted");
  }
  const active = page.getByRole("navigation", { name: "Sources" }).locator('.source-item[aria-current="true"] .source-name');
  assert.equal((await active.innerText()).trim(), sourceName, "the source is current in the list");
  await page.waitForFunction(() => {
    const reader = document.querySelector(".reader");
    const focus = document.querySelector(".reader .focus");
    if (!reader || !focus) return false;
    const r = reader.getBoundingClientRect();
    const f = focus.getBoundingClientRect();
    return f.height > 0 && f.top >= r.top && f.bottom <= r.bottom;
  });
  const scrolled = await doc.evaluate((el) => el.scrollTop);
  const passageTop = await page.locator(".reader .focus").first().evaluate((el) => el.offsetTop);
  // If the passage is below the first screen, the view really scrolled to it.
  if (passageTop > (await doc.evaluate((el) => el.clientHeight))) {
    assert.ok(scrolled > 0, "the reading view scrolled to the passage");
  }
  await app.screenshot("demo-retrieved-passage");
});

// Issue 9, point 6: the codebook is compact (one line per code, the count in a column, the full
// counts on hover) and a "Filter codes" box narrows the tree to matching codes and their
// ancestors; keyboard only. Seen at 1280×720 with the demo project.
appTest(
  "the demo codebook: one line per code, filtered by name with the keyboard",
  async (app) => {
    const { page } = app;
    await waitForHome(app);
    await app.byRole("button", "Open demo project").click();
    await app.byRole("heading", "Sources (8)").waitFor();
    const tree = page.getByRole("tree", { name: "Codebook" });
    const items = tree.getByRole("treeitem");
    const all = await items.count();
    assert.ok(all >= 20, `${all} codes`);
    // One line per code: every row is about one line of text high, the count in its column.
    const heights = await tree.locator(".code-row").evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    assert.ok(Math.max(...heights) < 30, `rows are one line high: ${heights.join(", ")}`);
    const workforce = tree.getByRole("treeitem", { name: /^Workforce, / });
    const counts = workforce.locator(".code-counts").first();
    assert.match((await counts.innerText()).trim(), /^\d+$/);
    assert.match(await counts.getAttribute("title"), /^\d+ codings? · \d+ sources?$/);
    await app.screenshot("codebook-compact-1280x720");

    // The filter, by keyboard: type, Tab into the tree, Down, Enter selects.
    const filter = page.getByRole("searchbox", { name: "Filter codes", exact: true });
    await filter.focus();
    await page.keyboard.type("trust");
    const names = () => tree.locator(".code-item .code-name").allInnerTexts();
    await page.waitForFunction(() => document.querySelectorAll("[role=tree] [role=treeitem]").length === 3);
    assert.deepEqual(await names(), ["Integration & ways of working", "Relationships between practices", "Trust between practices"]);
    assert.equal(await tree.locator(".code-item.match").count(), 1, "the match stands out from its ancestors");
    await app.screenshot("codebook-filtered-1280x720");
    await page.keyboard.press("Tab");
    assert.match(await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? ""), /^Integration & ways of working, /);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByRole("region", { name: "Code Trust between practices", exact: true }).waitFor();
    // Nothing matches: says so. Esc in the box brings every code back.
    await filter.fill("no such code");
    await page.getByText("No code matches “no such code”.").waitFor();
    assert.equal(await items.count(), 0);
    await filter.focus();
    await page.keyboard.press("Escape");
    assert.equal(await filter.inputValue(), "");
    await page.waitForFunction((n) => document.querySelectorAll("[role=tree] [role=treeitem]").length === n, all);
  },
  { viewport: { width: 1280, height: 720 } },
);
