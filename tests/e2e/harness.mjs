// End-to-end harness: drives the *built* app (dist/, from `trunk build --release`) in headless
// Debian Chromium through playwright-core. Run with `./x test`, or after a build with
//   node --test tests/e2e/            (one file: node --test tests/e2e/smoke.test.mjs)
//
// Writing a test
// --------------
//   import assert from "node:assert/strict";
//   import { appTest } from "./harness.mjs";
//
//   appTest("a person can create a code", async (app) => {
//     await app.byRole("button", "New code").click();
//     await app.byRole("textbox", "Code name").fill("Trust");
//     await app.page.keyboard.press("Enter");
//     await app.byRole("treeitem", "Trust").waitFor();
//     await app.reload();                      // same browser profile: IndexedDB survives
//     assert.equal(await app.byRole("treeitem", "Trust").count(), 1);
//   });
//
// `appTest(name, fn, options?)` opens the app in a fresh browser context (empty storage), runs
// `fn(app, t)`, and then fails the test if the page logged a console error, threw an uncaught
// error, violated the Content-Security-Policy, or requested anything outside 127.0.0.1.
// On failure it saves a screenshot to tests/e2e/artifacts/ (gitignored).
//
// The `app` object (also returned by `openApp(options)`; then call `app.close()` yourself):
//   app.page, app.context        playwright Page / BrowserContext
//   app.url                      the app's URL, e.g. "http://127.0.0.1:40123/"
//   app.byRole(role, name, opts) page.getByRole(role, { name, exact: true, ...opts }): find
//                                controls as a person would (name = accessible name; a RegExp
//                                matches loosely)
//   app.reload()                 reload the page and wait until the wasm app has started again
//   app.waitForStarted()         wait for Trunk's "TrunkApplicationStarted" event
//   app.nextFrame()              wait two animation frames (the result is painted)
//   app.screenshot(name)         save tests/e2e/artifacts/<name>.png, returns the path
//   app.requests                 every request made: {url, method, resourceType, serviceWorker}
//   app.offOrigin()              the requests that went anywhere but the app's own origin
//   app.consoleErrors            console.error / console "error" messages (strings)
//   app.pageErrors               uncaught exceptions (strings)
//   app.cspViolations            CSP violations: {directive, blockedURI, sample}
//   app.assertClean(options)     throw if any of the four lists above is non-empty
//   app.close()                  close the browser context
//
// Options for appTest/openApp: { path = "/", viewport = {width: 1280, height: 800},
//   allowConsoleErrors: [RegExp...], allowCspViolations: [RegExp on "directive blockedURI"],
//   waitForStart = true, timeout (ms, appTest only, default 60000),
//   server (a server of your own from server.mjs's startServer, e.g. one the test stops),
//   url (open this address instead, e.g. a file:// URL; no server is started) }.
// Upload files with `app.page.setInputFiles(selector, paths)` or
// `(await app.page.waitForEvent("filechooser")).setFiles(paths)`; the real test corpus is in
// ../shared/corpus (`corpusPath("...")` builds the absolute path).
//
// Environment: FRAMEWISE_DIST (default <repo>/dist), CHROMIUM (default /usr/bin/chromium),
// E2E_HEADFUL=1 to watch (needs a display).
import { after, test } from "node:test";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, launchChromium } from "./chromium.mjs";
import { startServer } from "./server.mjs";

export { CHROMIUM_ARGS };

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "..", "..");
export const DIST = path.resolve(process.env.FRAMEWISE_DIST ?? path.join(REPO_ROOT, "dist"));
export const ARTIFACTS = path.join(HERE, "artifacts");
/** The read-only test material beside the repository (../shared), if present. */
export const SHARED = path.resolve(REPO_ROOT, "..", "shared");

/** Absolute path of a file in ../shared/corpus. */
export function corpusPath(...parts) {
  return path.join(SHARED, "corpus", ...parts);
}

let serverPromise = null;
let browserPromise = null;

/** The static server for dist/, started once per test file. */
export function server() {
  if (!serverPromise) {
    if (!fs.existsSync(path.join(DIST, "index.html"))) {
      throw new Error(`${DIST}/index.html not found: run \`trunk build --release\` (./x test does)`);
    }
    serverPromise = startServer(DIST, 0);
  }
  return serverPromise;
}

/** The headless Chromium, launched once per test file. */
export function browser() {
  if (!browserPromise) {
    browserPromise = launchChromium();
  }
  return browserPromise;
}

after(async () => {
  if (browserPromise) await (await browserPromise).close();
  if (serverPromise) await (await serverPromise).close();
});

/**
 * The requests whose URL is not on `origin` (data:, blob: and about: never leave the machine).
 * @param {{url: string}[]} requests
 * @param {string} origin e.g. "http://127.0.0.1:40123"
 */
export function offOrigin(requests, origin) {
  return requests.filter((r) => {
    const u = new URL(r.url);
    if (["data:", "blob:", "about:"].includes(u.protocol)) return false;
    return u.origin !== origin;
  });
}

/** `page.getByRole(role, { name, exact: true })`, with `name` optional. */
export function byRole(page, role, name, options = {}) {
  const opts = { ...options };
  if (name !== undefined) {
    opts.name = name;
    if (!(name instanceof RegExp) && opts.exact === undefined) opts.exact = true;
  }
  return page.getByRole(role, opts);
}

function slug(s) {
  return s.replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80) || "page";
}

// Runs in the page before any of its scripts: report CSP violations and note when the wasm
// app has started. (Playwright injects it through DevTools, so the page's CSP does not apply.)
const INIT_SCRIPT = `
  window.__framewiseE2E = { started: false, csp: [] };
  document.addEventListener("securitypolicyviolation", (e) => {
    const v = { directive: e.violatedDirective, blockedURI: e.blockedURI, sample: e.sample };
    window.__framewiseE2E.csp.push(v);
    console.warn("[e2e] CSP violation " + JSON.stringify(v));
  });
  addEventListener("TrunkApplicationStarted", () => { window.__framewiseE2E.started = true; });
`;

/** Open the app in a fresh browser context. See the top of this file. */
export async function openApp(options = {}) {
  const {
    path: appPath = "/",
    viewport = { width: 1280, height: 800 },
    allowConsoleErrors = [],
    allowCspViolations = [],
    waitForStart = true,
  } = options;
  const base = options.url ?? (options.server ?? (await server())).url;
  const origin = new URL(base).origin;
  const context = await (await browser()).newContext({ viewport, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const requests = [];
  const consoleErrors = [];
  const pageErrors = [];
  const cspViolations = [];
  context.on("request", (r) => {
    // `serviceWorker`: fetched by the service worker itself (its install-time cache fill), not by
    // the page.
    requests.push({
      url: r.url(),
      method: r.method(),
      resourceType: r.resourceType(),
      serviceWorker: Boolean(r.serviceWorker?.()),
    });
  });
  await context.addInitScript(INIT_SCRIPT);
  const page = await context.newPage();
  page.on("console", (msg) => {
    const text = msg.text();
    if (text.startsWith("[e2e] CSP violation ")) {
      cspViolations.push(JSON.parse(text.slice("[e2e] CSP violation ".length)));
    } else if (msg.type() === "error") {
      consoleErrors.push(text);
    }
  });
  page.on("pageerror", (err) => pageErrors.push(String(err?.stack ?? err)));

  const app = {
    page,
    context,
    url: options.url ?? new URL(appPath, base).href,
    origin,
    requests,
    consoleErrors,
    pageErrors,
    cspViolations,
    byRole: (role, name, opts) => byRole(page, role, name, opts),
    offOrigin: () => offOrigin(requests, origin),
    async waitForStarted() {
      await page.waitForFunction(() => window.__framewiseE2E?.started === true, null, {
        timeout: 20_000,
      });
    },
    async nextFrame() {
      await page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
      );
    },
    async reload() {
      await page.reload({ waitUntil: "load" });
      if (waitForStart) await app.waitForStarted();
    },
    async screenshot(name) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${slug(name)}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    /** Throw unless the page is clean: no console/page errors, CSP violations, off-origin requests. */
    assertClean(extra = {}) {
      const allowC = [...allowConsoleErrors, ...(extra.allowConsoleErrors ?? [])];
      const allowV = [...allowCspViolations, ...(extra.allowCspViolations ?? [])];
      const problems = [];
      const errs = consoleErrors.filter((e) => !allowC.some((re) => re.test(e)));
      const csp = cspViolations.filter(
        (v) => !allowV.some((re) => re.test(`${v.directive} ${v.blockedURI}`)),
      );
      const off = offOrigin(requests, origin);
      if (errs.length) problems.push(`console errors:\n  ${errs.join("\n  ")}`);
      if (pageErrors.length) problems.push(`uncaught page errors:\n  ${pageErrors.join("\n  ")}`);
      if (csp.length) problems.push(`CSP violations:\n  ${csp.map((v) => JSON.stringify(v)).join("\n  ")}`);
      if (off.length) problems.push(`requests off ${origin}:\n  ${off.map((r) => r.url).join("\n  ")}`);
      if (problems.length) throw new Error(`The page was not clean:\n${problems.join("\n")}`);
    },
    async close() {
      await context.close();
    },
  };

  await page.goto(app.url, { waitUntil: "load" });
  if (waitForStart) {
    try {
      await app.waitForStarted();
    } catch (err) {
      const detail = [...pageErrors, ...consoleErrors, ...cspViolations.map((v) => JSON.stringify(v))];
      await app.screenshot("not-started").catch(() => {});
      await context.close();
      throw new Error(`The app did not start (TrunkApplicationStarted never fired).\n${detail.join("\n")}`, {
        cause: err,
      });
    }
  }
  return app;
}

/**
 * A node:test test that runs `fn(app, t)` against a freshly opened app, then checks the page
 * stayed clean (see `app.assertClean`). Screenshot on failure. Options: see the top of this file.
 */
export function appTest(name, fn, options = {}) {
  const { timeout = 60_000, ...appOptions } = options;
  return test(name, { timeout }, async (t) => {
    const app = await openApp(appOptions);
    try {
      await fn(app, t);
      app.assertClean();
    } catch (err) {
      await app.screenshot(`FAILED-${name}`).catch(() => {});
      throw err;
    } finally {
      await app.close();
    }
  });
}
