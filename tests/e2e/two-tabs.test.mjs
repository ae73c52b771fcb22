// One project open in two tabs of the same browser (one context = one profile, one IndexedDB)
// must never lose an edit: a tab that has not seen another tab's change may not write its stale
// copy of a record over it. One tab holds a project (Web Lock); another tab that opens it is
// told so and may take it over ("Use it here"); and under that, every write checks the
// project's stored revision, so even a tab that slept through a take-over writes nothing stale.
import assert from "node:assert/strict";
import { appTest, byRole } from "./harness.mjs";
import { codeItem, createProject, storedRecords, waitForHome } from "./steps.mjs";

const PROJECT = "Two tabs study";
const SAVED = "Saved in this browser";

/** A second tab of the same browser profile, with the harness's checks of the first. */
async function secondTab(app) {
  const page = await app.context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.text().startsWith("[e2e] CSP violation ")) problems.push(msg.text());
  });
  page.on("pageerror", (err) => problems.push(String(err)));
  await page.goto(app.url, { waitUntil: "load" });
  await page.waitForFunction(() => window.__framewiseE2E?.started === true, null, { timeout: 20_000 });
  return {
    page,
    byRole: (role, name, opts) => byRole(page, role, name, opts),
    assertClean: () => assert.deepEqual(problems, [], "the second tab logged errors"),
  };
}

function status(tab) {
  return tab.page.locator(".toolbar [role=status]");
}

async function waitSaved(tab) {
  await tab.page.waitForFunction(
    (saved) => document.querySelector(".toolbar [role=status]")?.innerText.trim() === saved,
    SAVED,
  );
}

/** The stored code records of the project, parsed. */
async function storedCodes(tab) {
  return (await storedRecords(tab, "codes")).map((r) => JSON.parse(r.json));
}

/** Open the listed project; if another tab has it, answer "Use it here". */
async function openHere(tab) {
  await waitForHome(tab);
  await tab.byRole("button", `Open ${PROJECT}`).click();
  const dialog = tab.byRole("dialog", "This project is open in another tab");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Use it here", exact: true }).click();
  await tab.byRole("heading", PROJECT, { level: 1 }).waitFor({ timeout: 15_000 });
}

async function selectCode(tab, name) {
  await codeItem(tab, name).click();
  await tab.page.getByRole("region", { name: `Code ${name}` }).waitFor();
}

async function renameCode(tab, from, to) {
  await selectCode(tab, from);
  const field = tab.page.getByRole("region", { name: `Code ${from}` }).getByLabel("Name", { exact: true });
  await field.fill(to);
  await field.press("Enter");
  await codeItem(tab, to).waitFor();
}

async function describeCode(tab, name, text) {
  await selectCode(tab, name);
  const field = tab.page
    .getByRole("region", { name: `Code ${name}` })
    .getByLabel("Description (definition, inclusion criteria)");
  await field.fill(text);
  await field.blur();
}

/** Tab A creates the project with one code "Trust" and saves it. */
async function setUp(a) {
  await createProject(a, PROJECT);
  await a.byRole("textbox", "New code name").fill("Trust");
  await a.byRole("button", "Add code").click();
  await codeItem(a, "Trust").waitFor();
  await waitSaved(a);
}

/** The tab that let go shows the home screen and says why. */
async function assertLetGo(tab, message) {
  await tab.page.getByRole("alert").filter({ hasText: message }).waitFor();
  await waitForHome(tab);
  assert.equal(await tab.byRole("heading", PROJECT, { level: 1 }).count(), 0);
}

for (const order of ["A renames, then B describes", "B renames, then A describes"]) {
  appTest(`two tabs take turns on one project and lose no edit (${order})`, async (a) => {
    await a.page.evaluate(() => localStorage.setItem("framewise.coder", "E2E coder"));
    await setUp(a);
    const b = await secondTab(a);
    const [first, second] = order.startsWith("A") ? [a, b] : [b, a];

    // B opens the project A holds: it is told so, A keeps editing until B asks for it.
    await waitForHome(b);
    await b.byRole("button", `Open ${PROJECT}`).click();
    const dialog = b.byRole("dialog", "This project is open in another tab");
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await a.byRole("heading", PROJECT, { level: 1 }).waitFor();

    if (first === b) {
      await openHere(b);
      await assertLetGo(a, "now open in another tab");
    }
    await renameCode(first, "Trust", "Trust in staff");
    await waitSaved(first);

    // The other tab takes it over: it reads the renamed code, never its own stale copy.
    await openHere(second);
    await assertLetGo(first, "now open in another tab");
    await codeItem(second, "Trust in staff").waitFor();
    assert.equal(await codeItem(second, "Trust").count(), 0);
    await describeCode(second, "Trust in staff", "Confidence in the practice team");
    await waitSaved(second);

    const codes = await storedCodes(a);
    assert.equal(codes.length, 1, JSON.stringify(codes));
    assert.equal(codes[0].name, "Trust in staff", "the rename survived the other tab's edit");
    assert.equal(codes[0].description, "Confidence in the practice team");

    // And back again: the first tab reads both edits.
    await openHere(first);
    await selectCode(first, "Trust in staff");
    const description = first.page
      .getByRole("region", { name: "Code Trust in staff" })
      .getByLabel("Description (definition, inclusion criteria)");
    assert.equal(await description.inputValue(), "Confidence in the practice team");
    b.assertClean();
  });
}

appTest(
  "a tab that slept through a take-over writes nothing over the newer data when it wakes",
  async (a) => {
    await a.page.evaluate(() => localStorage.setItem("framewise.coder", "E2E coder"));
    await setUp(a);
    const b = await secondTab(a);

    // A makes a change and falls asleep before saving it (its save timer is stretched to 3 s,
    // then the page is frozen as Chrome freezes background tabs).
    await a.page.evaluate(() => {
      const real = window.setTimeout;
      window.setTimeout = (fn, ms, ...args) => real(fn, ms === 300 ? 3000 : ms, ...args);
    });
    await renameCode(a, "Trust", "Stale name from the sleeping tab");
    const cdp = await a.context.newCDPSession(a.page);
    await cdp.send("Page.setWebLifecycleState", { state: "frozen" });

    // B takes the project over (A cannot answer: B takes its lock after waiting) and edits.
    await openHere(b);
    // B reads what was stored when A fell asleep (A's change, if its save got out first).
    const stored = (await storedCodes(b)).map((c) => c.name);
    assert.equal(stored.length, 1, JSON.stringify(stored));
    await codeItem(b, stored[0]).waitFor();
    await renameCode(b, stored[0], "Trust in staff");
    await waitSaved(b);
    await new Promise((r) => setTimeout(r, 4000)); // A's stretched save is now long overdue

    // A wakes: it stops editing and writes nothing over B's work.
    await cdp.send("Page.setWebLifecycleState", { state: "active" });
    await assertLetGo(a, /took this project over|now open in another tab/);
    await new Promise((r) => setTimeout(r, 1000));
    let codes = await storedCodes(b);
    assert.deepEqual(codes.map((c) => c.name), ["Trust in staff"]);

    // B keeps saving normally.
    await describeCode(b, "Trust in staff", "Confidence in the practice team");
    await waitSaved(b);
    codes = await storedCodes(b);
    assert.deepEqual(
      codes.map((c) => [c.name, c.description]),
      [["Trust in staff", "Confidence in the practice team"]],
    );
    assert.equal((await status(b).innerText()).trim(), SAVED);
    b.assertClean();
  },
  { timeout: 90_000 },
);

appTest(
  "without Web Locks, a stale tab's write is refused and reported, never written over newer data",
  async (a) => {
    await a.page.evaluate(() => localStorage.setItem("framewise.coder", "E2E coder"));
    await setUp(a);
    // A second tab in a browser without Web Locks: nothing stops it opening the project too.
    await a.context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined });
    });
    const b = await secondTab(a);
    await waitForHome(b);
    await b.byRole("button", `Open ${PROJECT}`).click();
    await b.byRole("heading", PROJECT, { level: 1 }).waitFor();
    await waitSaved(b);

    // B opened it after A: A's copy is stale, so A's edit is refused with a message.
    await renameCode(b, "Trust", "Trust in staff");
    await waitSaved(b);
    await describeCode(a, "Trust", "Written by the stale tab");
    await a.page.getByRole("alert").filter({ hasText: "changed in another tab" }).waitFor();
    assert.equal((await status(a).innerText()).trim(), "Not saved!");
    const codes = await storedCodes(b);
    assert.deepEqual(
      codes.map((c) => [c.name, c.description]),
      [["Trust in staff", ""]],
    );
    b.assertClean();
  },
);
