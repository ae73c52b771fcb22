// Framewise benchmark: times what a person waits for, in headless Chromium against the release
// build in dist/. Run with `./x bench` (builds first) or `node bench/bench.mjs [--runs N] [name...]`.
//
// A measurement runs from the user's action (the timestamp of the first input event the page
// receives: pointerdown, keydown, change, drop...) to the frame that shows the result: once the
// `done` predicate holds in the page, we wait two requestAnimationFrames (the result has been
// painted) and read performance.now(). Each run uses a fresh browser context (empty storage);
// the figure reported is the median of --runs (default 5) runs.
//
// Adding a scenario: push onto SCENARIOS
//   {
//     name: "apply a code to a selection",
//     async setup(page) { ... get the app into the state before the action ... },
//     act: async (page) => { await page.getByRole("button", { name: "Trust" }).click(); },
//     done: () => document.querySelectorAll("mark.coding").length > 0,   // runs in the page
//   }
// or, for something not started by an input event, a custom `measure(page)` returning ms.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../tests/e2e/chromium.mjs";
import { startServer } from "../tests/e2e/server.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.resolve(process.env.FRAMEWISE_DIST ?? path.join(ROOT, "dist"));
const SHARED = path.resolve(ROOT, "..", "shared");

// ---------------------------------------------------------------------------------------------
// Generic parts

/** Median of a non-empty list of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Sizes of the largest .wasm in `dir` and of the JS files, raw and gzipped (level 9). */
export function bundleSizes(dir = DIST) {
  const files = fs.readdirSync(dir).map((name) => path.join(dir, name));
  const gz = (f) => zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
  const wasm = files
    .filter((f) => f.endsWith(".wasm"))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  if (!wasm) throw new Error(`no .wasm file in ${dir}: build first (trunk build --release)`);
  const js = files.filter((f) => f.endsWith(".js"));
  const css = files.filter((f) => f.endsWith(".css"));
  const sum = (list, fn) => list.reduce((n, f) => n + fn(f), 0);
  return {
    wasmFile: path.basename(wasm),
    wasm: fs.statSync(wasm).size,
    wasmGzip: gz(wasm),
    js: sum(js, (f) => fs.statSync(f).size),
    jsGzip: sum(js, gz),
    css: sum(css, (f) => fs.statSync(f).size),
    cssGzip: sum(css, gz),
  };
}

// Installed in every page before its own scripts: remembers the first input event after
// `__bench.arm()` and resolves `__bench.wait(done)` two frames after `done()` first holds.
const BENCH_INIT = `
  window.__bench = {
    t0: null,
    arm() { this.t0 = null; },
    wait(done, timeoutMs) {
      return new Promise((resolve, reject) => {
        let finished = false;
        const check = () => {
          if (finished) return;
          let ok = false;
          try { ok = Boolean(done()); } catch (e) { ok = false; }
          if (!ok) return;
          finished = true;
          observer.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
        };
        const observer = new MutationObserver(check);
        observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
        const timer = setTimeout(() => { finished = true; observer.disconnect(); reject(new Error("timeout")); }, timeoutMs);
        check();
      });
    },
  };
  for (const type of ["pointerdown", "mousedown", "keydown", "input", "change", "drop", "click"]) {
    addEventListener(type, (e) => {
      if (window.__bench.t0 === null) window.__bench.t0 = e.timeStamp;
    }, { capture: true });
  }
`;

/**
 * Time one user action in `page`: from the first input event `act` causes to two frames after
 * `done()` (a function evaluated in the page) first returns true. Returns milliseconds.
 */
export async function timeAction(page, act, done, timeoutMs = 60_000) {
  await page.evaluate(() => window.__bench.arm());
  // Start watching before acting, so nothing is missed. (`done` is passed as source text through
  // DevTools evaluation, which the page's CSP does not restrict; eval in the page would be.)
  const finished = page.evaluate(`window.__bench.wait(${done.toString()}, ${Number(timeoutMs)})`);
  await act(page);
  const t1 = await finished;
  const t0 = await page.evaluate(() => window.__bench.t0);
  if (t0 === null) throw new Error("the action caused no input event in the page");
  return t1 - t0;
}

/** Open the app in a fresh context and wait until the wasm app has started. */
async function openFresh(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(BENCH_INIT);
  await context.addInitScript(() => {
    window.__started = false;
    addEventListener("TrunkApplicationStarted", () => (window.__started = true));
  });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => window.__started === true, null, { timeout: 30_000 });
  return { context, page };
}

// ---------------------------------------------------------------------------------------------
// Scenarios (the lead fills these in as the UI lands)

const SCENARIOS = [
  {
    name: "start: navigation -> home screen painted",
    // Time origin is the navigation start, so performance.now() is the time since then.
    async measure(browser, url) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "commit" });
      const ms = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const check = () => {
              if (![...document.querySelectorAll("h1")].some((h) => h.textContent.trim() === "Framewise")) return;
              observer.disconnect();
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
            };
            const observer = new MutationObserver(check);
            observer.observe(document, { subtree: true, childList: true, characterData: true });
            check();
          }),
      );
      await context.close();
      return ms;
    },
  },
  // TODO(lead): "import 50 transcripts" (setInputFiles with files from ../shared/corpus),
  // "open the Apollo demo project", "apply a code to a selection". Example shape:
  // {
  //   name: "apply a code to a selection",
  //   async setup(page) { /* open a source, select text */ },
  //   act: (page) => page.getByRole("button", { name: "Apply code" }).click(),
  //   done: () => document.querySelectorAll("[data-coding]").length > 0,
  // },
];

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const out = { runs: 5, only: [], json: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") out.runs = Number(argv[++i]);
    else if (argv[i] === "--json") out.json = argv[++i];
    else out.only.push(argv[i]);
  }
  if (!(out.runs >= 1)) throw new Error("--runs must be >= 1");
  return out;
}

function kib(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const sizes = bundleSizes();
  const server = await startServer(DIST, 0);
  const browser = await launchChromium();
  const rows = [];
  try {
    for (const scenario of SCENARIOS) {
      if (args.only.length && !args.only.some((o) => scenario.name.includes(o))) continue;
      const samples = [];
      for (let run = 0; run < args.runs; run++) {
        if (scenario.measure) {
          samples.push(await scenario.measure(browser, server.url, { shared: SHARED }));
        } else {
          const { context, page } = await openFresh(browser, server.url);
          try {
            if (scenario.setup) await scenario.setup(page, { shared: SHARED });
            samples.push(await timeAction(page, scenario.act, scenario.done));
          } finally {
            await context.close();
          }
        }
      }
      rows.push({
        scenario: scenario.name,
        runs: samples.length,
        median: median(samples),
        min: Math.min(...samples),
        max: Math.max(...samples),
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const out = process.stdout;
  out.write(`\nFramewise benchmark (${args.runs} runs each, median; headless Chromium, release build)\n\n`);
  const w = Math.max(8, ...rows.map((r) => r.scenario.length));
  out.write(`${"scenario".padEnd(w)}  ${"median".padStart(9)}  ${"min".padStart(9)}  ${"max".padStart(9)}\n`);
  for (const r of rows) {
    const ms = (v) => `${v.toFixed(1)} ms`.padStart(9);
    out.write(`${r.scenario.padEnd(w)}  ${ms(r.median)}  ${ms(r.min)}  ${ms(r.max)}\n`);
  }
  out.write(`\nmain wasm ${sizes.wasmFile}: ${kib(sizes.wasm)}, ${kib(sizes.wasmGzip)} gzipped\n`);
  out.write(`JS: ${kib(sizes.js)}, ${kib(sizes.jsGzip)} gzipped; CSS: ${kib(sizes.css)}, ${kib(sizes.cssGzip)} gzipped\n`);
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ sizes, rows }, null, 2));
}

export { BENCH_INIT, openFresh };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
