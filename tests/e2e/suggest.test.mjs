// Code suggestions (issue 13), computed in the worker from this project's own coding:
// "Find more like this" in a code's retrieval view (unit, sources, top 20 with the weighty words
// marked, the panel saying where suggestions come from; Reject hides a passage for good, even
// after the model is built again; Accept codes the passage, one undo step), and "Suggest codes"
// in the code picker (three codes with score and words; the key 1 applies the first). No request
// leaves the page while suggesting: the model lives in the worker, which gets messages, not
// requests.
import assert from "node:assert/strict";
import { appTest } from "./harness.mjs";
import { codeItem, codingText, dragSelect, openDemo, presetCoder, reader, saveProjectFile } from "./steps.mjs";

const CODE = "Burnout";

/** Wait until the panel's status is settled (not busy) and return its text. */
async function settled(panel) {
  await panel.locator('[role=status][aria-busy="false"]').waitFor();
  return panel.getByRole("status").innerText();
}

appTest("suggestions: find more like this, reject, accept, suggest codes; nothing leaves the page", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await page.waitForFunction(
    () => document.querySelector(".toolbar [role=status]")?.textContent.trim() === "Saved in this browser",
  );
  // Everything from here on is suggesting: not one request may leave the page.
  const asked = app.requests.length;

  await codeItem(app, CODE).locator(".code-name").click();
  await page
    .getByRole("region", { name: `Code ${CODE}`, exact: true })
    .getByRole("button", { name: "Retrieve segments", exact: true })
    .click();
  const retrieval = page.getByRole("region", { name: "Retrieved segments" });
  await retrieval.waitFor();
  const count = () => retrieval.locator(".retrieval-count").innerText();
  const segments = Number(/^(\d+) segments?/.exec(await count())[1]);

  const more = retrieval.getByRole("button", { name: "Find more like this" });
  assert.equal(await more.getAttribute("aria-expanded"), "false");
  await more.click();
  assert.equal(await more.getAttribute("aria-expanded"), "true");
  const panel = page.getByRole("region", { name: "Find more like this" });
  await panel
    .getByText(
      "Suggestions come from this project's own coding, computed on this computer: nothing is sent anywhere, and nothing is coded until you click Accept.",
    )
    .waitFor();
  assert.match(await settled(panel), /^\d+ passages? like the coded ones, most alike first\.$/);
  const items = panel.getByRole("list", { name: "Suggestions" }).getByRole("listitem");
  const texts = () => items.locator(".segment-text").allInnerTexts();
  const n = await items.count();
  assert.ok(n > 1 && n <= 20, `${n} suggestions`);
  // Each shows its source, score and words, and marks those words in the passage.
  const first = items.first();
  assert.match(await first.locator(".segment-meta").innerText(), /\d\.\d\d · \S/);
  const marked = await first.locator("mark").allInnerTexts();
  assert.ok(marked.length > 0, "the weighty words are marked");
  const words = (await first.locator(".segment-meta").innerText()).split(" · ").pop().toLowerCase();
  for (const m of marked) assert.ok(words.includes(m.toLowerCase()), `marked “${m}” is one of “${words}”`);
  // Nothing is coded by suggesting: the retrieval count is unchanged.
  assert.equal(Number(/^(\d+)/.exec(await count())[1]), segments);
  await app.screenshot("suggest-find-more");

  // Units: sentences are shorter than the paragraphs they come from.
  const paragraphs = await texts();
  const unit = panel.getByRole("combobox", { name: "Passages" });
  await unit.selectOption({ label: "sentences" });
  await settled(panel);
  const sentences = await texts();
  assert.ok(sentences.length > 0);
  const mean = (l) => l.reduce((a, t) => a + t.length, 0) / l.length;
  assert.ok(mean(sentences) < mean(paragraphs), "sentences are shorter than paragraphs");
  await unit.selectOption({ label: "paragraphs" });
  await settled(panel);
  assert.deepEqual(await texts(), paragraphs, "the same options give the same ranking");

  // English plurals as one word: the model is built again with plurals folded, which changes
  // the scores; unticked, the same ranking as before.
  const metas = () => items.locator(".segment-meta").allInnerTexts();
  const plain = await metas();
  const stem = panel.getByRole("checkbox", { name: "English plurals as one word (nurses = nurse)" });
  await stem.check();
  await settled(panel);
  assert.notDeepEqual(await metas(), plain, "folding plurals changes the scores or words");
  await stem.uncheck();
  await settled(panel);
  assert.deepEqual(await metas(), plain);

  // Sources: only the chosen ones are looked in.
  const sources = panel.getByRole("group", { name: "Look in these sources" });
  await panel.getByText("Sources: all").click();
  const boxes = sources.getByRole("checkbox");
  const names = await sources.locator("label").allInnerTexts();
  const only = (await items.first().locator(".segment-source").innerText()).trim();
  for (let i = 0; i < names.length; i++) {
    if (names[i].trim() !== only) await boxes.nth(i).uncheck();
  }
  await settled(panel);
  await panel.getByText(`Sources: 1 of ${names.length}`).waitFor();
  const from = await items.locator(".segment-source").allInnerTexts();
  assert.ok(from.length > 0 && from.every((s) => s.trim() === only), `every suggestion from ${only}: ${from}`);
  await app.screenshot("suggest-one-source");
  for (let i = 0; i < names.length; i++) await boxes.nth(i).check();
  await panel.getByText("Sources: all").waitFor();
  await settled(panel);
  assert.deepEqual(await texts(), paragraphs);

  // Reject the first: it leaves the list, and stays away after the model is built again.
  const rejected = paragraphs[0];
  // Each button names the suggestion it answers (not twenty buttons all called "Reject").
  assert.equal(await items.first().getByRole("button", { name: "Reject" }).getAttribute("aria-label"), `Reject suggestion 1, ${only}`);
  assert.equal(await items.nth(1).getByRole("button", { name: "Accept" }).getAttribute("aria-label"), `Accept suggestion 2, ${(await items.nth(1).locator(".segment-source").innerText()).trim()}`);
  await items.first().getByRole("button", { name: "Reject" }).click();
  await settled(panel);
  assert.ok(!(await texts()).includes(rejected), "the rejected passage is gone");
  await unit.selectOption({ label: "speaker turns" });
  await settled(panel);
  await unit.selectOption({ label: "paragraphs" });
  await settled(panel);
  const reranked = await texts();
  assert.ok(reranked.length > 0 && !reranked.includes(rejected), "the rejected passage stays gone");

  // Accept the new first: it is coded with the code (the retrieval count grows), one undo step.
  const accepted = reranked[0];
  await items.first().getByRole("button", { name: "Accept" }).click();
  await settled(panel);
  await page.waitForFunction(
    (n) => document.querySelector(".retrieval-count")?.textContent.startsWith(`${n} segments`),
    segments + 1,
  );
  const after = await texts();
  assert.ok(!after.includes(accepted) && !after.includes(rejected), "neither comes back");
  const coded = await retrieval.locator("mark.coded-text").allInnerTexts();
  assert.ok(
    coded.some((t) => t.startsWith(accepted.slice(0, 40))),
    "the accepted passage is listed among the code's segments",
  );
  await app.screenshot("suggest-accepted");
  const file = await saveProjectFile(app);
  const code = file.project.codes.find((c) => c.name === CODE);
  const codedTexts = file.project.codings.filter((c) => c.code === code.id).map((c) => codingText(file, c));
  assert.ok(codedTexts.includes(accepted), "the accepted passage is a coding of the code");
  await page.keyboard.press("Control+z");
  await page.waitForFunction(
    (n) => document.querySelector(".retrieval-count")?.textContent.startsWith(`${n} segment`),
    segments,
  );

  // "Suggest codes" for a passage selected in the reader; the key 1 applies the first code.
  await retrieval.getByRole("button", { name: "Back to reading" }).click();
  await page.getByRole("navigation", { name: "Sources" }).getByRole("button", { name: /^P01 \(/ }).click();
  await reader(app, "P01 (Clinical Director, Northgate PCN)").waitFor();
  const phrase = "so I do five clinical sessions and the rest is PCN work";
  await dragSelect(app, phrase);
  const picker = app.byRole("dialog", "Code the selection");
  await picker.getByRole("button", { name: "Suggest codes" }).click();
  const suggested = picker.getByRole("list", { name: "Suggested codes" }).getByRole("button");
  await suggested.first().waitFor();
  const k = await suggested.count();
  // With the suggestions the picker is taller: it stays inside the window (it scrolls instead).
  const box = await picker.boundingBox();
  const vh = page.viewportSize().height;
  assert.ok(box.y >= 0 && box.y + box.height <= vh, `picker ${JSON.stringify(box)} inside a window ${vh} px high`);
  assert.ok(k >= 1 && k <= 3, `${k} codes suggested`);
  const labels = await suggested.allInnerTexts();
  labels.forEach((l, i) => assert.match(l, new RegExp(`^${i + 1}\\s+\\S.*\\s\\d\\.\\d\\d · \\S`, "s"), l));
  await picker.getByText("Press 1, 2 or 3 to apply one.", { exact: false }).waitFor();
  await app.screenshot("suggest-codes");
  const name = (await suggested.first().locator("b").innerText()).split(" > ").pop();
  await page.keyboard.press("1");
  await picker.waitFor({ state: "detached" });
  await app.screenshot("suggest-codes-applied");
  const saved = await saveProjectFile(app);
  const applied = saved.project.codes.find((c) => c.name === name);
  const texts2 = saved.project.codings.filter((c) => c.code === applied.id).map((c) => codingText(saved, c));
  assert.ok(texts2.includes(phrase), `“${phrase}” is coded with ${name}`);

  // Suggesting sent nothing anywhere: no request left the page's origin, and the page (and its
  // worker) made no request at all while suggesting.
  assert.deepEqual(app.offOrigin(), []);
  // (The browser itself fetches the tab's icon, /icon.svg, when it likes: not the page's doing.)
  const during = app.requests
    .slice(asked)
    .filter((r) => !r.serviceWorker && !(r.method === "GET" && new URL(r.url).pathname === "/icon.svg"));
  assert.deepEqual(during, [], "no request while suggesting");
});
