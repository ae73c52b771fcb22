// Charts (issue 10): the Charts view draws the demo's code frequencies, codes by an attribute's
// values (grouped and stacked), a document portrait and the code hierarchy as SVG made by core in
// the worker; each SVG is an image named by its title and description, its numbers agree with
// the data table beside it, and the SVG, PNG and CSV downloads hold the chart and its data.
import assert from "node:assert/strict";
import fs from "node:fs";
import { appTest } from "./harness.mjs";
import { openDemo, parseCsv, presetCoder, showView } from "./steps.mjs";

/** Wait until the chart shown has this title (its SVG `<title>`), then return its parts. */
async function chartTitled(app, title) {
  await app.page.waitForFunction(
    (title) => document.querySelector(".chart-figure svg > title")?.textContent === title,
    title,
  );
  const svg = app.byRole("img", new RegExp(`^${title.replace(/[()]/g, "\\$&")}`));
  await svg.waitFor();
  return app.page.evaluate(() => {
    const figure = document.querySelector(".chart-figure");
    const shapes = (selector) =>
      [...figure.querySelectorAll(selector)].map((r) => ({
        value: Number(r.getAttribute("data-value")),
        // The tooltip of the shape's group: the code's path first.
        group: r.closest("g")?.querySelector(":scope > title")?.textContent ?? "",
        tip: r.querySelector("title")?.textContent ?? "",
      }));
    const table = figure.querySelector("table");
    return {
      desc: figure.querySelector("svg > desc").textContent,
      bars: shapes("rect.bar"),
      marks: shapes("rect.mark"),
      tiles: shapes("rect.tile"),
      header: [...table.querySelectorAll("thead th")].map((c) => c.textContent),
      rows: [...table.querySelectorAll("tbody tr")].map((tr) =>
        [...tr.children].map((c) => c.textContent),
      ),
    };
  });
}

/** Click a download button and return the file's name and bytes. */
async function download(app, name) {
  const [file] = await Promise.all([
    app.page.waitForEvent("download"),
    app.byRole("group", "Download the chart").getByRole("button", { name, exact: true }).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

/** A CSV's rows as core writes it (quoted fields may hold commas and doubled quotes). */
appTest("charts of the demo: bars, grouped and stacked, a portrait, the treemap, and their files", async (app) => {
  const { page } = app;
  await presetCoder(app);
  await openDemo(app);
  await showView(app, "Charts");
  assert.match(await page.evaluate(() => location.hash), /^#\/p\/[0-9a-f-]{36}\/charts$/);

  // Code frequencies: one bar per code of the demo (22), each the count the table says.
  const freq = await chartTitled(app, "Code frequencies");
  assert.deepEqual(freq.header, ["Code", "Coded segments"]);
  assert.equal(freq.rows.length, 22);
  assert.equal(freq.bars.length, 22);
  freq.rows.forEach(([code, count], i) => {
    assert.equal(freq.bars[i].group, code, "bars in the table's order");
    assert.equal(freq.bars[i].value, Number(count), code);
  });
  const total = freq.bars.reduce((n, b) => n + b.value, 0);
  assert.equal(total, 103, "the demo's 103 codings");
  const counts = freq.bars.map((b) => b.value);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a), "the most frequent first");
  assert.match(freq.desc, /^Horizontal bar chart of the coded segments of 22 codes/);
  await app.screenshot("chart-frequencies");

  // The downloads: the SVG as shown, the CSV of the table, a PNG.
  const svgFile = await download(app, "Download SVG");
  assert.equal(svgFile.name, "code-frequencies.svg");
  const svgText = svgFile.bytes.toString("utf8");
  assert.ok(svgText.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), svgText.slice(0, 80));
  assert.match(svgText, /role="img" aria-labelledby="chart-title chart-desc"/);
  assert.equal(svgText.match(/class="bar"/g).length, 22);
  const csvFile = await download(app, "Download CSV");
  assert.equal(csvFile.name, "code-frequencies.csv");
  assert.deepEqual(parseCsv(csvFile.bytes.toString("utf8")), [freq.header, ...freq.rows]);
  const png = await download(app, "Download PNG");
  assert.equal(png.name, "code-frequencies.png");
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.bytes.length > 5_000, `a drawn PNG, not an empty one (${png.bytes.length} bytes)`);

  // The ten most frequent codes only.
  await app.byRole("combobox", "Codes").selectOption("top:10");
  await page.waitForFunction(() => document.querySelectorAll(".chart-figure rect.bar").length === 10);
  const top = await chartTitled(app, "Code frequencies");
  assert.deepEqual(top.rows, freq.rows.slice(0, 10));

  // Codes by attribute value: a bar per value in each code's band, as the table's cells.
  await app.byRole("combobox", "Chart").selectOption({ label: "Codes by attribute value" });
  const attribute = app.byRole("combobox", "Attribute");
  const attributeName = (await attribute.locator("option:checked").innerText()).trim();
  const grouped = await chartTitled(app, `Codes by ${attributeName}`);
  assert.match(grouped.desc, /^Grouped bar chart/);
  const values = grouped.header.slice(1);
  assert.ok(values.length >= 2, grouped.header.join(" | "));
  assert.equal(grouped.rows.length, 10, "still the ten most frequent");
  const cells = grouped.rows.flatMap((r) => r.slice(1).map(Number));
  assert.deepEqual(grouped.bars.map((b) => b.value), cells);
  for (const [i, bar] of grouped.bars.entries()) {
    const row = grouped.rows[Math.floor(i / values.length)];
    assert.ok(bar.tip.startsWith(`${row[0]} — ${values[i % values.length]}: `), bar.tip);
  }
  await app.screenshot("chart-by-attribute-grouped");
  await app.byRole("combobox", "Bars").selectOption({ label: "Stacked" });
  await page.waitForFunction(() =>
    document.querySelector(".chart-figure svg > desc")?.textContent.startsWith("Stacked"),
  );
  const stacked = await chartTitled(app, `Codes by ${attributeName}`);
  assert.deepEqual(stacked.rows, grouped.rows);
  assert.deepEqual(stacked.bars.map((b) => b.value), cells);
  await app.screenshot("chart-by-attribute-stacked");

  // A document portrait: a mark per coding of the source, as many as the table's rows.
  await app.byRole("combobox", "Chart").selectOption({ label: "Document portrait" });
  const source = app.byRole("combobox", "Source");
  const sourceName = (await source.locator("option:checked").innerText()).trim();
  const portrait = await chartTitled(app, `Document portrait: ${sourceName}`);
  assert.deepEqual(portrait.header, ["Code", "From (% of the text)", "To (% of the text)"]);
  assert.ok(portrait.rows.length > 3, `${portrait.rows.length} codings`);
  assert.equal(portrait.marks.length, portrait.rows.length);
  portrait.rows.forEach(([code, from, to], i) => {
    assert.equal(portrait.marks[i].tip, `${code}: ${from}%–${to}% of the text`);
    assert.ok(Number(from) <= Number(to) && Number(to) <= 100, `${from}–${to}`);
  });
  await app.screenshot("chart-portrait");

  // The code hierarchy: a tile per code drawn, its size the table's count with the codes below.
  await app.byRole("combobox", "Chart").selectOption({ label: "Code hierarchy (treemap)" });
  const tree = await chartTitled(app, "Code hierarchy");
  assert.deepEqual(tree.header, ["Code", "Coded segments", "With codes below"]);
  const withBelow = new Map(tree.rows.map(([code, , all]) => [code, Number(all)]));
  const topLevel = tree.rows.filter(([code]) => !code.includes(" > "));
  assert.equal(topLevel.reduce((n, [, , all]) => n + Number(all), 0), 103);
  const named = tree.tiles.filter((t) => !t.group.includes(", coded directly: "));
  assert.ok(named.length >= topLevel.length, `${named.length} tiles`);
  for (const tile of named) {
    const path = tile.group.slice(0, tile.group.lastIndexOf(": "));
    assert.equal(tile.value, withBelow.get(path), tile.group);
  }
  for (const [code] of topLevel) {
    assert.ok(named.some((t) => t.group.startsWith(`${code}: `)), `a tile for ${code}`);
  }
  await app.screenshot("chart-hierarchy");
  const treeCsv = await download(app, "Download CSV");
  assert.equal(treeCsv.name, "code-hierarchy.csv");
  assert.deepEqual(parseCsv(treeCsv.bytes.toString("utf8")), [tree.header, ...tree.rows]);
});
