// Importing Word, OpenDocument and subtitle files through the file-reader Web Worker
// (worker/, src/worker_client.rs): one batch with good and bad files, a reader that crashes on
// one file, and plain text read there too (the decoding and the speaker detection are not in the
// main wasm).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { appTest, corpusPath } from "./harness.mjs";
import { closeImport, createProject, importFiles, openSource, reader, tempDir, waitForStored } from "./steps.mjs";

function sourceNames(app) {
  return app.page
    .getByRole("navigation", { name: "Sources" })
    .locator(".source-item .source-name")
    .allInnerTexts();
}

/** The lines of the "Files not imported" list: Map file name -> reason. */
async function failureList(app) {
  const items = await app.page
    .getByRole("list", { name: "Files not imported" })
    .getByRole("listitem")
    .all();
  const out = new Map();
  for (const li of items) {
    const file = (await li.locator("strong").innerText()).trim();
    const text = (await li.innerText()).trim();
    out.set(file, text.slice(text.indexOf(file) + file.length).replace(/^\s*:\s*/, ""));
  }
  return out;
}

// The page's own loads of the worker (the service worker's install-time cache fill fetches the
// worker's files too, which is not the page starting it).
const workerRequests = (app) =>
  app.requests.filter((r) => !r.serviceWorker && new URL(r.url).pathname.startsWith("/framewise-worker"));

appTest("one batch of .vtt, .docx, .odt, a damaged .docx and an unknown format", async (app) => {
  const dir = tempDir();
  // A real Word file cut short: the zip's central directory is missing.
  const damaged = path.join(dir, "damaged.docx");
  fs.writeFileSync(damaged, fs.readFileSync(corpusPath("word", "test_file.docx")).subarray(0, 1500));
  const pages = path.join(dir, "notes.pages");
  fs.writeFileSync(pages, "PK\u0003\u0004 a Pages document");

  await createProject(app, "Formats");
  // The picker offers every format the worker reads.
  const accept = await app.page.getByLabel("Import sources", { exact: true }).getAttribute("accept");
  for (const ext of [".txt", ".md", ".docx", ".odt", ".rtf", ".html", ".pdf", ".vtt", ".srt"]) {
    assert.ok(accept.split(",").includes(ext), `accept lists ${ext}: ${accept}`);
  }
  assert.equal(workerRequests(app).length, 0, "the worker is not loaded before it is needed");

  const { lines, status } = await importFiles(app, [
    corpusPath("formats", "teams_timeframe.vtt"),
    corpusPath("word", "test_file.docx"),
    damaged,
    corpusPath("word", "ID2.odt"),
    pages,
  ]);
  assert.equal(status, "5 of 5 files read, 2 not imported");
  // Imported files first, then the ones not imported (each listed once, with its reason).
  assert.deepEqual([...lines.keys()], ["teams_timeframe.vtt", "test_file.docx", "ID2.odt", "damaged.docx", "notes.pages"]);
  assert.match(lines.get("teams_timeframe.vtt"), /^Imported: [\d,]+ characters, UTF-8/);
  assert.match(lines.get("test_file.docx"), /^Imported: [\d,]+ characters/);
  assert.match(lines.get("ID2.odt"), /^Imported: [\d,]+ characters/);
  assert.match(lines.get("damaged.docx"), /^Not imported: this file is damaged or not a Word \(\.docx\) document \(.+\)$/);
  assert.match(lines.get("notes.pages"), /^Not imported: Framewise cannot import \.pages files; it imports .*\.docx.*\.pdf/);

  // The failures are listed on their own, each with its file name and reason.
  const failures = await failureList(app);
  assert.deepEqual([...failures.keys()], ["damaged.docx", "notes.pages"]);
  assert.match(failures.get("damaged.docx"), /damaged or not a Word/);
  assert.match(failures.get("notes.pages"), /cannot import \.pages files/);
  assert.match(
    await app.page.getByRole("dialog", { name: "Import results" }).innerText(),
    /up to 50 MB per file/,
  );
  await app.screenshot("import-formats-results");
  await closeImport(app);

  // The good files are sources with the right text.
  await app.byRole("heading", "Sources (3)").waitFor();
  assert.deepEqual(await sourceNames(app), ["teams_timeframe", "test_file", "ID2"]);
  await openSource(app, "test_file");
  assert.match(await reader(app, "test_file").innerText(), /Αυτή είναι μια δοκιμή\./);
  await openSource(app, "ID2");
  assert.match(await reader(app, "ID2").innerText(), /The course cost €200\.00/);
  await openSource(app, "teams_timeframe");
  const vtt = await reader(app, "teams_timeframe").innerText();
  assert.ok(!/-->|WEBVTT/.test(vtt), "cue timings and the header are not part of the text");
  await app.screenshot("import-formats-source");
  await waitForStored(app, "Formats", (r) => r.sources === 3);

  // The worker was loaded once, from this origin (the harness also checks CSP and origins).
  // (Its names carry a content hash: worker/hash-names.mjs.)
  const paths = workerRequests(app).map((r) => new URL(r.url).pathname).sort();
  assert.equal(paths.length, 3, paths.join(" "));
  assert.match(paths[0], /^\/framewise-worker-[0-9a-f]{16}\.js$/);
  assert.match(paths[1], /^\/framewise-worker-[0-9a-f]{16}_bg\.wasm$/);
  assert.match(paths[2], /^\/framewise-worker-[0-9a-f]{16}_loader\.js$/);
});

// A real file that crashes a reader: ID2.pdf with one byte changed, on which pdf-extract panics
// (see fixtures/README.md). In the release build a panic aborts, trapping the worker's wasm; the
// app must turn that into this one file's error and start a fresh worker for the next files.
const DAMAGED_PDF = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures", "damaged-ID2.pdf");

appTest(
  "a reader that crashes on one file loses only that file; the next files still import",
  async (app) => {
    await createProject(app, "Crash");
    const { lines, status } = await importFiles(app, [
      corpusPath("word", "ID2.odt"),
      DAMAGED_PDF,
      corpusPath("word", "test_file.docx"),
      corpusPath("consultations", "CAR0001.txt"),
      corpusPath("formats", "teams_timeframe.vtt"),
    ]);
    assert.equal(status, "5 of 5 files read, 1 not imported");
    assert.equal(lines.get("damaged-ID2.pdf"), "Not imported: the file could not be read (the reader crashed on it)");
    for (const ok of ["ID2.odt", "test_file.docx", "CAR0001.txt", "teams_timeframe.vtt"]) {
      assert.match(lines.get(ok), /^Imported: /, ok);
    }
    const failures = await failureList(app);
    assert.deepEqual([...failures.entries()], [["damaged-ID2.pdf", "the file could not be read (the reader crashed on it)"]]);
    await app.screenshot("import-formats-crash");
    await closeImport(app);
    await app.byRole("heading", "Sources (4)").waitFor();
    await openSource(app, "test_file");
    assert.match(await reader(app, "test_file").innerText(), /Αυτή είναι μια δοκιμή\./);
    // A fresh worker was started after each crash: files are read several at a time, so a crash
    // fails every file in flight; each is read again alone, and the damaged one crashes the
    // second worker too (which is how the app knows it is that file).
    const loaders = workerRequests(app).filter((r) => r.url.endsWith("_loader.js"));
    assert.equal(loaders.length, 3, "the worker is started again after each crash");
  },
);

appTest("plain text and Markdown are read by the worker too", async (app) => {
  const dir = tempDir();
  const notes = path.join(dir, "Field notes.md");
  fs.writeFileSync(notes, "# Field notes\r\n\r\nD: Hello.\r\n\r\nP: Hi there.\r\n\r\nD: Fine?\r\n");
  await createProject(app, "Plain");
  assert.equal(workerRequests(app).length, 0, "the worker is not loaded before it is needed");
  const { lines } = await importFiles(app, [corpusPath("consultations", "CAR0001.txt"), notes]);
  assert.match(lines.get("CAR0001.txt"), /^Imported: [\d,]+ characters, UTF-8/);
  assert.match(lines.get("Field notes.md"), /^Imported: [\d,]+ characters, UTF-8/);
  await closeImport(app);
  await app.byRole("heading", "Sources (2)").waitFor();
  // Read by the worker (loaded once), its line endings normalised and its speakers found there.
  assert.equal(workerRequests(app).filter((r) => r.url.endsWith("_loader.js")).length, 1);
  await openSource(app, "Field notes");
  const text = await reader(app, "Field notes").innerText();
  assert.ok(!text.includes("\r"), "line endings normalised");
  assert.match(text, /Hello\./);
  await waitForStored(app, "Plain", (r) => r.sources === 2);
});
