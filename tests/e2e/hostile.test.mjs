// Issue 12 ("hostile content is inert"): names carrying HTML and script — as an imported file
// name, a .qdpx or a CSV could bring them — show as text in the app: no element is made from
// them, no script runs, nothing is fetched (the harness fails on any off-origin request, console
// error or CSP violation).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { appTest } from "./harness.mjs";
import {
  closeImport,
  codeItem,
  codePhrase,
  createProject,
  downloadProjectFile,
  escapeRe,
  importFiles,
  openDemo,
  openProjectFile,
  openSource,
  presetCoder,
  reader,
  saveStatus,
  showView,
  tempDir,
} from "./steps.mjs";

const PROJECT = `<img src=x onerror="window.__pwned=1">`;
const CODE = `<script>window.__pwned=2</script>`;
const CASE = `"><svg onload="window.__pwned=3">`;

appTest("names carrying HTML and script show as text and never run", async (app) => {
  const { page } = app;
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs += 1;
    d.dismiss().catch(() => {});
  });
  await presetCoder(app);
  await createProject(app, PROJECT);
  await app.byRole("textbox", "New code name").fill(CODE);
  await app.byRole("button", "Add code").click();
  await codeItem(app, CODE).waitFor();
  await showView(app, "Cases");
  await app.byRole("button", "Add case").click();
  const add = app.byRole("dialog", "Add case");
  await add.getByRole("textbox", { name: "Name", exact: true }).fill(CASE);
  await add.getByRole("button", { name: "Add case", exact: true }).click();
  await add.waitFor({ state: "detached" });
  await app.byRole("region", `Case ${CASE}`).waitFor();
  await showView(app, "Reading");
  await codeItem(app, CODE).waitFor();

  const found = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    images: document.querySelectorAll('img[src="x"]').length,
    svgs: [...document.querySelectorAll("svg")].filter((s) => s.hasAttribute("onload")).length,
    inlineScripts: [...document.querySelectorAll("script")].filter((s) => s.textContent.includes("__pwned")).length,
    text: document.body.innerText,
  }));
  assert.equal(found.pwned, null, "no payload ran");
  assert.equal(found.images, 0);
  assert.equal(found.svgs, 0);
  assert.equal(found.inlineScripts, 0);
  assert.equal(dialogs, 0);
  // The names are there, as the researcher typed them.
  assert.ok(found.text.includes(PROJECT), "the project's name shows as text");
  assert.ok(found.text.includes(CODE), "the code's name shows as text");
});

// Every import path of the workbench — an .html and a .docx source, a .txt whose file name is
// markup, a codebook CSV and a case-table CSV — brings markup, script, `javascript:` URLs and
// CSS into the demo project; each view where that text shows (reading, codebook, cases,
// matrices, search results, crosstabs, agreement) must show it as text and run nothing. Then
// the project goes through its file (saved, opened again as a new project), the last path.
const P = {
  img: `<img src=x onerror="window.__pwned='img'">`,
  script: `<script>window.__pwned='script'</script>`,
  svg: `"><svg onload="window.__pwned='svg'">`,
  js: `<a href="javascript:window.__pwned='js'">js</a>`,
  css: `<style>*{background:url(http://evil.example/css)}</style>`,
  frame: `<iframe src="javascript:window.__pwned='frame'"></iframe>`,
};
const ALL = Object.values(P);
const csv = (s) => `"${s.replaceAll('"', '""')}"`;
const htmlText = (s) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Nothing of the payloads became markup or ran: no handler attribute anywhere, no element
 *  a payload names, no `javascript:` URL, no payload script or style. */
async function assertInert(app, where) {
  const found = await app.page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    handlers: [...document.querySelectorAll("*")]
      .filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)))
      .map((el) => el.outerHTML.slice(0, 120)),
    images: document.querySelectorAll('img[src="x"]').length,
    frames: document.querySelectorAll("iframe").length,
    jsUrls: document.querySelectorAll('[href^="javascript" i], [src^="javascript" i]').length,
    scripts: [...document.querySelectorAll("script")].filter((s) => s.textContent.includes("__pwned")).length,
    styles: [...document.querySelectorAll("style")].filter((s) => s.textContent.includes("evil.example")).length,
  }));
  assert.deepEqual(
    found,
    { pwned: null, handlers: [], images: 0, frames: 0, jsUrls: 0, scripts: 0, styles: 0 },
    `${where}: a payload became markup`,
  );
}

/** The visible text of the page contains each of `texts`. */
async function assertShown(app, where, texts) {
  const text = await app.page.evaluate(() => document.body.innerText);
  for (const t of texts) assert.ok(text.includes(t), `${where}: ${JSON.stringify(t)} shows as text`);
}

appTest("imported files carrying markup show it as text in every view and through the project file", async (app) => {
  const { page } = app;
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs += 1;
    d.dismiss().catch(() => {});
  });
  await presetCoder(app);
  await openDemo(app);

  // Sources: an .html page (its own script, handler and link left out, the payloads as text),
  // a .docx and a .txt named with markup.
  const page1 = `<!DOCTYPE html><html><head><title>Hostile page</title><script>window.__pwned='file'</script>
<style>body{background:url(http://evil.example/file)}</style></head><body>
<p onclick="window.__pwned='click'">Interviewer: <a href="javascript:window.__pwned='link'">what happened</a>?</p>
${ALL.map((p) => `<p>Participant: ${htmlText(p)}</p>`).join("\n")}</body></html>`;
  const { docx } = await import("../../bench/study.mjs");
  const letter = docx(ALL.map((p) => `Letter: ${p}`).join("\n"));
  const txtName = `${P.img}.txt`;
  const { lines } = await importFiles(app, [
    { name: "hostile-page.html", mimeType: "text/html", buffer: Buffer.from(page1) },
    { name: "hostile-letter.docx", mimeType: "application/octet-stream", buffer: letter },
    { name: txtName, mimeType: "text/plain", buffer: Buffer.from(`Note: ${P.svg}\nNote: ${P.js}\n`) },
  ]);
  for (const [file, result] of lines) assert.doesNotMatch(result, /Not imported/, `${file}: ${result}`);
  await closeImport(app);
  await assertInert(app, "import results");

  // Codebook CSV: a code per payload, each described by all of them, under a hostile theme.
  const theme = `${P.css} theme`;
  const codebook = [
    "name,description,parent",
    `${csv(theme)},${csv(ALL.join(" "))},`,
    ...ALL.map((p) => `${csv(`${p} code`)},${csv(ALL.join(" "))},${csv(theme)}`),
  ].join("\n");
  await page.getByLabel("Import codebook CSV", { exact: true }).setInputFiles({
    name: "hostile-codebook.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(codebook),
  });
  const preview = app.byRole("dialog", "Import codebook");
  await preview.waitFor();
  await assertInert(app, "codebook import preview");
  await assertShown(app, "codebook import preview", [theme, `${P.script} code`]);
  await preview.getByRole("button", { name: `Import ${ALL.length + 1} codes` }).click();
  await preview.waitFor({ state: "detached" });
  await codeItem(app, theme).waitFor();

  // Case table CSV: a case per payload with a hostile attribute and values.
  await showView(app, "Cases");
  const attr = `${P.frame} remark`;
  const cases = ["case,parent," + csv(attr), ...ALL.map((p) => `${csv(`${p} case`)},,${csv(`${p} value`)}`)].join("\n");
  await page.getByLabel("Import case table CSV", { exact: true }).setInputFiles({
    name: "hostile-cases.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(cases),
  });
  const casesPreview = app.byRole("dialog", "Import case table");
  await casesPreview.waitFor();
  await assertInert(app, "case table import preview");
  await casesPreview.getByRole("button", { name: "Import", exact: true }).click();
  await casesPreview.waitFor({ state: "detached" });
  await app.byRole("region", "Cases").getByText(`${P.svg} case`, { exact: true }).first().waitFor();
  await assertInert(app, "cases view");
  await assertShown(app, "cases view", [...ALL.map((p) => `${p} case`), `${P.img} value`]);

  // Reading: the page's text, the codebook with every hostile code, the sources list.
  await showView(app, "Reading");
  await openSource(app, "hostile-page");
  await assertInert(app, "reading view");
  await assertShown(app, "reading view", [...ALL.map((p) => `Participant: ${p}`), `${P.js} code`, theme]);
  const sources = await page.getByRole("navigation", { name: "Sources" }).innerText();
  assert.ok(sources.includes(P.img), `the .txt named with markup is listed by its name: ${sources}`);
  const text = await reader(app, "hostile-page").innerText();
  for (const gone of ["window.__pwned='file'", "evil.example/file", "window.__pwned='click'", "javascript:"]) {
    assert.ok(!text.includes(gone) || ALL.some((p) => p.includes(gone)), `the file's own markup is not text: ${gone}`);
  }
  assert.ok(!text.includes("__pwned='file'"), "the file's script is not text");
  // Code a hostile passage with a hostile code, so it shows in matrices, crosstabs, search.
  await codePhrase(app, `Participant: ${P.script}`, `${P.img} code`);
  await assertInert(app, "a hostile passage coded with a hostile code");
  await page.getByRole("treeitem", { name: new RegExp(`^${escapeRe(`${P.img} code`)}, `) }).click();
  await assertInert(app, "code details");
  await app.screenshot("hostile-reading");

  await showView(app, "Matrices");
  await assertInert(app, "matrices");
  await showView(app, "Search");
  const box = app.byRole("searchbox", "Search the sources");
  await box.fill("window");
  await box.press("Enter");
  await page.waitForFunction(() => document.querySelector(".search-results")?.getAttribute("aria-busy") === "false"
    && document.querySelectorAll(".search-results li").length > 0);
  await assertInert(app, "search results");
  await assertShown(app, "search results", ["window.__pwned='script'"]);
  await app.screenshot("hostile-search");

  await showView(app, "Crosstabs");
  await app.byRole("table", "Crosstab").waitFor();
  await assertInert(app, "crosstabs");
  await assertShown(app, "crosstabs", [`${P.img} code`]);
  await showView(app, "Agreement");
  await assertInert(app, "agreement");

  // The project file: saved, given a new id and name, opened from the home screen.
  const saved = await downloadProjectFile(app, tempDir());
  const file = saved.file;
  file.project.id = "0b7c1d4e-52a1-4c3f-9a55-1c2d3e4f5a6b";
  file.project.name = `${P.script} project`;
  const again = path.join(tempDir(), "hostile.framewise.json");
  fs.writeFileSync(again, JSON.stringify(file));
  await saveStatus(app).filter({ hasText: "Saved in this browser" }).waitFor();
  await app.byRole("button", "Back to projects").click();
  await openProjectFile(app, again, `${P.script} project`);
  await assertInert(app, "the project file opened");
  await openSource(app, "hostile-page");
  await assertShown(app, "the project file opened", [`${P.script} project`, `Participant: ${P.frame}`, theme]);
  await showView(app, "Cases");
  await assertInert(app, "the project file's cases");
  await assertShown(app, "the project file's cases", [`${P.css} case`]);
  assert.equal(dialogs, 0);
});
