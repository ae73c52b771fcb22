// Crash safety (issue 12, "Reliability"): Chromium, on a profile of its own, is killed with
// SIGKILL (its whole process group: browser, renderers, storage) at random moments while a
// script edits a project — adds codes, renames codes, codes passages — and is started again on
// the same profile. After every restart the project must open and hold every edit the app had
// acknowledged as saved.
//
// "Acknowledged" means what the researcher sees: the toolbar's save status turning to
// "Saved in this browser" after the edit was on screen. The app shows it only once the
// IndexedDB write transaction has fired `complete` and no later change is waiting
// (src/storage.rs `Saver`; tests/storage.rs `saved_is_reported_only_when_every_change_is_stored`).
// A page-side MutationObserver numbers each change of the status to "Saved in this browser" and
// reports it at once through a binding; an edit is acknowledged when a "Saved" numbered after the
// edit became visible reached this script before the kill (a report still in flight at the kill
// counts as not acknowledged: the check can only under-count, never invent, acknowledgements).
//
// The check after each restart is strict: saves are atomic transactions of whole diffs, so the
// stored project must equal the project after some prefix of the edits that is at least as long
// as the acknowledged prefix (edits after the acknowledged ones may or may not have been kept).
// Anything else is reported as lost (or unexpected) edits.
//
//   node tests/e2e/crash.mjs [--kills 40] [--seed N] [--sabotage]     (after a release build;
//   `./x crash` builds and runs it; `./x test` runs 5 kills through crash.test.mjs)
//
// --sabotage makes IndexedDB silently drop every write of a code record while the status still
// says "Saved" (a fake browser bug, injected into the page) to show that the check catches lost
// edits.
// Environment: FRAMEWISE_DIST (default <repo>/dist), CHROMIUM (default /usr/bin/chromium).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./chromium.mjs";
import { startServer } from "./server.mjs";
import { applyCodeFromPicker, closeImport, codeItem, dragSelect, escapeRe, importFiles, waitForHome } from "./steps.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, "..", "..");
const PROJECT = "Crash study";
const SOURCE = "crash-source";
const SAVED = "Saved in this browser";
const LINES = 900;

/** A small seeded generator (mulberry32): the same seed gives the same edits and kill times. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// In the page before its scripts: number every change of the save status to "Saved in this
// browser" and report it to this script at once.
const WATCH = `
  (() => {
    window.__crash = { seq: 0, last: "" };
    const check = () => {
      const text = document.querySelector(".toolbar [role=status]")?.innerText.trim() ?? "";
      if (text === ${JSON.stringify(SAVED)} && window.__crash.last !== text) {
        window.__crash.seq += 1;
        try { window.__framewiseSaved(window.__crash.seq); } catch {}
      }
      window.__crash.last = text;
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  })();
`;

// --sabotage: a fake storage bug: writes of code records are dropped, yet the transaction
// completes (so the app says "Saved").
const SABOTAGE = `
  (() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (this.name === "codes") return this.get(key);
      return put.call(this, value, key);
    };
  })();
`;

/** Start Chromium on `profile` with a DevTools port; resolves when it can be connected to. */
async function launch(profile) {
  const exe = process.env.CHROMIUM ?? "/usr/bin/chromium";
  const child = spawn(
    exe,
    [
      ...CHROMIUM_ARGS,
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "--disable-session-crashed-bubble",
      "--noerrdialogs",
      "about:blank",
    ],
    // Its own process group, so that the kill takes every Chromium process at once.
    { detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const ws = await new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${text}`)), 30_000);
    child.stderr.on("data", (d) => {
      text += d;
      const m = text.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}) before it started:\n${text}`));
    });
  });
  const browser = await chromium.connectOverCDP(ws);
  return { child, exited, browser };
}

/** SIGKILL Chromium's whole process group and wait until the browser process is gone. */
async function kill(run) {
  try {
    process.kill(-run.child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
  await run.exited;
  // Let the group's other processes be reaped before the profile is used again.
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(-run.child.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The steps.mjs `app` shape over a page of our own browser. */
function appOf(page, url) {
  const byRole = (role, name, options = {}) => {
    const opts = { ...options };
    if (name !== undefined) {
      opts.name = name;
      if (!(name instanceof RegExp) && opts.exact === undefined) opts.exact = true;
    }
    return page.getByRole(role, opts);
  };
  return {
    page,
    url,
    byRole,
    async nextFrame() {
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    },
    async waitForStarted() {
      await page.waitForFunction(() => Boolean(document.querySelector("main")), null, { timeout: 30_000 });
    },
  };
}

/** The project as the codebook shows it: code name -> number of codings. */
async function shownCodes(app) {
  const labels = await app.page
    .getByRole("tree", { name: "Codebook" })
    .getByRole("treeitem")
    .evaluateAll((items) => items.map((i) => i.getAttribute("aria-label") ?? ""));
  const out = new Map();
  for (const label of labels) {
    const m = label.match(/^(.+?), ([\d,]+) codings?, /);
    if (!m) throw new Error(`unexpected codebook item label “${label}”`);
    out.set(m[1], Number(m[2].replace(/,/g, "")));
  }
  return out;
}

function applyEdit(state, edit) {
  const next = new Map(state);
  if (edit.kind === "add") next.set(edit.name, 0);
  if (edit.kind === "rename") {
    next.set(edit.to, next.get(edit.from) ?? 0);
    next.delete(edit.from);
  }
  if (edit.kind === "code") next.set(edit.name, (next.get(edit.name) ?? 0) + 1);
  return next;
}

function sameState(a, b) {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** What of `expected` (the acknowledged state) is missing or different in `actual`. */
function differences(expected, actual) {
  const out = [];
  for (const [name, n] of expected) {
    if (!actual.has(name)) out.push(`code “${name}” is missing`);
    else if (actual.get(name) < n) out.push(`code “${name}” has ${actual.get(name)} codings, ${n} were acknowledged`);
  }
  return out;
}

/**
 * Run the crash test. Returns { seed, kills, edits, acknowledged, lost: [sentences], problems,
 * cycles }. Each kill comes `killWindow` ms (random within it) after the edits start; `log` gets
 * one line per kill.
 */
export async function runCrashTest({
  kills = 5,
  seed = Date.now() % 1_000_000_000,
  sabotage = false,
  killWindow = [300, 5000],
  log = console.log,
} = {}) {
  const dist = path.resolve(process.env.FRAMEWISE_DIST ?? path.join(REPO_ROOT, "dist"));
  if (!fs.existsSync(path.join(dist, "index.html"))) throw new Error(`${dist}/index.html not found: build first (./x crash does)`);
  const random = rng(seed);
  const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "framewise-crash-"));
  const profile = path.join(dir, "profile");
  const sourceFile = path.join(dir, `${SOURCE}.txt`);
  const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
  fs.writeFileSync(
    sourceFile,
    Array.from({ length: LINES }, (_, i) => `Line ${String(i + 1).padStart(4, "0")} ${words[i % 8]} ${words[(i * 3) % 8]} said something.`).join("\n\n"),
  );
  // One server for the whole run: the origin (and so the IndexedDB database) stays the same.
  const server = await startServer(dist, 0);
  const report = { seed, kills: 0, edits: 0, acknowledged: 0, lost: [], problems: [], cycles: [] };
  let names = 0;
  const usedLines = new Set();
  let state = new Map(); // what the project holds at the start of a cycle (read after restart)
  let run = null;
  try {
    for (let cycle = 0; cycle <= kills; cycle++) {
      run = await launch(profile);
      const context = run.browser.contexts()[0];
      let savedSeq = 0;
      await context.exposeBinding("__framewiseSaved", (_source, seq) => {
        savedSeq = Math.max(savedSeq, seq);
      });
      await context.addInitScript(WATCH);
      if (sabotage) await context.addInitScript(SABOTAGE);
      for (const p of context.pages().slice(1)) await p.close();
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(15_000);
      const pageErrors = [];
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      const app = appOf(page, server.url);
      await page.goto(server.url, { waitUntil: "load" });
      await waitForHome(app);
      await page.evaluate(() => localStorage.setItem("framewise.coder", "Crash coder"));

      if (cycle === 0) {
        // Set-up, not killed: the project with one source, saved.
        await app.byRole("textbox", "New project name").fill(PROJECT);
        await app.byRole("button", "Create project").click();
        await app.byRole("heading", PROJECT, { level: 1 }).waitFor();
        await importFiles(app, [sourceFile]);
        await closeImport(app);
      } else {
        // After a kill: the project opens, and every acknowledged edit is there.
        await app.byRole("button", `Open ${PROJECT}`).click();
        await app.byRole("heading", PROJECT, { level: 1 }).waitFor();
        const actual = await shownCodes(app);
        const { start, edits, acked } = report.cycles[cycle - 1];
        let states = [start];
        for (const e of edits) states.push(applyEdit(states[states.length - 1], e));
        const kept = states.findIndex((s, j) => j >= acked && sameState(s, actual));
        const c = report.cycles[cycle - 1];
        c.kept = kept;
        if (kept < 0) {
          const missing = differences(states[acked], actual);
          c.lost = missing.length ? missing : [`the project holds a state no prefix of the edits gives: ${JSON.stringify([...actual])}`];
          report.lost.push(...c.lost.map((l) => `kill ${cycle}: ${l}`));
        }
        log(
          `kill ${cycle}: after ${c.killAfter} ms; ${edits.length} edits started, ${acked} acknowledged; ` +
            (kept >= 0 ? `the restarted project holds the first ${kept} (nothing acknowledged lost)` : `LOST: ${c.lost.join("; ")}`),
        );
        state = actual;
        if (cycle === kills) break;
      }
      await page.waitForFunction((saved) => document.querySelector(".toolbar [role=status]")?.innerText.trim() === saved, SAVED, { timeout: 20_000 });
      if (!(await page.getByRole("document", { name: `Text of ${SOURCE}` }).count())) {
        await page
          .getByRole("navigation", { name: "Sources" })
          .getByRole("button", { name: new RegExp(`^${escapeRe(SOURCE)}\\b`) })
          .click();
        await page.getByRole("document", { name: `Text of ${SOURCE}` }).waitFor();
      }

      // Edit until the kill, which comes at a random moment.
      const start = new Map(state);
      const edits = [];
      const marks = [];
      let current = new Map(state);
      let killed = false;
      const killAfter = between(killWindow[0], killWindow[1]);
      const victim = run;
      const killer = new Promise((resolve) => setTimeout(resolve, killAfter)).then(async () => {
        killed = true;
        // The acknowledgements that reached this script before the kill.
        const seen = savedSeq;
        await kill(victim);
        return seen;
      });
      const editing = (async () => {
        while (!killed) {
          const codes = [...current.keys()];
          const roll = random();
          let edit;
          if (codes.length === 0 || roll < 0.35) {
            names += 1;
            edit = { kind: "add", name: `K${String(names).padStart(3, "0")}` };
          } else if (roll < 0.65) {
            const from = codes[Math.floor(random() * codes.length)];
            names += 1;
            edit = { kind: "rename", from, to: `${from.slice(0, 4)}-r${names}` };
          } else {
            const name = codes[Math.floor(random() * codes.length)];
            // A line the reading view shows now (it renders the paragraphs near the view) and
            // that was never coded.
            const shown = await page.evaluate(() =>
              [...document.querySelectorAll(".reader p.para")].map((p) => Number(p.textContent.match(/Line (\d{4})/)?.[1])).filter(Boolean),
            );
            const free = shown.filter((l) => !usedLines.has(l));
            if (!free.length) throw new Error("no uncoded line left in view");
            const line = free[Math.floor(random() * free.length)];
            usedLines.add(line);
            edit = { kind: "code", name, line };
          }
          edits.push(edit);
          marks.push(Infinity);
          await perform(app, edit, current);
          // On screen now (and so handed to the saver): a "Saved" numbered after this is its
          // acknowledgement.
          marks[marks.length - 1] = await page.evaluate(() => window.__crash.seq);
          current = applyEdit(current, edit);
          await page.waitForTimeout(between(0, 600));
        }
      })().catch((err) => {
        if (!killed) throw err;
      });
      await editing;
      const seen = await killer;
      await run.browser.close().catch(() => {});
      run = null;
      const acked = marks.filter((m) => m < seen).length;
      report.kills += 1;
      report.edits += edits.length;
      report.acknowledged += acked;
      report.cycles.push({ start, edits, acked, killAfter });
      if (pageErrors.length) report.problems.push(...pageErrors.map((e) => `kill ${cycle + 1}, page error: ${e}`));
    }
  } finally {
    if (run) await kill(run);
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** Do one edit through the UI as a person would and wait until it is on screen. */
async function perform(app, edit, current) {
  const { page } = app;
  if (edit.kind === "add") {
    await app.byRole("textbox", "New code name").fill(edit.name);
    await app.byRole("button", "Add code").click();
    await codeItem(app, edit.name).waitFor();
  } else if (edit.kind === "rename") {
    await codeItem(app, edit.from).click();
    const region = page.getByRole("region", { name: `Code ${edit.from}`, exact: true });
    const field = region.getByLabel("Name", { exact: true });
    await field.fill(edit.to);
    await field.press("Enter");
    await codeItem(app, edit.to).waitFor();
  } else {
    const n = (current.get(edit.name) ?? 0) + 1;
    await dragSelect(app, `Line ${String(edit.line).padStart(4, "0")}`);
    await applyCodeFromPicker(app, edit.name);
    await page
      .getByRole("tree", { name: "Codebook" })
      .getByRole("treeitem", { name: new RegExp(`^${escapeRe(edit.name)}, ${n} codings?, `) })
      .waitFor();
  }
}

function printReport(r) {
  console.log(
    `\ncrash test (seed ${r.seed}): ${r.kills} kills, ${r.edits} edits started, ${r.acknowledged} acknowledged as saved, ` +
      `${r.lost.length} acknowledged edits lost`,
  );
  for (const l of r.lost) console.log(`  LOST ${l}`);
  for (const p of r.problems) console.log(`  ${p}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag, fallback) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const report = await runCrashTest({
    kills: value("--kills", 40),
    seed: value("--seed", Date.now() % 1_000_000_000),
    sabotage: args.includes("--sabotage"),
  });
  printReport(report);
  process.exit(report.lost.length || report.problems.length || report.acknowledged === 0 ? 1 : 0);
}

export { printReport };
