// REFI-QDA exchange in the browser (src/components/refi/; the REFI code runs in the file-reader
// Web Worker): import a real NVivo .qdpx as a new project, export the demo as .qdpx and import it
// again, export the codebook as .qdc, merge a codebook after a preview (one undo step), and a
// malformed .qdpx refused with a sentence naming the file and the reason.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { appTest, SHARED } from "./harness.mjs";
import { codeItem, exportMenu, openDemo, projectRows, saveStatus, tempDir, waitForHome, DEMO_PROJECT } from "./steps.mjs";

const NVIVO = path.join(SHARED, "refi", "samples", "nvivo-mac-15_codebook.qdpx");

/** Choose a file in the home screen's REFI import and wait for the summary dialog. */
async function importRefi(app, file) {
  await waitForHome(app);
  await app.page.getByLabel("Import REFI-QDA project (.qdpx)", { exact: true }).setInputFiles(file);
  const dialog = app.page.getByRole("dialog", { name: `Import ${path.basename(file)}` });
  await dialog.waitFor();
  return dialog;
}

/** The import summary's rows: label -> number. */
async function summary(dialog) {
  const rows = await dialog.getByRole("table", { name: "Import summary" }).getByRole("row").all();
  const out = {};
  for (const row of rows) {
    out[(await row.locator("th").innerText()).trim()] = Number((await row.locator("td").innerText()).trim());
  }
  return out;
}

/** Click `button` in the Export menu and return the download (name and bytes). */
async function download(app, button) {
  const menu = await exportMenu(app);
  const [d] = await Promise.all([
    app.page.waitForEvent("download"),
    menu.getByRole("button", { name: button, exact: true }).click(),
  ]);
  assert.match(d.url(), /^(blob|data):/, "the file is made in the page");
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

async function backToProjects(app) {
  await saveStatus(app).filter({ hasText: "Saved in this browser" }).waitFor();
  await app.byRole("button", "Back to projects").click();
  await waitForHome(app);
}

/** Text of an XML attribute value. */
/** The entries of a zip archive (stored or deflated, as the worker's zip writer deflates them),
 * as one text. */
function archiveText(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, "the archive has an end of central directory");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const texts = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, "central directory entry");
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    texts.push((method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data)).toString("utf8"));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return texts.join("\n");
}

function unxml(text) {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&amp;", "&");
}

/** A ZIP archive of stored entries (enough for a .qdpx). */
function storedZip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

appTest("an NVivo project imports as a new project, with what was skipped", async (app) => {
  const dialog = await importRefi(app, NVIVO);
  assert.deepEqual(await summary(dialog), {
    Sources: 0,
    Codes: 262,
    Codings: 0,
    Cases: 0,
    Sets: 0,
    "Selections that could not be placed": 0,
    "Sources skipped": 2,
  });
  // The two Word sources of this export are empty: listed with their count, not dropped silently.
  const skipped = await dialog.getByRole("region", { name: "Sources skipped" }).getByRole("listitem").allInnerTexts();
  assert.deepEqual(skipped, ["Text source without text: 2"]);
  assert.match(await dialog.innerText(), /written by NVivo for Mac 15/);
  await app.nextFrame();
  await app.screenshot("refi-import-summary");

  await dialog.getByRole("button", { name: "Open as new project" }).click();
  await app.byRole("heading", "qc project", { level: 1 }).waitFor();
  assert.ok((await app.page.getByRole("tree", { name: "Codebook" }).getByRole("treeitem").count()) > 0);
  await backToProjects(app);
  const rows = await projectRows(app);
  assert.deepEqual(rows.map((r) => [r.name, r.cells.slice(0, 3)]), [["qc project", ["0", "262", "0"]]]);
});

appTest("the demo goes out as .qdpx and .qdc and comes back with the same counts", async (app) => {
  await openDemo(app);
  // Escape closes the menu.
  await exportMenu(app);
  await app.page.keyboard.press("Escape");
  assert.equal(await app.byRole("button", "Export ▾").getAttribute("aria-expanded"), "false", "Escape closes the menu");
  const menu = await exportMenu(app);
  const key = menu.getByRole("checkbox", { name: "Include the pseudonymisation key" });
  assert.equal(await key.isChecked(), false, "the key stays home unless asked for");

  const qdpx = await download(app, "REFI-QDA project (.qdpx)");
  assert.match(qdpx.name, /\.qdpx$/);
  assert.equal(qdpx.bytes.subarray(0, 2).toString(), "PK");
  const text = qdpx.bytes.toString("latin1");
  assert.ok(text.includes("project.qde") && text.includes("framewise/sidecar.json"));
  assert.ok(!text.includes('"pseudonyms"'), "no key in the sidecar");

  // With a pseudonymisation key: left out by default, in the sidecar when the box is ticked.
  await app.byRole("button", "More").click();
  await app.byRole("menuitem", "Pseudonymise…").click();
  const pseudo = app.page.getByRole("dialog", { name: "Pseudonymise" });
  await pseudo.getByRole("textbox", { name: "Real name 1" }).fill("Zyxwa Quorrell");
  await pseudo.getByRole("textbox", { name: "Pseudonym 1" }).fill("P99");
  await app.page.keyboard.press("Tab");
  await app.page.keyboard.press("Escape");
  await pseudo.waitFor({ state: "detached" });
  const without = archiveText((await download(app, "REFI-QDA project (.qdpx)")).bytes);
  assert.ok(!without.includes("Zyxwa Quorrell") && !without.includes('"pseudonyms"'), "the key stays home");
  await (await exportMenu(app)).getByRole("checkbox", { name: "Include the pseudonymisation key" }).check();
  const withKey = archiveText((await download(app, "REFI-QDA project (.qdpx)")).bytes);
  assert.equal(
    JSON.stringify(JSON.parse(withKey.match(/"pseudonyms":(\[[^\]]*\])/)?.[1] ?? "null")),
    JSON.stringify([{ pseudonym: "P99", real: "Zyxwa Quorrell" }]),
    "the key travels when asked for",
  );

  const qdc = await download(app, "REFI-QDA codebook (.qdc)");
  assert.match(qdc.name, /\.qdc$/);
  assert.ok(!qdc.bytes.toString("utf8").includes("Zyxwa"), "a codebook never carries the key");
  const codebook = qdc.bytes.toString("utf8");
  assert.match(codebook, /<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/);
  assert.equal(codebook.match(/<Code /g).length, 22);

  await backToProjects(app);
  const dir = tempDir();
  const file = path.join(dir, qdpx.name);
  fs.writeFileSync(file, qdpx.bytes);
  const dialog = await importRefi(app, file);
  const counts = await summary(dialog);
  assert.equal(counts.Sources, 8);
  assert.equal(counts.Codes, 22);
  assert.equal(counts.Codings, 103);
  assert.equal(counts["Selections that could not be placed"], 0);
  assert.equal(counts["Sources skipped"], 0);
  assert.match(await dialog.innerText(), /Framewise's own details were found/);
  await dialog.getByRole("button", { name: "Open as new project" }).click();
  // Our own .qdpx of a project kept in this browser: asked "replace or copy?", as a project file is.
  const again = app.byRole("dialog", "This project is already in this browser");
  await again.waitFor();
  await again.getByRole("button", { name: "Open as a copy", exact: true }).click();
  await app.byRole("heading", `${DEMO_PROJECT} (copy)`, { level: 1 }).waitFor();
  await backToProjects(app);
  // Two projects now (the imported one has its own ids), with the same counts.
  const rows = await projectRows(app);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0].cells.slice(0, 3), rows[1].cells.slice(0, 3));
  assert.deepEqual(rows[0].cells.slice(0, 3), ["8", "22", "103"]);
});

appTest("merging a codebook shows new, renamed and conflicting codes first; Apply is one undo step", async (app) => {
  await openDemo(app);
  const qdc = (await download(app, "REFI-QDA codebook (.qdc)")).bytes.toString("utf8");
  // The same codebook as a colleague changed it: one description rewritten, the first code
  // renamed (same guid) with a new code under it, and a new top-level code.
  const first = qdc.match(/<Code guid="([^"]+)" name="([^"]+)"[^>]*>/);
  const [firstTag, guid, xmlName] = first;
  const name = unxml(xmlName);
  const described = [...qdc.matchAll(/<Code guid="([^"]+)" name="([^"]+)"[^>]*><Description>[^<]*<\/Description>/g)]
    .find((m) => m[1] !== guid);
  assert.ok(described, "the demo codebook has a described code");
  let changed = qdc.replace(
    described[0],
    described[0].replace(/<Description>[^<]*<\/Description>/, "<Description>A different description.</Description>"),
  );
  changed = changed.replace(
    firstTag,
    firstTag.replace(`name="${xmlName}"`, `name="${xmlName} (revised)"`) +
      '<Code guid="0f0f0f0f-0000-4000-8000-000000000001" name="Brand new code" isCodable="true"></Code>',
  );
  changed = changed.replace(
    "</Codes>",
    '<Code guid="0f0f0f0f-0000-4000-8000-000000000002" name="Placeholder" isCodable="true"></Code></Codes>',
  );
  const dir = tempDir();
  const file = path.join(dir, "colleague.qdc");
  fs.writeFileSync(file, changed);

  const menu = await exportMenu(app);
  await menu.getByLabel("Merge codebook from .qdc/.qdpx", { exact: true }).setInputFiles(file);
  const dialog = app.page.getByRole("dialog", { name: "Merge codebook from colleague.qdc" });
  await dialog.waitFor();
  const items = async (region) =>
    dialog.getByRole("region", { name: region }).getByRole("listitem").allInnerTexts();
  assert.deepEqual(await items("New codes"), [`Brand new code under ${name}`, "Placeholder"]);
  assert.deepEqual(await items("Renamed codes"), [`${name} → ${name} (revised)`]);
  const conflicts = await items("Conflicts");
  assert.equal(conflicts.length, 1, conflicts.join("\n"));
  assert.ok(conflicts[0].startsWith(`${unxml(described[2])}: its description differs`), conflicts[0]);
  await app.nextFrame();
  await app.screenshot("refi-merge-preview");

  await dialog.getByRole("button", { name: "Apply" }).click();
  await codeItem(app, `${name} (revised)`).waitFor();
  assert.equal(await codeItem(app, "Placeholder").count(), 1);
  // One step: Undo takes all of it back.
  await app.byRole("button", "Undo").click();
  await codeItem(app, name).waitFor();
  assert.equal(await codeItem(app, `${name} (revised)`).count(), 0);
  assert.equal(await codeItem(app, "Placeholder").count(), 0);
});

appTest("a malformed .qdpx is refused with the file's name and the reason; nothing changes", async (app) => {
  const dir = tempDir();
  const cases = [
    ["not-a-zip.qdpx", Buffer.from("this is not a zip archive"), /not-a-zip\.qdpx could not be read: this is not a readable \.qdpx archive/],
    ["no-project.qdpx", storedZip({ "readme.txt": "hello" }), /no-project\.qdpx could not be read: the \.qdpx archive holds no \.qde project document/],
    ["bad-xml.qdpx", storedZip({ "project.qde": "<Project xmlns=\"urn:QDA-XML:project:1.0\"><CodeBook></Project>" }), /bad-xml\.qdpx could not be read: the XML could not be read/],
  ];
  for (const [name, bytes, expected] of cases) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    await waitForHome(app);
    await app.page.getByLabel("Import REFI-QDA project (.qdpx)", { exact: true }).setInputFiles(file);
    const dialog = app.page.getByRole("dialog", { name: `Could not read ${name}` });
    await dialog.waitFor();
    assert.match(await dialog.getByRole("alert").innerText(), expected);
    await dialog.getByRole("button", { name: "OK" }).click();
    await dialog.waitFor({ state: "detached" });
  }
  assert.deepEqual(await projectRows(app), [], "no project was made");
});
