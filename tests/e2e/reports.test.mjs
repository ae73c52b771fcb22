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
