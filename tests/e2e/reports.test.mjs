// Reports (issue 10): the Reports view has its route, previews one attributed quote live as the
// attribution template changes, and "Save report" has the worker write the report: a Markdown
// and an HTML report of the demo are downloaded and read back (every heading and quote there,
// attributions from case attributes, no script in the page).
import assert from "node:assert/strict";
import fs from "node:fs";
import { appTest } from "./harness.mjs";
import { openDemo, presetCoder, showView } from "./steps.mjs";

async function save(app, format) {
  await app.byRole("combobox", "Format").selectOption(format);
  const [file] = await Promise.all([
    app.page.waitForEvent("download"),
    app.byRole("button", "Save report").click(),
  ]);
  return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), "utf8") };
}

appTest("a report previews its attribution and saves as Markdown and HTML", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Reports");
  assert.match(await page.evaluate(() => location.hash), /^#\/p\/[0-9a-f-]{36}\/reports$/);
  const preview = app.byRole("figure", "Preview");
  await app.byRole("textbox", "Attribution").fill("({case}, {role}, {rurality})");
  await page.waitForFunction(() =>
    document.querySelector(".report-preview .attribution")?.textContent.includes("clinical director"),
  );
  assert.match(await preview.innerText(), /“.+”\s+\(P01, clinical director, urban\)/s);
  await app.byRole("textbox", "Attribution").fill("({case}, {nope})");
  await page.getByText("“{nope}” names nothing").waitFor();
  await app.byRole("textbox", "Attribution").fill("({case}, {role}, {rurality})");
  await app.screenshot("reports-view");

  const md = await save(app, "md");
  assert.equal(md.name, "Coded segments report.md");
  assert.ok(md.text.startsWith("# Coded segments: "), md.text.slice(0, 200));
  assert.ok(md.text.includes("(P02, ARRS staff, urban)"), "attributions from case attributes");
  assert.equal((md.text.match(/^> “/gm) ?? []).length, 103, "every coding of the demo quoted");

  await app.byRole("combobox", "Report").selectOption("themes");
  const html = await save(app, "html");
  assert.ok(html.text.startsWith("<!DOCTYPE html>"));
  assert.ok(html.text.includes('<nav class="toc"'), "a table of contents");
  assert.ok(html.text.includes("<caption>Matrix “Workforce”</caption>"), "the matrix summaries");
  assert.ok(!html.text.includes("<script"));
});

appTest("a report keeps only the chosen codes and sources and leaves out the chosen speakers", async (app) => {
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Reports");
  await app.byRole("textbox", "Attribution").fill("({source}; {speaker})");
  const quotes = (text) => (text.match(/^> “/gm) ?? []).length;
  const attributions = (text) => [...text.matchAll(/^> “.*”\s*\((.*)\)$/gm)].map((m) => m[1]);
  assert.equal(quotes((await save(app, "md")).text), 103, "none chosen: every coding");

  // One code: only its quotes (Burnout: 7 codings in the demo).
  const codes = app.byRole("listbox", "Codes");
  const burnout = await codes.locator("option", { hasText: "Burnout" }).getAttribute("value");
  await codes.selectOption(burnout);
  let md = (await save(app, "md")).text;
  assert.equal(quotes(md), 7, md.slice(0, 400));
  assert.ok(md.includes("Burnout"));
  await codes.selectOption([]);

  // One source: every quote attributed to it.
  const sources = app.byRole("listbox", "Sources");
  const first = await sources.locator("option").first();
  const name = (await first.innerText()).trim();
  await sources.selectOption(await first.getAttribute("value"));
  md = (await save(app, "md")).text;
  const from = attributions(md);
  assert.ok(from.length > 0 && from.length < 103, `${from.length} quotes`);
  for (const a of from) assert.ok(a.startsWith(`${name};`), a);
  await sources.selectOption([]);

  // Leave out a speaker: none of the quotes is theirs, and fewer are left.
  const speakers = app.byRole("listbox", "Leave out these speakers");
  const full = attributions((await save(app, "md")).text);
  const names = (await speakers.locator("option").allInnerTexts()).map((t) => t.trim());
  const speaker = names.find((n) => full.some((a) => a.endsWith(`; ${n}`)));
  assert.ok(speaker, `a speaker of ${names} has quotes in the full report`);
  const theirs = full.filter((a) => a.endsWith(`; ${speaker}`)).length;
  await speakers.selectOption({ label: speaker });
  md = (await save(app, "md")).text;
  assert.equal(quotes(md), 103 - theirs);
  assert.ok(attributions(md).every((a) => !a.endsWith(`; ${speaker}`)));
  assert.ok(!(await app.byRole("figure", "Preview").innerText()).includes(`; ${speaker})`), "nor the preview");
  await app.screenshot("reports-filters");
});
