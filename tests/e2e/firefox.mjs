// Headless Firefox driven over Marionette (Firefox's own automation protocol: length-prefixed
// JSON over TCP), for the checks that must also hold in Firefox (the single-file build opened
// from file://). playwright-core only drives its own patched Firefox builds, so Debian's
// firefox-esr is driven directly. No node:test import here.
//
//   const ff = await launchFirefox();           // null when no Firefox is installed
//   await ff.navigate("file:///…/framewise.html");
//   await ff.waitFor("document.body.innerText.includes('Projects in this browser')");
//   await ff.eval("return document.title");
//   await ff.drag(x1, y1, x2, y2); await ff.type("Trust\uE007");
//   await ff.close();
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** The Firefox binary: FIREFOX, else /usr/bin/firefox-esr or /usr/bin/firefox, else null. */
export function firefoxPath() {
  for (const p of [process.env.FIREFOX, "/usr/bin/firefox-esr", "/usr/bin/firefox"]) {
    if (p && fs.existsSync(p)) return p;
  }
  return null;
}

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** Start headless Firefox with a fresh profile and a Marionette session, or null if none. */
export async function launchFirefox() {
  const bin = firefoxPath();
  if (!bin) return null;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "framewise-ff-"));
  const port = await freePort();
  fs.writeFileSync(
    path.join(profile, "user.js"),
    [
      `user_pref("marionette.port", ${port});`,
      'user_pref("browser.shell.checkDefaultBrowser", false);',
      'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
      'user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);',
      'user_pref("app.update.disabledForTesting", true);',
      'user_pref("browser.startup.homepage_override.mstone", "ignore");',
      'user_pref("network.captive-portal-service.enabled", false);',
      'user_pref("network.connectivity-service.enabled", false);',
    ].join("\n"),
  );
  const child = spawn(bin, ["--headless", "--marionette", "--no-remote", "--profile", profile, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, MOZ_HEADLESS: "1" },
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));

  // Connect (Firefox takes a few seconds to open its Marionette port).
  let socket = null;
  for (let i = 0; i < 120 && !socket; i++) {
    socket = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => resolve(s));
      s.once("error", () => resolve(null));
    });
    if (!socket) await new Promise((r) => setTimeout(r, 250));
  }
  if (!socket) {
    child.kill();
    throw new Error(`Firefox's Marionette port never opened: ${stderr.slice(-2000)}`);
  }

  let buffer = Buffer.alloc(0);
  const waiting = [];
  const pending = new Map();
  socket.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(":");
      if (colon < 0) break;
      const len = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + len) break;
      const msg = JSON.parse(buffer.subarray(colon + 1, colon + 1 + len).toString());
      buffer = buffer.subarray(colon + 1 + len);
      if (Array.isArray(msg) && msg[0] === 1) {
        const [, id, error, result] = msg;
        const p = pending.get(id);
        pending.delete(id);
        if (error) p?.reject(new Error(`${error.error}: ${error.message}`));
        else p?.resolve(result);
      } else {
        waiting.shift()?.(msg);
      }
    }
  });
  await new Promise((resolve) => waiting.push(resolve)); // the handshake
  let nextId = 1;
  const send = (name, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const body = JSON.stringify([0, id, name, params]);
      socket.write(`${Buffer.byteLength(body)}:${body}`);
    });
  const session = await send("WebDriver:NewSession", { capabilities: { alwaysMatch: { acceptInsecureCerts: false } } });

  const ff = {
    version: session?.capabilities?.browserVersion ?? "",
    navigate: (url) => send("WebDriver:Navigate", { url }),
    /** Run `script` (a function body; `arguments` are `args`) in the page; its return value. */
    async eval(script, args = []) {
      return (await send("WebDriver:ExecuteScript", { script, args })).value;
    },
    /** Wait until the expression `expr` is truthy in the page. */
    async waitFor(expr, timeout = 20_000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        if (await ff.eval(`return Boolean(${expr});`).catch(() => false)) return;
        if (Date.now() > deadline) throw new Error(`Firefox: never true: ${expr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    /** WebDriver actions (pointer and key input sources), then release them. */
    async actions(sources) {
      await send("WebDriver:PerformActions", { actions: sources });
      await send("WebDriver:ReleaseActions");
    },
    /** Drag the mouse from (x1, y1) to (x2, y2), viewport CSS pixels. */
    async drag(x1, y1, x2, y2) {
      const r = Math.round;
      await ff.actions([
        {
          type: "pointer",
          id: "mouse",
          parameters: { pointerType: "mouse" },
          actions: [
            { type: "pointerMove", x: r(x1), y: r(y1), origin: "viewport", duration: 0 },
            { type: "pointerDown", button: 0 },
            { type: "pointerMove", x: r((x1 + x2) / 2), y: r((y1 + y2) / 2), origin: "viewport", duration: 50 },
            { type: "pointerMove", x: r(x2), y: r(y2), origin: "viewport", duration: 50 },
            { type: "pointerUp", button: 0 },
          ],
        },
      ]);
    },
    /** Type `text` into the focused element ("\uE007" is Enter). */
    async type(text) {
      const actions = [];
      for (const ch of text) actions.push({ type: "keyDown", value: ch }, { type: "keyUp", value: ch });
      await ff.actions([{ type: "key", id: "keyboard", actions }]);
    },
    async screenshot(file) {
      const data = (await send("WebDriver:TakeScreenshot", { full: false })).value;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, Buffer.from(data, "base64"));
    },
    async close() {
      await send("WebDriver:DeleteSession").catch(() => {});
      socket.destroy();
      child.kill();
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
  return ff;
}
