// Crash safety in `./x test` (issue 12): a few SIGKILLs of Chromium during scripted edits
// (tests/e2e/crash.mjs, which `./x crash` runs with several dozen), and the check's own check:
// with storage made to lose renames behind the app's back, it reports lost edits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { printReport, runCrashTest } from "./crash.mjs";

const KILLS = Number(process.env.CRASH_KILLS ?? 5);

test(`crash safety: ${KILLS} kills of the browser lose no edit the app acknowledged as saved`, { timeout: 60_000 + KILLS * 30_000 }, async () => {
  const lines = [];
  const report = await runCrashTest({ kills: KILLS, seed: process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : undefined, log: (l) => lines.push(l) });
  for (const l of lines) console.log(l);
  printReport(report);
  assert.equal(report.kills, KILLS);
  assert.ok(report.acknowledged > 0, "some edits were acknowledged before the kills");
  assert.deepEqual(report.lost, [], `seed ${report.seed}`);
  assert.deepEqual(report.problems, [], `seed ${report.seed}`);
});

test("the crash check catches lost edits (storage that drops code records while saying Saved)", { timeout: 120_000 }, async () => {
  // Kills late enough for the first new codes to be acknowledged.
  const report = await runCrashTest({ kills: 1, sabotage: true, killWindow: [2500, 3500], log: () => {} });
  printReport(report);
  assert.ok(report.lost.length > 0, "the sabotaged run must report lost edits");
});
