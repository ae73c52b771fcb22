// Smoke tests: the built app starts under its strict Content-Security-Policy and nothing it
// does reaches beyond 127.0.0.1.
import assert from "node:assert/strict";
import { test } from "node:test";
import { appTest, server } from "./harness.mjs";

/** The CSP meta tag's policy, as a map directive -> sources. */
function cspOf(html) {
  const meta = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
  assert.ok(meta, "index.html has a Content-Security-Policy meta tag");
  return new Map(
    meta[1]
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

test("the served index.html carries a strict CSP and loads nothing from elsewhere", async () => {
  const srv = await server();
  const res = await fetch(srv.url);
  assert.equal(res.status, 200);
  const html = await res.text();
  const csp = cspOf(html);

  assert.deepEqual(csp.get("default-src"), ["'self'"]);
  assert.deepEqual(csp.get("connect-src"), ["'self'"]);
  assert.deepEqual(csp.get("object-src"), ["'none'"]);
  assert.deepEqual(csp.get("base-uri"), ["'none'"]);
  assert.deepEqual(csp.get("form-action"), ["'none'"]);
  const scriptSrc = csp.get("script-src") ?? [];
  assert.ok(scriptSrc.includes("'wasm-unsafe-eval'"), "script-src allows compiling wasm");
  for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:", "http:", "https:"]) {
    assert.ok(!scriptSrc.includes(bad), `script-src must not contain ${bad}`);
  }
  for (const [directive, sources] of csp) {
    for (const s of sources) {
      assert.ok(!/^(https?:|wss?:|\*)/.test(s), `${directive} must not allow another origin: ${s}`);
    }
  }

  // No inline executable scripts (the CSP would block them) and no external URLs at all.
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(
    ([, attrs, body]) => !/\bsrc=/.test(attrs) && body.trim() !== "",
  );
  assert.deepEqual(inline.map((m) => m[0].slice(0, 120)), [], "no inline <script> in index.html");
  const external = [...html.matchAll(/(?:src|href)="((?:https?:)?\/\/[^"]*)"/gi)].map((m) => m[1]);
  assert.deepEqual(external, [], "no external URLs in index.html");
  assert.match(html, /<title>Framewise<\/title>/);
  assert.match(html, /<html lang="en">/);
});

appTest("the app starts under the CSP, shows its name, and stays on 127.0.0.1", async (app) => {
  await app.byRole("heading", "Framewise").waitFor({ state: "visible" });
  await app.nextFrame();
  await app.screenshot("smoke-home");

  // The wasm module and its JS glue really came from our server.
  const paths = app.requests.map((r) => new URL(r.url).pathname);
  assert.ok(paths.some((p) => p.endsWith(".wasm")), `a .wasm was loaded: ${paths.join(", ")}`);
  assert.ok(paths.includes("/loader.js"), "the app boots through /loader.js");
  assert.ok(app.requests.length > 0);
  // appTest then asserts: no console errors, no page errors, no CSP violations, no request
  // outside 127.0.0.1.
});

appTest(
  "the CSP is enforced: inline script and requests to other origins are blocked",
  async (app) => {
    const result = await app.page.evaluate(async () => {
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true;";
      document.head.append(s);
      let fetchBlocked = false;
      try {
        await fetch("https://example.com/collect");
      } catch {
        fetchBlocked = true;
      }
      return { inlineRan: window.__inlineRan === true, fetchBlocked };
    });
    assert.equal(result.inlineRan, false, "an injected inline script must not run");
    assert.equal(result.fetchBlocked, true, "a fetch to another origin must fail");
    await app.nextFrame();
    const directives = app.cspViolations.map((v) => v.directive).sort();
    assert.deepEqual(directives, ["connect-src", "script-src-elem"]);
    assert.deepEqual(app.offOrigin(), [], "the blocked fetch never left the page");
  },
  {
    // The two violations (and Chromium's console reports of them) are the point of this test.
    allowCspViolations: [/^(connect-src|script-src-elem) /],
    allowConsoleErrors: [/Content Security Policy/, /Failed to fetch/],
  },
);
