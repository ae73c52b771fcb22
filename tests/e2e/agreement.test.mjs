// Agreement (issue 11): the Agreement tab on a project file opened from the home screen, with
// the worked example of core/tests/agreement.rs (computed in the worker, shown in the page),
// the segment unit, and a disagreement resolved with "Keep Ana’s" as one undoable step.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { appTest } from "./harness.mjs";
import { presetCoder, showView, tempDir, waitForHome } from "./steps.mjs";

/**
 * A project file (format version 1, see core/src/persist/file.rs): one source
 * "abcdefghij klmnop" (17 characters); code X coded by Ana at 0..6 and Ben at 2..8, code Y by
 * both at 11..14.
 */
function projectFile() {
  const now = 1_767_000_000_000;
  const source = {
    id: randomUUID(),
    name: "Interview 1",
    kind: "interview",
    memo: "",
    imported: now,
    file_name: "Interview 1.txt",
    text: "abcdefghij klmnop",
  };
  const codes = ["X", "Y"].map((name, i) => ({
    id: randomUUID(),
    name,
    parent: null,
    color: "#e69f00",
    description: "",
    origin: "inductive",
    memo: "",
    created: now + i,
  }));
  const codings = [
    ["Ana", 0, 0, 6],
    ["Ben", 0, 2, 8],
    ["Ana", 1, 11, 14],
    ["Ben", 1, 11, 14],
  ].map(([coder, code, start, end], i) => ({
    id: randomUUID(),
    source: source.id,
    code: codes[code].id,
    start,
    end,
    coder,
    created: now + 10 + i,
  }));
  codings.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
  const project = {
    id: randomUUID(),
    name: "Agreement check",
    memo: "",
    created: now,
    modified: now,
    last_opened: now,
    sources: [source],
    codes,
    codings,
  };
  return JSON.stringify({ format: "framewise-project", version: 1, project });
}

/** The cells (after the code name) of the agreement table's row `name`. */
function row(app, name) {
  return app.page.evaluate((name) => {
    const tr = [...document.querySelectorAll("table.agreement-table tr")].find(
      (r) => r.querySelector("th")?.textContent.trim() === name,
    );
    return tr ? [...tr.querySelectorAll("td")].map((td) => td.textContent.trim()) : null;
  }, name);
}

/** Waits until row `name`'s first cells are `expected`. */
async function rowStarts(app, name, expected) {
  await app.page.waitForFunction(
    ([name, expected]) => {
      const tr = [...document.querySelectorAll("table.agreement-table tr")].find(
        (r) => r.querySelector("th")?.textContent.trim() === name,
      );
      const cells = tr ? [...tr.querySelectorAll("td")].map((td) => td.textContent.trim()) : [];
      return expected.every((v, i) => cells[i] === v);
    },
    [name, expected],
  );
}

appTest("agreement: the worked example, the segment unit, and a resolved disagreement", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await waitForHome(app);
  const file = path.join(tempDir(), "Agreement check.framewise.json");
  fs.writeFileSync(file, projectFile());
  await page.getByLabel("Open project file", { exact: true }).setInputFiles(file);
  await page.getByRole("heading", { name: "Agreement check", level: 1 }).waitFor();
  await showView(app, "Agreement");
  assert.match(await page.evaluate(() => location.hash), /^#\/p\/[0-9a-f-]{36}\/agreement$/);

  // The coders offered are the names on the codings; Ana and Ben are chosen.
  assert.equal(await page.getByLabel("First coder").inputValue(), "Ana");
  assert.equal(await page.getByLabel("Second coder").inputValue(), "Ben");
  // 17 characters. X: both 4 (cdef), Ana only 2 (ab), Ben only 2 (gh), neither 9:
  // Po = 13/17 = 76.5 %; p = 6/17 for each coder; Pe = (6·6 + 11·11)/17² = 157/289;
  // κ = (221 − 157)/(289 − 157) = 64/132 = 0.485; α (nominal, 2 coders) = 0.500.
  await page.locator("table.agreement-table").waitFor();
  assert.deepEqual(await row(app, "X"), ["76.5 %", "0.485", "0.500", "4", "2", "2"]);
  assert.deepEqual((await row(app, "Y")).slice(0, 2), ["100.0 %", "1.000"]);
  const status = page.locator(".disagreements [role=status]");
  assert.equal(await status.innerText(), "Disagreements: 1 passage");
  const item = page.getByRole("listitem", { name: "X in Interview 1" });
  assert.match(await item.innerText(), /abcdef/);
  assert.match(await item.innerText(), /cdefgh/);
  await app.screenshot("agreement");

  // Segments at 90 %: X's two segments overlap on 4 of their 6 characters: unmatched.
  await page.getByLabel("Unit").selectOption("segment");
  await rowStarts(app, "X", ["0.0 %"]);
  await page.getByLabel("Minimum overlap (%)").waitFor();
  await page.getByLabel("Unit").selectOption("char");
  await rowStarts(app, "X", ["76.5 %"]);

  // Keep Ana’s: the coders agree on X; Undo brings the disagreement back.
  await item.getByRole("button", { name: "Keep Ana’s" }).click();
  await rowStarts(app, "X", ["100.0 %", "1.000"]);
  await page.waitForFunction(
    () => document.querySelector(".disagreements [role=status]")?.textContent ===
      "No disagreements: the two coders coded the same text.",
  );
  await app.byRole("button", "Undo").click();
  await rowStarts(app, "X", ["76.5 %", "0.485"]);
  assert.equal(await status.innerText(), "Disagreements: 1 passage");
});
