// Issue 12 ("hostile content is inert"): names carrying HTML and script — as an imported file
// name, a .qdpx or a CSV could bring them — show as text in the app: no element is made from
// them, no script runs, nothing is fetched (the harness fails on any off-origin request, console
// error or CSP violation).
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { codeItem, createProject, presetCoder, showView } from "./steps.mjs";

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
