// Launching Debian's Chromium through playwright-core, shared by the end-to-end tests
// (harness.mjs) and the benchmark (bench/bench.mjs). No node:test import here, so plain
// scripts can use it.
import { chromium } from "playwright-core";

/** Chromium flags: headless, and no background traffic to Google services. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
];

/**
 * Launch Chromium (CHROMIUM env var, default /usr/bin/chromium). E2E_HEADFUL=1 shows the window
 * (needs a display).
 * @returns {Promise<import("playwright-core").Browser>}
 */
export function launchChromium() {
  const headful = Boolean(process.env.E2E_HEADFUL);
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: !headful,
    args: headful ? CHROMIUM_ARGS.filter((a) => a !== "--headless") : CHROMIUM_ARGS,
  });
}
