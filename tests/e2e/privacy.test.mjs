// Privacy: a whole session (import, code, retrieve, save to file, open the demo) with every
// request of the browser context recorded: nothing leaves 127.0.0.1, and the page was served
// with its Content-Security-Policy.
import assert from "node:assert/strict";
import fs from "node:fs";
import { appTest, corpusPath } from "./harness.mjs";
import {
  applyCodeFromPicker,
  closeImport,
  codeItem,
  codedRuns,
  createProject,
  dragSelect,
  importFiles,
  presetCoder,
  waitForStored,
} from "./steps.mjs";

appTest("a whole session makes no request beyond 127.0.0.1", async (app) => {
  const { page, context } = app;
  // Record at the context level too (service workers, downloads, popups would show here).
  const contextRequests = [];
  context.on("request", (r) => contextRequests.push(r.url()));
  const csp = await page.evaluate(
    () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content") ?? null,
  );
  assert.ok(csp, "the served page carries a CSP meta tag");
  assert.match(csp, /(^|;)\s*default-src 'self'\s*(;|$)/);
  assert.match(csp, /(^|;)\s*connect-src 'self'\s*(;|$)/);

  await presetCoder(app);
  await createProject(app, "Private study");
  const { lines } = await importFiles(app, [corpusPath("consultations", "MSK0001.txt")]);
  assert.match(lines.get("MSK0001.txt"), /^Imported:/);
  await closeImport(app);
  const phrase = (await page.locator(".reader p.para").nth(1).innerText()).split(":").slice(1).join(":").trim().split(" ").slice(0, 5).join(" ");
  await dragSelect(app, phrase);
  await applyCodeFromPicker(app, "Confidential");
  await page.waitForFunction(() => document.querySelectorAll(".reader [data-coded]").length > 0);
  assert.deepEqual(await codedRuns(app, "Confidential"), [phrase]);
  await page.keyboard.press("Escape");

  // Retrieve the code.
  await codeItem(app, "Confidential").locator(".code-name").click();
  await page
    .getByRole("region", { name: "Code Confidential", exact: true })
    .getByRole("button", { name: "Retrieve segments", exact: true })
    .click();
  const retrieval = page.getByRole("region", { name: "Retrieved segments" });
  await retrieval.waitFor();
  assert.equal(await retrieval.getByRole("status").innerText(), "1 segment in 1 source");
  assert.equal(await retrieval.locator("mark.coded-text").innerText(), phrase);

  // Save to file: a download of the project as JSON, made in the page (a blob), not uploaded.
  const [download] = await Promise.all([page.waitForEvent("download"), app.byRole("button", "Save to file").click()]);
  assert.equal(download.suggestedFilename(), "Private study.framewise.json");
  assert.match(download.url(), /^(blob|data):/, `the file is made in the page: ${download.url()}`);
  const file = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  assert.equal(file.format, "framewise-project");
  assert.ok(Number.isInteger(file.version) && file.version >= 1, `a versioned file: ${file.version}`);
  assert.equal(file.project.name, "Private study");
  assert.equal(file.project.sources.length, 1);
  assert.ok(file.project.sources[0].text.includes(phrase));
  const code = file.project.codes.find((c) => c.name === "Confidential");
  assert.ok(code, "the code is in the file");
  assert.equal(file.project.codings.length, 1);
  const coding = file.project.codings[0];
  assert.equal(coding.code, code.id);
  const text = file.project.sources[0].text;
  const bytes = Buffer.from(text, "utf8");
  assert.equal(bytes.subarray(coding.start, coding.end).toString("utf8"), phrase, "the coding's span is the phrase");

  // Open the demo too.
  await waitForStored(app, "Private study", (r) => r.codings === 1);
  await app.byRole("button", "Back to projects").click();
  await app.byRole("button", "Open demo project").click();
  await app.byRole("heading", "Sources (8)").waitFor();
  await app.nextFrame();

  // Every request stayed on the app's own origin.
  assert.ok(app.requests.some((r) => r.url.endsWith(".wasm")), "requests were recorded");
  const allUrls = [...app.requests.map((r) => r.url), ...contextRequests];
  const off = allUrls.filter((u) => {
    const url = new URL(u);
    if (["blob:", "data:", "about:"].includes(url.protocol)) return false;
    return url.hostname !== "127.0.0.1" || url.origin !== app.origin;
  });
  assert.deepEqual(off, [], "no request left 127.0.0.1");
  assert.deepEqual(app.offOrigin(), []);
  assert.deepEqual(app.cspViolations, [], "nothing was blocked by the CSP either");
});
