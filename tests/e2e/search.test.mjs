// Search (issue 10, first slice): the Search view sends the query to the worker (core's search
// engine) and shows keyword-in-context lines; a line opens its passage in the reader (route);
// coming back to Search shows the last search again; a bad regular expression is explained; the
// view has its address, so a reload keeps it. Ctrl+F in the reading view finds in the open source.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { closeImport, DEMO_PROJECT, focusedPassage, importFiles, openDemo, presetCoder, saveProjectFile, showView, waitForStored } from "./steps.mjs";

/** How many codings of the code named `name` the saved project file has. */
async function codingsOf(app, name) {
  const file = await saveProjectFile(app);
  const code = file.project.codes.find((c) => c.name === name);
  return file.project.codings.filter((c) => c.code === code.id).length;
}

// "locum" is in two sources of the demo: P02's interview and the Quayside field notes.
const WORD = "locum";
const P02 = "P02 (Social Prescribing Link Worker, Northgate PCN)";

const currentTab = (app) =>
  app.page.getByRole("navigation", { name: "Views" }).locator('[aria-current="page"]').innerText();

/** Type `query` into the search box and press Enter. */
async function search(app, query) {
  const box = app.byRole("searchbox", "Search the sources");
  await box.fill(query);
  await box.press("Enter");
}

/** Wait until the count line says `text` (and no search is running). */
async function waitForCount(app, text) {
  await app.page.waitForFunction(
    (text) =>
      document.querySelector(".search-status")?.textContent.trim() === text &&
      document.querySelector(".search-results")?.getAttribute("aria-busy") === "false",
    text,
  );
}

/** The demo project opened and saved, in the Search view. */
async function openDemoSearch(app) {
  await presetCoder(app);
  await openDemo(app);
  await app.page.waitForFunction(
    () => document.querySelector(".toolbar [role=status]")?.textContent.trim() === "Saved in this browser",
  );
  await showView(app, "Search");
}

appTest("search finds a word, opens its passage, explains a bad regex and keeps its route", async (app) => {
  const { page } = app;
  await openDemoSearch(app);
  assert.match(await page.evaluate(() => location.hash), /^#\/p\/[0-9a-f-]{36}\/search$/);
  const options = app.byRole("group", "Search options");
  assert.equal(await options.getByRole("checkbox", { name: "Whole words" }).isChecked(), true);
  for (const name of ["Match case", "Ignore accents", "Regular expression"]) {
    assert.equal(await options.getByRole("checkbox", { name }).isChecked(), false, name);
  }

  await search(app, WORD);
  await waitForCount(app, "2 hits in 2 sources");
  const perSource = await app.byRole("list", "Hits per source").getByRole("listitem").allInnerTexts();
  assert.equal(perSource.length, 2);
  assert.ok(perSource.some((t) => t.startsWith(P02) && t.endsWith("1 hit")), perSource.join(" | "));

  const hits = app.byRole("list", "Hits").getByRole("button");
  assert.equal(await hits.count(), 2);
  const first = hits.first();
  assert.equal((await first.locator("mark").innerText()).toLowerCase(), WORD);
  assert.ok((await first.innerText()).startsWith(P02), "the line starts with its source's name");
  // Its accessible name is its visible text (WCAG 2.5.3): it names the source and the word.
  await page.getByRole("button", { name: new RegExp(`^${P02.replace(/[()]/g, "\\$&")}.*\\blocum\\b`, "s") }).first().waitFor();

  await first.click();
  assert.equal((await focusedPassage(app, P02)).toLowerCase(), WORD);
  assert.equal(await currentTab(app), "Reading");
  assert.match(await page.evaluate(() => location.hash), /\/read\/[0-9a-f-]{36}\?at=\d+-\d+$/);

  // Back in Search, the last search and its results are still there.
  await showView(app, "Search");
  assert.equal(await app.byRole("searchbox", "Search the sources").inputValue(), WORD);
  await waitForCount(app, "2 hits in 2 sources");
  assert.equal(await app.byRole("list", "Hits").getByRole("button").count(), 2);

  // A bad regular expression is explained under the box, not ignored.
  await app.byRole("checkbox", "Regular expression").check();
  await search(app, "(locum");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /regular expression .*is not valid/i);
  assert.equal(await app.byRole("list", "Hits").count(), 0, "no hits are shown for a bad pattern");
  // Fixing it searches again.
  await search(app, "locums?");
  await waitForCount(app, "2 hits in 2 sources");
  assert.equal(await page.getByRole("alert").count(), 0);

  // The view is in the address: a reload comes back to it.
  await app.reload();
  await app.byRole("searchbox", "Search the sources").waitFor();
  assert.equal(await currentTab(app), "Search");

  // A common word: the first 20 lines are drawn, "Show more" draws 100 more at a time and the
  // first line added takes the focus; the count stays exact and the page says how many it holds.
  await search(app, "the");
  await page.waitForFunction(() => /^[\d,]+ hits in \d+ sources$/.test(document.querySelector(".search-status")?.textContent.trim() ?? ""));
  const total = Number((await page.locator(".search-status").innerText()).split(" ")[0].replace(/,/g, ""));
  assert.ok(total > 200, `"the" is common in the demo: ${total}`);
  const lines = app.byRole("list", "Hits").getByRole("listitem");
  assert.equal(await lines.count(), 20);
  assert.equal(await page.locator(".search-hits > li:nth-child(21)").count(), 0, "line 21 is not drawn yet");
  await app.byRole("button", "Show more (20 of 200 shown)").click();
  await page.waitForFunction(() => document.querySelectorAll(".search-hits > li").length === 120);
  await page.waitForFunction(() => document.activeElement?.matches(".search-hits > li:nth-child(21) button.search-hit"));
  // From the keyboard: Enter on the next "Show more".
  await app.byRole("button", "Show more (120 of 200 shown)").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".search-hits > li").length === 200);
  await page.waitForFunction(() => document.activeElement?.matches(".search-hits > li:nth-child(121) button.search-hit"));
  assert.equal(await app.byRole("button", /^Show more/).count(), 0, "every line held is drawn");
  assert.match(await page.locator(".search-limit").innerText(), new RegExp(`^Showing the first 200 of ${total.toLocaleString("en")} hits\\.$`));
});

// Ctrl+F in the reading view: the reader renders only the paragraphs near the viewport, so the
// browser's Find would miss most of a transcript; the find bar asks the worker for every hit of
// the open source and steps through them, wherever they are.
appTest("Ctrl+F finds every hit in the open source and steps through them", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  const P01 = "P01 (Clinical Director, Northgate PCN)";
  await page.locator(".reader p.para").first().click();
  await page.keyboard.press("Control+f");
  const bar = app.byRole("search", "Find in this source");
  const box = bar.getByRole("searchbox", { name: "Find in this source", exact: true });
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Find in this source");
  await box.fill("the");
  await box.press("Enter");
  const status = bar.getByRole("status");
  await page.waitForFunction(() => /^1 of \d+ hits$/.test(document.querySelector(".find-status")?.textContent ?? ""));
  const n = Number(/^1 of (\d+) hits$/.exec(await status.innerText())[1]);
  assert.ok(n > 20, `"the" occurs often in P01: ${n}`);
  assert.equal((await focusedPassage(app, P01)).toLowerCase(), "the");
  await box.press("Enter");
  await page.waitForFunction(() => document.querySelector(".find-status")?.textContent === "2 of " + document.querySelector(".find-status")?.textContent.split(" of ")[1]);
  // Shift+Enter twice: back to the first, then round to the last hit, near the end of the source.
  await box.press("Shift+Enter");
  await box.press("Shift+Enter");
  await page.waitForFunction((n) => document.querySelector(".find-status")?.textContent === `${n} of ${n} hits`, n);
  assert.equal((await focusedPassage(app, P01)).toLowerCase(), "the");
  const lastTop = await page.evaluate(() => document.querySelector(".reader")?.scrollTop ?? 0);
  assert.ok(lastTop > 1000, `the reader scrolled far down to the last hit: ${lastTop}`);
  await app.screenshot("find-bar");
  // Esc closes the bar and gives the keyboard back to the text.
  await box.press("Escape");
  await bar.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("role")), "document");
});

appTest("search hits are sorted, ticked and coded as their sentence in one undo step", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Search");
  await search(app, "practice*");
  await page.waitForFunction(() => /^\d+ hits in \d+ sources$/.test(document.querySelector(".search-status")?.textContent.trim() ?? ""));
  const hitLines = app.byRole("list", "Hits").getByRole("listitem");
  const n = await hitLines.count();
  assert.ok(n >= 3, `${n} hits`);

  // Sorted by the matched words: the marks come in alphabetical order.
  // (The worker writes the lines again in that order: wait for them. Lines below the fold are
  // not laid out — content-visibility: auto — so their text is read as textContent.)
  await page.getByLabel("Sort hits by").selectOption({ label: "Matched words" });
  await page.waitForFunction(() => {
    const marks = [...document.querySelectorAll(".search-hits mark")].map((m) => m.textContent.toLowerCase());
    return document.querySelector(".search-results")?.getAttribute("aria-busy") === "false" &&
      marks.length > 0 && marks.every((m, i) => i === 0 || marks[i - 1].localeCompare(m) <= 0);
  });
  const marks = (await app.byRole("list", "Hits").locator("mark").allTextContents()).map((m) => m.toLowerCase());
  assert.deepEqual(marks, [...marks].sort((a, b) => a.localeCompare(b)));

  // Tick two hits and code them as their sentence with a new-ish code of the demo.
  const form = app.byRole("group", "Code the hits");
  const ticks = app.byRole("list", "Hits").getByRole("checkbox");
  await ticks.nth(0).check();
  await ticks.nth(1).check();
  await form.getByLabel("Code", { exact: true }).selectOption({ label: "Burnout" });
  await form.getByLabel("Coded unit").selectOption({ label: "The sentence" });
  assert.match(await form.innerText(), /Adds \d+ codings?/);
  const start = await codingsOf(app, "Burnout");
  await form.getByRole("button", { name: "Code the 2 ticked hits" }).click();
  await form.getByText(/^Coded \d+ passages?\.$/).waitFor();
  const coded = Number(/^Coded (\d+)/.exec(await form.getByText(/^Coded \d+ passages?\.$/).innerText())[1]);
  assert.ok(coded >= 1 && coded <= 2, `${coded}`);
  assert.equal(await codingsOf(app, "Burnout"), start + coded);

  // One undo step: the history names it, Undo removes every coding it added.
  await app.byRole("button", "History").click();
  await page.getByText(new RegExp(`Code ${coded} passages? from a search as Burnout`)).first().waitFor();
  await page.keyboard.press("Escape");
  await app.byRole("button", "Undo").click();
  assert.equal(await codingsOf(app, "Burnout"), start, "one undo removes them all");
  // Coding them again adds the same number.
  await form.getByRole("button", { name: "Code the 2 ticked hits" }).click();
  await form.getByText(`Coded ${coded} passage${coded === 1 ? "" : "s"}.`).waitFor();
  assert.equal(await codingsOf(app, "Burnout"), start + coded);
  // And a second time nothing: they are coded so already.
  await form.getByRole("button", { name: "Code the 2 ticked hits" }).click();
  await form.getByText("Nothing to add: every passage is already coded so.").waitFor();
  await app.screenshot("search-code-hits");
});

appTest("a search can be limited to a case or a speaker", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Search");
  const count = async () => {
    await page.waitForFunction(() => document.querySelector(".search-results")?.getAttribute("aria-busy") === "false");
    const m = /^(\d+) hits? in/.exec((await page.locator(".search-status").innerText()).trim());
    return m ? Number(m[1]) : 0;
  };
  await search(app, "practice*");
  await page.waitForFunction(() => /^\d+ hits in \d+ sources$/.test(document.querySelector(".search-status")?.textContent.trim() ?? ""));
  const all = await count();

  // A case: only its sources' hits (the Northgate PCN sources carry its name).
  const scope = page.getByLabel("Search in");
  const northgate = await scope.locator("option", { hasText: "Northgate" }).first().getAttribute("value");
  assert.match(northgate, /^case:/);
  await scope.selectOption(northgate);
  await page.waitForFunction((all) => {
    const m = /^(\d+) hits? in/.exec(document.querySelector(".search-status")?.textContent.trim() ?? "");
    return m && Number(m[1]) < all;
  }, all);
  const names = await app.byRole("list", "Hits").locator(".segment-source").allTextContents();
  assert.ok(names.length > 0 && names.every((n) => n.includes("Northgate")), names.join(" | "));

  // A speaker: only the interviewer's turns.
  await scope.selectOption("speaker:Interviewer");
  await page.waitForFunction(() => {
    const speakers = [...document.querySelectorAll(".search-hits .segment-speaker")].map((s) => s.textContent);
    return speakers.length > 0 && speakers.every((s) => s === "Interviewer");
  });
  const interviewer = await count();
  assert.ok(interviewer > 0 && interviewer < all, `${interviewer} of ${all}`);
  // Back to every source: the first count again.
  await scope.selectOption("all");
  await page.waitForFunction((all) => document.querySelector(".search-status")?.textContent.trim().startsWith(`${all} hits`), all);
});

appTest("a search can be limited to chosen sources or to cases by an attribute value, saved by name and run again", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Search");
  const count = async () => {
    await page.waitForFunction(() => document.querySelector(".search-results")?.getAttribute("aria-busy") === "false");
    const m = /^(\d+) hits? in/.exec((await page.locator(".search-status").innerText()).trim());
    return m ? Number(m[1]) : 0;
  };
  const countBelow = (n) =>
    page.waitForFunction((n) => {
      const m = /^(\d+) hits? in/.exec(document.querySelector(".search-status")?.textContent.trim() ?? "");
      return m && Number(m[1]) < n && document.querySelector(".search-results")?.getAttribute("aria-busy") === "false";
    }, n);
  await search(app, "practice*");
  await page.waitForFunction(() => /^\d+ hits in \d+ sources$/.test(document.querySelector(".search-status")?.textContent.trim() ?? ""));
  const all = await count();
  const scope = page.getByLabel("Search in");

  // Chosen sources: only P02's interview.
  await scope.selectOption("sources");
  const sources = page.getByLabel("Sources to search (Ctrl+click for several)");
  await sources.selectOption({ label: P02 });
  await countBelow(all);
  const names = await app.byRole("list", "Hits").locator(".segment-source").allTextContents();
  assert.ok(names.length > 0 && names.every((n) => n === P02), names.join(" | "));
  // Each line also names its case and how far into the source it is.
  const meta = await app.byRole("list", "Hits").locator(".segment-meta").first().innerText();
  assert.match(meta, /P02/);
  assert.match(meta, /at \d+ %/);

  // Cases with an attribute value: the rural site (Fellside PCN) and its sub-cases (the
  // participants P03 and P04, whose interviews carry the site's name).
  await scope.selectOption("filter");
  await page.getByLabel("Attribute", { exact: true }).selectOption({ label: "rurality" });
  await page.getByLabel("Value", { exact: true }).selectOption({ label: "rural" });
  await page.waitForFunction(() => {
    const sources = [...document.querySelectorAll(".search-hits .segment-source")].map((s) => s.textContent);
    return sources.length > 0 && sources.every((c) => c.includes("Fellside")) &&
      document.querySelector(".search-results")?.getAttribute("aria-busy") === "false";
  });
  const rural = await count();
  assert.ok(rural > 0 && rural < all, `${rural} of ${all}`);

  // Saved by name: it is listed, kept in the project (stored), and runs again as it was.
  await page.getByLabel("Name for this search").fill("Practices in rural sites");
  await app.byRole("button", "Save search").click();
  const saved = page.getByLabel("Saved searches");
  await saved.locator("option", { hasText: "Practices in rural sites" }).waitFor({ state: "attached" });
  await waitForStored(app, DEMO_PROJECT, (r) => r.queries?.length === 1 && r.queries[0].name === "Practices in rural sites");
  await app.screenshot("search-saved-and-scoped");

  await scope.selectOption("all");
  await search(app, "locum");
  await waitForCount(app, "2 hits in 2 sources");
  await saved.selectOption({ label: "Practices in rural sites" });
  await page.waitForFunction(
    (rural) => document.querySelector(".search-status")?.textContent.trim().startsWith(`${rural} hit`),
    rural,
  );
  assert.equal(await app.byRole("searchbox", "Search the sources").inputValue(), "practice*");
  assert.equal(await scope.inputValue(), "filter");
  assert.equal(await page.getByLabel("Value", { exact: true }).locator("option:checked").innerText(), "rural");

  // It travels with the project file.
  const file = await saveProjectFile(app);
  assert.deepEqual(file.project.queries.map((q) => [q.name, q.query]), [["Practices in rural sites", "practice*"]]);

  // After a reload it is still there; deleting it is one undo step.
  await page.reload();
  await app.byRole("heading", DEMO_PROJECT, { level: 1 }).waitFor();
  await showView(app, "Search");
  await page.getByLabel("Saved searches").selectOption({ label: "Practices in rural sites" });
  await app.byRole("button", "Delete saved search").click();
  await page.getByLabel("Saved searches").waitFor({ state: "detached" });
  await app.byRole("button", "Undo").click();
  await page.getByLabel("Saved searches").locator("option", { hasText: "Practices in rural sites" }).waitFor({ state: "attached" });
});

// The worker keeps a copy of the project for searches (and charts, tables, suggestions): the
// whole project a source at a time, then each change as the records it rewrote. Every change
// must reach it, and a worker that crashed (here on a damaged PDF) is sent the whole project
// again.
const DAMAGED_PDF = new URL("./fixtures/damaged-ID2.pdf", import.meta.url).pathname;

appTest("search follows every change: new field notes, edited text, undo, and a restarted worker", async (app) => {
  const { page } = app;
  await openDemoSearch(app);
  await search(app, "zebrafish");
  await page.getByText("No hits: try other words, or fewer options.").waitFor();
  assert.equal((await page.locator(".search-status").innerText()).trim(), "0 hits in 0 sources");

  // New field notes, typed in the app.
  await showView(app, "Reading");
  await app.byRole("button", "New field notes").click();
  const name = (await page.locator(".reader-head h2").innerText()).trim();
  const editor = app.byRole("textbox", `Edit the text of ${name}`);
  await editor.fill("A zebrafish in the waiting room.");
  await app.byRole("button", "Done editing").click();
  await showView(app, "Search");
  await search(app, "zebrafish");
  await waitForCount(app, "1 hit in 1 source");

  // Their text edited: the changed text record reaches the worker.
  await showView(app, "Reading");
  await page.locator(".reader-head").getByRole("button", { name: "Edit text", exact: true }).click();
  await editor.fill("Two zebrafish, then a third zebrafish.");
  await app.byRole("button", "Done editing").click();
  await showView(app, "Search");
  await search(app, "zebrafish");
  await waitForCount(app, "2 hits in 1 source");

  // Undo goes back there too: successive edits of one source's text are one undo step
  // (`Action::coalesce_key`), so the notes are empty again, as the saved project file says.
  await app.byRole("button", "Undo").click();
  const zebrafish = async () =>
    (await saveProjectFile(app)).project.sources.map((s) => s.text.match(/zebrafish/g)?.length ?? 0).reduce((a, b) => a + b, 0);
  assert.equal(await zebrafish(), 0);
  await showView(app, "Search");
  await search(app, "zebrafish");
  await page.getByText("No hits: try other words, or fewer options.").waitFor();

  // A file that crashes the reader ends the worker; the next search starts another and sends
  // it the whole project.
  const loaders = () => app.requests.filter((r) => !r.serviceWorker && r.url.endsWith("_loader.js")).length;
  const before = loaders();
  await importFiles(app, [DAMAGED_PDF]);
  await closeImport(app);
  await app.byRole("button", "Redo").click();
  assert.equal(await zebrafish(), 2);
  await showView(app, "Search");
  await search(app, "zebrafish");
  await waitForCount(app, "2 hits in 1 source");
  await search(app, WORD);
  await waitForCount(app, "2 hits in 2 sources");
  assert.ok(loaders() > before, `a new worker was started (${before} -> ${loaders()} loads)`);
});
