// The workshop flow (issue 11, README "Workshop flow"): a facilitator prepares a project (two
// short texts, a codebook of three codes, one example coding) and saves it to a file; two
// participants, each in a browser profile of their own, open the app, go offline, open that
// file, say who is coding, code some passages and save their files; the facilitator merges both
// files back into the prepared project (a preview first), opens Agreement, chooses the two
// participants and reads the numbers worked out by hand below, resolves one disagreement with
// "Keep …’s" and takes it back with Undo. No browser makes a request off its own origin.
//
// The texts are tests/e2e/fixtures/workshop-*.txt (invented for this test, no participant data).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { openApp, REPO_ROOT } from "./harness.mjs";
import {
  addCode,
  closeImport,
  codePhrase,
  codingText,
  coderButton,
  createProject,
  downloadProjectFile,
  importFiles,
  mergeProjectFile,
  openCoders,
  openProjectFile,
  openSource,
  reloadHome,
  saveStatus,
  showView,
  tempDir,
  toolbarRows,
  waitForController,
} from "./steps.mjs";

const FIXTURES = path.join(REPO_ROOT, "tests", "e2e", "fixtures");
const TRANSPORT = path.join(FIXTURES, "workshop-transport.txt");
const LETTERS = path.join(FIXTURES, "workshop-letters.txt");
const PROJECT = "Clinic access workshop";

// What each participant codes: [source file, phrase, code]. Offsets (characters; the texts are
// ASCII, so bytes too) in the fixtures, checked against the saved files below:
//   workshop-transport.txt (166 characters):
//     [0, 38)   "The bus to the clinic runs twice a day"
//     [0, 88)   "The bus to the clinic runs twice a day, so missing it means waiting until the afternoon."
//     [90, 124) "A neighbour drives me when she can"
//   workshop-letters.txt (135 characters):
//     [0, 36)   "The nurse phoned back within an hour"   (the facilitator's example coding)
//     [41, 74)  "explained the new tablets clearly"
//     [77, 134) "The letter from the hospital used words I had to look up."
const PRIYA = [
  [TRANSPORT, "The bus to the clinic runs twice a day", "Access"],
  [TRANSPORT, "A neighbour drives me when she can", "Support"],
  [LETTERS, "explained the new tablets clearly", "Communication"],
  [LETTERS, "The letter from the hospital used words I had to look up.", "Communication"],
];
const SAM = [
  [TRANSPORT, "The bus to the clinic runs twice a day, so missing it means waiting until the afternoon.", "Access"],
  [TRANSPORT, "A neighbour drives me when she can", "Support"],
  [LETTERS, "The letter from the hospital used words I had to look up.", "Communication"],
];

// Agreement by hand, characters (every character of both sources is one unit per code:
// N = 166 + 135 = 301), first coder Priya, second Sam:
//   Access:        both 38 ([0,38)), Priya only 0, Sam only 50 ([38,88)), neither 301 − 88 = 213
//                  Po = (38 + 213)/301 = 251/301 = 83.39 %
//                  p₁ = 38/301, p₂ = 88/301, Pe = (38·88 + 263·213)/301² = 59363/90601
//                  κ = (Po − Pe)/(1 − Pe) = (251·301 − 59363)/(90601 − 59363) = 16188/31238 = 0.518
//                  α (n = 602 values, n₁ = 2·38 + 50 = 126 coded, n₀ = 476, o₀₁ = 50):
//                  1 − 601·50/(476·126) = 1 − 30050/59976 = 0.499
//   Communication: both 57 ([77,134)), Priya only 33 ([41,74)), Sam only 0, neither 211
//                  Po = 268/301 = 89.04 %; p₁ = 90/301, p₂ = 57/301,
//                  Pe = (90·57 + 211·244)/90601 = 56614/90601,
//                  κ = (268·301 − 56614)/(90601 − 56614) = 24054/33987 = 0.708
//                  α: n₁ = 2·57 + 33 = 147, n₀ = 455, o₀₁ = 33: 1 − 601·33/(455·147) = 0.703
//   Support:       both 34, nothing else: 100 %, κ = 1, α = 1
//   Overall (the three tables pooled, 3·301 = 903 units): both 129, Priya only 33, Sam only 50,
//                  neither 691: Po = 820/903 = 90.81 %; p₁ = 162/903, p₂ = 179/903,
//                  Pe = (162·179 + 741·724)/903² = 565482/815409,
//                  κ = (820·903 − 565482)/(815409 − 565482) = 174978/249927 = 0.700
//                  α: n = 1806, n₁ = 2·129 + 83 = 341, n₀ = 1465, o₀₁ = 83:
//                  1 − 1805·83/(1465·341) = 0.700
// Disagreements: Access in the transport text (Priya's [0,38) against Sam's [0,88)) and
// Communication at [41,74) in the letters text (Priya only); at [77,134) they agree.
// After "Keep Priya’s" on Access, Access is 100 % (both 38), and overall both 129, Priya only
// 33, Sam only 0: Po = 870/903 = 96.3 %.
const EXPECTED = {
  Access: ["83.4 %", "0.518", "0.499", "38", "0", "50"],
  Communication: ["89.0 %", "0.708", "0.703", "57", "33", "0"],
  Support: ["100.0 %", "1.000", "1.000", "34", "0", "0"],
  Overall: ["90.8 %", "0.700", "0.700", "129", "33", "50"],
};

/** The source name a fixture file gets (its file name without the extension). */
function sourceName(file) {
  return path.basename(file, ".txt");
}

/** `[start, end)` of `phrase` in `file` (bytes: the fixtures are ASCII). */
function spanOf(file, phrase) {
  const start = fs.readFileSync(file, "utf8").indexOf(phrase);
  assert.ok(start >= 0, `${phrase} is in ${file}`);
  return [start, start + phrase.length];
}

/** The saved project's codings of `coder` as sorted "source [start,end) code" lines. */
function codingLines(file, coder) {
  const p = file.project;
  const source = new Map(p.sources.map((s) => [s.id, s.name]));
  const code = new Map(p.codes.map((c) => [c.id, c.name]));
  return p.codings
    .filter((c) => c.coder === coder)
    .map((c) => `${source.get(c.source)} [${c.start},${c.end}) ${code.get(c.code)}`)
    .sort();
}

function expectedLines(plan) {
  return plan.map(([file, phrase, code]) => `${sourceName(file)} [${spanOf(file, phrase).join(",")}) ${code}`).sort();
}

/** A table row of the Agreement view: the cells after the row's name. */
async function agreementRow(app, name) {
  const row = app.page.locator("table.agreement-table tr").filter({ has: app.page.locator("th", { hasText: new RegExp(`^${name}$`) }) });
  return row.locator("td").allInnerTexts();
}

async function agreementTable(app) {
  const out = {};
  for (const name of Object.keys(EXPECTED)) out[name] = await agreementRow(app, name);
  return out;
}

function disagreementStatus(app) {
  return app.page.getByRole("region", { name: "Disagreements" }).getByRole("status");
}

/**
 * A participant: a browser profile of their own that visits the app once (the service worker
 * keeps it), goes offline, opens the facilitator's file, becomes `coder`, codes `plan` and saves
 * the project to a file. `askedAtFirstCoding`: name given when the first coding asks "Who is
 * coding?"; otherwise through the toolbar's coder button first.
 */
async function participant(handout, coder, plan, askedAtFirstCoding) {
  const app = await openApp();
  try {
    await waitForController(app);
    await app.context.setOffline(true);
    await reloadHome(app);
    await openProjectFile(app, handout, PROJECT);
    await app.page.locator(".reader p.para").first().waitFor();
    // The file's project is now stored in this browser; with "Coder not set" and the longest
    // save status the toolbar is still one row (it used to gain a row with each "Saved in this
    // browser" and move the text under the participant's first drag).
    await saveStatus(app).getByText("Saved in this browser", { exact: true }).waitFor();
    assert.equal(await toolbarRows(app), 1, "the toolbar is one row");
    if (!askedAtFirstCoding) {
      assert.equal(await coderButton(app).getAttribute("aria-label"), "Coder: not set");
      const dialog = await openCoders(app);
      await dialog.getByLabel("Coding as").fill(coder);
      await dialog.getByRole("button", { name: "Switch coder", exact: true }).click();
      await app.page.waitForFunction((c) => document.querySelector(".coder-button")?.getAttribute("aria-label") === `Coder: ${c}`, coder);
      await dialog.getByRole("button", { name: "Done", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
    }
    let asked = !askedAtFirstCoding;
    for (const [file, phrase, code] of plan) {
      await openSource(app, sourceName(file));
      await codePhrase(app, phrase, code, asked ? {} : { coder });
      asked = true;
    }
    assert.equal(await coderButton(app).getAttribute("aria-label"), `Coder: ${coder}`);
    const saved = await downloadProjectFile(app, tempDir(`framewise-${coder}-`));
    assert.deepEqual(codingLines(saved.file, coder), expectedLines(plan), `${coder}'s codings`);
    for (const c of saved.file.project.codings.filter((c) => c.coder === coder)) {
      assert.ok(plan.some(([, phrase]) => phrase === codingText(saved.file, c)), codingText(saved.file, c));
    }
    // Still offline: nothing left the machine, nothing failed.
    assert.equal(await app.page.evaluate(() => navigator.onLine), false);
    app.assertClean();
    return saved;
  } finally {
    await app.close();
  }
}

test("workshop: prepare, hand out, code offline in two profiles, merge back, show agreement", { timeout: 240_000 }, async () => {
  // --- The facilitator prepares the project and saves it to a file.
  const lead = await openApp();
  try {
    const { page } = lead;
    await createProject(lead, PROJECT);
    const { lines } = await importFiles(lead, [TRANSPORT, LETTERS]);
    assert.equal(lines.size, 2);
    for (const line of lines.values()) assert.match(line, /^Imported/);
    await closeImport(lead);
    for (const code of ["Access", "Communication", "Support"]) await addCode(lead, code);
    // An example coding to show participants how it is done ("Who is coding?": Facilitator).
    await openSource(lead, sourceName(LETTERS));
    await codePhrase(lead, "The nurse phoned back within an hour", "Communication", { coder: "Facilitator" });
    const handout = await downloadProjectFile(lead, tempDir("framewise-handout-"));
    assert.equal(handout.name, `${PROJECT}.framewise.json`);
    const prepared = handout.file.project;
    assert.deepEqual(prepared.codes.map((c) => c.name).sort(), ["Access", "Communication", "Support"]);
    for (const file of [TRANSPORT, LETTERS]) {
      const source = prepared.sources.find((s) => s.name === sourceName(file));
      assert.equal(source?.text, fs.readFileSync(file, "utf8"), "the source text is the fixture as it is (the offsets above)");
    }
    assert.deepEqual(codingLines(handout.file, "Facilitator"), [`${sourceName(LETTERS)} [0,36) Communication`]);

    // --- Two participants, each in a profile of their own, offline.
    const priya = await participant(handout.path, "Priya", PRIYA, true);
    const sam = await participant(handout.path, "Sam", SAM, false);

    // --- The facilitator merges both files into the prepared project, from the Agreement view
    // (whose empty state says to do just that).
    await showView(lead, "Agreement");
    const view = page.getByRole("region", { name: "Agreement" });
    assert.match(await view.innerText(), /one coder, “Facilitator”/);
    for (const [who, saved, n] of [["Priya", priya, 4], ["Sam", sam, 3]]) {
      const dialog = await mergeProjectFile(lead, saved.path);
      // Both returned files carry the prepared file's name: the preview says whose codings come.
      assert.match(await dialog.innerText(), new RegExp(`\\(project “${PROJECT}”\\)\\. New codings by ${who}\\. Nothing changes`));
      const region = (name) => dialog.getByRole("region", { name });
      assert.equal((await region("New").getByRole("heading").innerText()).trim(), `New: ${n} codings`, `${who}'s codings are new`);
      const here = (await region("Already here").getByRole("heading").innerText()).trim();
      assert.ok(here.startsWith("Already here: 2 sources, 3 codes, 1 coding"), here);
      assert.equal((await region("Conflicts").getByRole("heading").innerText()).trim(), "Conflicts (0): this project's version is kept");
      if (who === "Sam") {
        await lead.nextFrame();
        await lead.screenshot("workshop-merge-preview");
      }
      await dialog.getByRole("button", { name: "Merge", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
    }

    // --- Agreement between the two participants.
    // The view was open while the coders came in: it offers the first two at once.
    await page.locator("table.agreement-table").waitFor();
    const first = view.getByRole("combobox", { name: /^First coder/ });
    const second = view.getByRole("combobox", { name: /^Second coder/ });
    assert.deepEqual([await first.inputValue(), await second.inputValue()], ["Facilitator", "Priya"]);
    assert.equal(await view.getByRole("alert").count(), 0);
    await first.selectOption("Priya");
    await second.selectOption("Sam");
    await page.waitForFunction(() => [...document.querySelectorAll("table.agreement-table thead th")].some((th) => th.textContent === "Sam only"));
    assert.deepEqual(
      await page.locator("table.agreement-table thead th").allInnerTexts(),
      ["Code", "Agreement", "Kappa", "Alpha", "Both", "Priya only", "Sam only"],
    );
    assert.match(await page.locator("table.agreement-table caption").innerText(), /^Characters of 2 sources \(301 characters\)/);
    assert.deepEqual(await agreementTable(lead), EXPECTED);
    assert.equal(await disagreementStatus(lead).innerText(), "Disagreements: 2 passages");
    const access = page.getByRole("listitem", { name: `Access in ${sourceName(TRANSPORT)}` });
    const communication = page.getByRole("listitem", { name: `Communication in ${sourceName(LETTERS)}` });
    assert.match(await access.innerText(), /twice a day, so missing it/);
    assert.match(await communication.innerText(), /explained the new tablets clearly/);
    await lead.nextFrame();
    await lead.screenshot("workshop-agreement");

    // --- Resolve Access with Priya's version; Undo brings the disagreement back.
    await access.getByRole("button", { name: "Keep Priya’s", exact: true }).click();
    await access.waitFor({ state: "detached" });
    assert.equal(await disagreementStatus(lead).innerText(), "Disagreements: 1 passage");
    assert.deepEqual((await agreementRow(lead, "Access")).slice(0, 6), ["100.0 %", "1.000", "1.000", "38", "0", "0"]);
    assert.deepEqual((await agreementRow(lead, "Overall")).slice(0, 1), ["96.3 %"]);
    await lead.byRole("button", "Undo").click();
    await access.waitFor();
    assert.equal(await disagreementStatus(lead).innerText(), "Disagreements: 2 passages");
    assert.deepEqual(await agreementTable(lead), EXPECTED);

    // Nothing left 127.0.0.1 in the facilitator's browser either.
    assert.deepEqual(lead.offOrigin(), []);
    lead.assertClean();
  } catch (err) {
    await lead.screenshot("FAILED-workshop").catch(() => {});
    throw err;
  } finally {
    await lead.close();
  }
});
