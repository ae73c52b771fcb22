// Safe hand-over (issue 11): "Save a copy to hand over" writes the project file encrypted with a
// passphrase in the age format (`age -d` reads it: worker/src/seal.rs tests that against
// Debian's age), with chosen parts left out; opening it asks for the passphrase, a wrong one
// opens nothing and says so, the right one opens the project as it was.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { appTest } from "./harness.mjs";
import { DEMO_PROJECT, openDemo, presetCoder, tempDir, waitForHome } from "./steps.mjs";

const PASSPHRASE = "correct horse battery";

/** From the workbench's More menu, open "Save a copy to hand over". */
async function openShare(app) {
  await app.byRole("button", "More").click();
  await app.page.getByRole("menuitem", { name: "Save a copy to hand over (encrypted)…" }).click();
  const dialog = app.byRole("dialog", "Save a copy to hand over");
  await dialog.waitFor();
  return dialog;
}

/** Click `button` of `dialog` and return the downloaded file's bytes and suggested name. */
async function download(app, dialog, button) {
  const [file] = await Promise.all([
    app.page.waitForEvent("download"),
    dialog.getByRole("button", { name: button, exact: true }).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

appTest("an encrypted copy opens with its passphrase only; parts can be left out", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);

  // Encrypted (the default): the save button waits for two equal passphrases of 8+ characters.
  let dialog = await openShare(app);
  const save = dialog.getByRole("button", { name: "Save encrypted copy" });
  assert.equal(await save.isDisabled(), true);
  await dialog.getByLabel("Passphrase", { exact: true }).fill(PASSPHRASE);
  await dialog.getByLabel("Passphrase again").fill(PASSPHRASE + "x");
  assert.match(await dialog.innerText(), /The two passphrases differ/);
  assert.match(await dialog.innerText(), /protects the saved file only/);
  await dialog.getByLabel("Passphrase again").fill(PASSPHRASE);
  await app.screenshot("handover-dialog");
  const sealed = await download(app, dialog, "Save encrypted copy");
  await dialog.waitFor({ state: "detached", timeout: 60_000 });
  assert.match(sealed.name, /\.framewise\.json\.age$/);
  assert.equal(sealed.bytes.subarray(0, 21).toString(), "age-encryption.org/v1");
  assert.ok(!sealed.bytes.includes(Buffer.from("Primary Care")), "no plain text in the file");

  // Without source texts and memos, not encrypted: the words are gone, the codings stay.
  dialog = await openShare(app);
  await dialog.getByRole("checkbox", { name: "Encrypt with a passphrase (age format)" }).uncheck();
  await dialog.getByRole("checkbox", { name: /^Source texts/ }).check();
  await dialog.getByRole("checkbox", { name: /^Memos/ }).check();
  const plain = await download(app, dialog, "Save copy");
  const file = JSON.parse(plain.bytes.toString("utf8"));
  assert.ok(file.project.codings.length > 0);
  assert.ok(file.project.sources.every((s) => /^[ \n]*$/.test(s.text)), "texts blanked");
  assert.equal(file.project.memo ?? "", "");

  // Open the encrypted file from the home screen: the demo is already kept here, so remove it.
  await page.getByRole("button", { name: "Back to projects" }).click();
  await waitForHome(app);
  await app.byRole("button", `Delete ${DEMO_PROJECT}`).click();
  await app.byRole("dialog", "Delete project?").getByRole("button", { name: "Delete project" }).click();
  await app.byRole("button", `Open ${DEMO_PROJECT}`).waitFor({ state: "detached" });

  const dir = tempDir();
  const sealedPath = path.join(dir, sealed.name);
  fs.writeFileSync(sealedPath, sealed.bytes);
  await page.getByLabel("Open project file", { exact: true }).setInputFiles(sealedPath);
  const unlock = app.byRole("dialog", "Open encrypted file");
  await unlock.waitFor();
  await unlock.getByLabel("Passphrase").fill("not the passphrase");
  await unlock.getByRole("button", { name: "Open", exact: true }).click();
  await unlock.getByRole("alert").waitFor({ timeout: 60_000 });
  assert.match(await unlock.getByRole("alert").innerText(), /Wrong passphrase/);
  assert.equal(await page.getByRole("heading", { name: DEMO_PROJECT, level: 1 }).count(), 0, "nothing opened");

  // A tampered copy is refused too.
  const tampered = Buffer.from(sealed.bytes);
  tampered[tampered.length - 20] ^= 1;
  await unlock.getByLabel("Passphrase").fill(PASSPHRASE);
  await unlock.getByRole("button", { name: "Open", exact: true }).click();
  await app.byRole("heading", DEMO_PROJECT, { level: 1 }).waitFor({ timeout: 60_000 });
  await page.getByRole("heading", { name: "Sources (8)" }).waitFor();

  await page.getByRole("button", { name: "Back to projects" }).click();
  await waitForHome(app);
  const tamperedPath = path.join(dir, "tampered.framewise.json.age");
  fs.writeFileSync(tamperedPath, tampered);
  await page.getByLabel("Open project file", { exact: true }).setInputFiles(tamperedPath);
  await unlock.waitFor();
  await unlock.getByLabel("Passphrase").fill(PASSPHRASE);
  await unlock.getByRole("button", { name: "Open", exact: true }).click();
  await unlock.getByRole("alert").waitFor({ timeout: 60_000 });
  assert.match(await unlock.getByRole("alert").innerText(), /changed|nothing was opened/);
  await unlock.getByRole("button", { name: "Cancel" }).click();
});
