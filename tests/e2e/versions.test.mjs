// Issue 12, "Every saved-format version loads": the committed fixtures of every saved-format
// version (core/tests/fixtures/persist/vN-records.json and vN-project.framewise.json, N = 1 up to
// core's CURRENT_VERSION) open in the built app: the records as an earlier version stored them
// in IndexedDB, and the project file through "Open project file…". A version bump without
// fixtures fails here (and in core's every_format_version_has_fixtures_that_load and the CLI's
// every_saved_format_version_opens_in_the_cli). The main wasm has no upgrade steps (core's
// feature `migrate`): version-1 and -2 texts and project files are upgraded by the worker
// (`Request::Upgrade`), whose detected speaker turns must show, and the upgraded records are
// never written back (opening rewrites only the `projects` record, for its "last opened").
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { appTest, REPO_ROOT } from "./harness.mjs";
import {
  codeItem,
  escapeRe,
  projectRows,
  putRecords,
  reader,
  storedRecords,
  waitForHome,
  waitForStored,
} from "./steps.mjs";

const FIXTURES = path.join(REPO_ROOT, "core", "tests", "fixtures", "persist");
const CURRENT = Number(
  fs.readFileSync(path.join(REPO_ROOT, "core", "src", "persist", "mod.rs"), "utf8").match(/pub const CURRENT_VERSION: u32 = (\d+);/)?.[1],
);
const VERSIONS = Array.from({ length: CURRENT }, (_, i) => i + 1);

test("there is a fixture pair for every saved-format version up to the current one", () => {
  assert.ok(CURRENT >= 3, `CURRENT_VERSION read from core/src/persist/mod.rs: ${CURRENT}`);
  for (const v of VERSIONS) {
    for (const what of ["records.json", "project.framewise.json"]) {
      assert.ok(fs.existsSync(path.join(FIXTURES, `v${v}-${what}`)), `format version ${v} needs core/tests/fixtures/persist/v${v}-${what}`);
    }
  }
});

/** The key an earlier version stored each record under (src/storage.rs, core persist::diff). */
function keyOf(store, r) {
  if (store === "projects") return r.id;
  if (store === "project_memos") return r.project;
  if (store === "texts") return r.source;
  if (store === "matrix_cells") return `${r.matrix}/${r.case}/${r.code}`;
  if (store === "case_summaries") return `${r.matrix}/${r.case}`;
  return r.id;
}

function fixture(v) {
  const file = JSON.parse(fs.readFileSync(path.join(FIXTURES, `v${v}-project.framewise.json`), "utf8"));
  const stores = JSON.parse(fs.readFileSync(path.join(FIXTURES, `v${v}-records.json`), "utf8"));
  const records = Object.entries(stores).flatMap(([store, jsons]) =>
    jsons.map((json) => {
      const r = JSON.parse(json);
      return { store, key: keyOf(store, r), project: r.project ?? r.id, json };
    }),
  );
  const p = file.project;
  const codings = p.codings?.length ?? p.sources.reduce((n, s) => n + (s.codings?.length ?? 0), 0);
  return { file, records, name: p.name, sources: p.sources.map((s) => s.name), codes: p.codes.map((c) => c.name), codings };
}

/** The speakers of the transcript, in order of first turn, as the current version keeps them. */
const TRANSCRIPT = fixture(CURRENT).file.project.sources[0];
const SPEAKERS = [...new Set(TRANSCRIPT.turns.map((t) => t.speaker))];

/** The open workbench shows the fixture's sources and codes, the transcript's speakers, and no
 * warning. */
async function assertShown(app, f) {
  await app.byRole("heading", f.name, { level: 1 }).waitFor();
  const sources = app.page.getByRole("navigation", { name: "Sources" });
  for (const s of f.sources) await sources.getByRole("button", { name: new RegExp(`^${escapeRe(s)}(?!\\w)`) }).waitFor();
  for (const c of f.codes) {
    // Children of collapsed codes are not shown: filter to find each one.
    await app.byRole("searchbox", "Filter codes").fill(c);
    await codeItem(app, c).first().waitFor();
  }
  await app.byRole("searchbox", "Filter codes").fill("");
  // (Not `openSource`: its `\b` after "Zoë" never matches.)
  await sources.getByRole("button", { name: new RegExp(`^${escapeRe(TRANSCRIPT.name)}(?!\\w)`) }).click();
  await reader(app, TRANSCRIPT.name).waitFor();
  // "Speakers in this source" has a case list per speaker, named after the speaker.
  const cases = app.page.getByRole("region", { name: "Speakers in this source" }).getByRole("combobox", { name: /^Case for / });
  await cases.first().waitFor();
  const shown = await Promise.all((await cases.all()).map((c) => c.getAttribute("aria-label")));
  assert.deepEqual(shown, SPEAKERS.map((s) => `Case for ${s}`), "the transcript's speaker turns");
  assert.equal(await app.page.getByRole("alert").count(), 0, "no warning or error banner");
}

for (const v of VERSIONS) {
  appTest(`saved-format version ${v}: its stored records open in the browser`, async (app) => {
    const f = fixture(v);
    await waitForHome(app);
    await putRecords(app, f.records);
    await app.reload();
    const rows = await projectRows(app);
    const row = rows.find((r) => r.name === f.name);
    assert.ok(row, `listed: ${JSON.stringify(rows)}`);
    assert.deepEqual(row.cells.slice(0, 3), [String(f.sources.length), String(f.codes.length), String(f.codings)]);
    await app.byRole("button", `Open ${f.name}`).click();
    await assertShown(app, f);
    // Opening wrote the project record's "last opened" and nothing else: every other record,
    // upgraded in the worker or read as it is, is still byte for byte what the old version wrote.
    const opened = JSON.parse(f.records.find((r) => r.store === "projects").json).last_opened;
    await waitForStored(app, f.name, (r) => r.last_opened !== opened);
    for (const store of new Set(f.records.map((r) => r.store))) {
      if (store === "projects") continue;
      const stored = new Map((await storedRecords(app, store)).map((r) => [r.key, r.json]));
      for (const r of f.records.filter((r) => r.store === store)) {
        assert.equal(stored.get(r.key), r.json, `${store} record ${r.key} left as it was`);
      }
    }
  });

  appTest(`saved-format version ${v}: its project file opens in the browser`, async (app) => {
    const f = fixture(v);
    await waitForHome(app);
    await app.page.getByLabel("Open project file", { exact: true }).setInputFiles(path.join(FIXTURES, `v${v}-project.framewise.json`));
    await assertShown(app, f);
  });
}
