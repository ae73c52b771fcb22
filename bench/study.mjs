// The study-scale workload of issue 12 ("Performance at study scale"), generated from the real
// corpus in ../shared/corpus and deterministic for a given seed (ids included):
// - 100 interview transcripts of 10,000 words with speaker turns (1,000,000 words), one case each;
// - one long source of 300,000 characters (transcript lines, with speaker turns);
// - 20 field notes (prose paragraphs, no turns);
// - 80 codes in a 3-level tree: 4 themes > 16 subthemes > 60 leaf codes;
// - 20,000 codings: 180 per transcript, 1,500 on the long source, 25 per field note;
// - 100 cases with 4 attributes (site: one of 7, role, years in post, consent);
// - one framework matrix, 100 cases × 40 leaf codes, with 1,000 cell summaries.
// Written as a Framewise project file (format "framewise-project", version 3, see
// core/src/persist/file.rs and saved.rs), which the home screen's "Open project file" opens.
//
// `node bench/study.mjs [OUT.framewise.json] [--seed N]` writes it (default:
// target/study.framewise.json) and prints its facts; bench/bench.mjs (group `study`) uses it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { prng, corpusLines } from "./fixtures.mjs";

export const STUDY = {
  transcripts: 100,
  wordsPerTranscript: 10_000,
  longChars: 300_000,
  fieldNotes: 20,
  sites: 7,
  codings: 20_000,
  perTranscript: 180,
  onLong: 1_500,
  perFieldNote: 25,
  matrixColumns: 40,
  summaries: 1_000,
};

const wordsOf = (line) => line.split(/\s+/).filter(Boolean).length;
const pad = (n, w = 2) => String(n).padStart(w, "0");

/** UUIDs (version 4 layout) drawn from a seeded PRNG: the same file for the same seed. */
function uuidFrom(rnd) {
  return () => {
    let hex = "";
    for (let i = 0; i < 32; i++) hex += Math.floor(rnd() * 16).toString(16);
    const v = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${v}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}

/**
 * A transcript text from `Speaker: text` lines joined by blank lines, with its speaker turns
 * (UTF-8 byte offsets of what was said, after the label, as core's detect_turns gives them) and
 * its utterances (the same spans, with their text, for placing codings).
 */
function transcript(lines) {
  let text = "";
  let bytes = 0;
  const turns = [];
  const utter = [];
  lines.forEach((line, i) => {
    if (i > 0) {
      text += "\n\n";
      bytes += 2;
    }
    const colon = line.indexOf(": ");
    const said = line.slice(colon + 2).trimEnd();
    const s = bytes + Buffer.byteLength(line.slice(0, colon + 2));
    const e = s + Buffer.byteLength(said);
    if (colon > 0 && e > s) {
      turns.push({ speaker: line.slice(0, colon), start: s, end: e });
      utter.push({ s, e, text: said });
    }
    text += line;
    bytes += Buffer.byteLength(line);
  });
  return { text: text + "\n", turns, utter };
}

/** Prose paragraphs (the corpus lines without their labels), for field notes. */
function prose(paragraphs) {
  let text = "";
  let bytes = 0;
  const utter = [];
  paragraphs.forEach((p, i) => {
    if (i > 0) {
      text += "\n\n";
      bytes += 2;
    }
    utter.push({ s: bytes, e: bytes + Buffer.byteLength(p), text: p });
    text += p;
    bytes += Buffer.byteLength(p);
  });
  return { text: text + "\n", turns: [], utter };
}

/**
 * The study project: returns the JSON text and the facts the benchmark checks (names, counts,
 * the expected segment count of every matrix cell and of every case × code crosstab cell).
 */
export function makeStudyProject(shared, { seed = 12 } = {}) {
  const lines = corpusLines(shared);
  const rnd = prng(seed);
  const pick = (n) => Math.floor(rnd() * n);
  const uuid = uuidFrom(prng(seed ^ 0x5eed));
  const now = 1_767_000_000_000;

  // --- Sources
  const sources = [];
  const shapes = new Map(); // source id -> { utter }
  const addSource = (name, kind, built) => {
    const source = { id: uuid(), name, kind, memo: "", imported: now, file_name: `${name}.txt`, text: built.text };
    if (built.turns.length) source.turns = built.turns;
    sources.push(source);
    shapes.set(source.id, built);
    return source;
  };
  const stride = Math.floor(lines.length / STUDY.transcripts);
  const transcripts = [];
  let words = 0;
  for (let i = 0; i < STUDY.transcripts; i++) {
    const picked = [`Interviewer: Study interview ${i + 1} of ${STUDY.transcripts}, recorded for the evaluation.`];
    let n = wordsOf(picked[0]);
    let at = (i * stride + i * 97) % lines.length;
    const step = 1 + (i % 3);
    while (n < STUDY.wordsPerTranscript) {
      const line = lines[at % lines.length];
      picked.push(line);
      n += wordsOf(line);
      at += step;
    }
    words += n;
    transcripts.push(addSource(`Interview ${pad(i + 1, 3)}`, "interview", transcript(picked)));
  }
  // The long source: transcript lines from a place no interview starts at, to 300,000 characters.
  const longLines = ["Chair: Long meeting record for the evaluation."];
  let chars = longLines[0].length;
  for (let at = 7 + Math.floor(stride / 2); chars < STUDY.longChars; at += 5) {
    const line = lines[at % lines.length];
    longLines.push(line);
    chars += [...line].length + 2;
  }
  const long = addSource("Long meeting record", "interview", transcript(longLines));
  const notes = [];
  for (let i = 0; i < STUDY.fieldNotes; i++) {
    const paras = [`Field notes from site visit ${i + 1}.`];
    for (let k = 0; k < 40; k++) {
      const line = lines[(i * 911 + k * 13 + 3) % lines.length];
      paras.push(line.slice(line.indexOf(": ") + 2).trimEnd());
    }
    notes.push(addSource(`Field notes ${pad(i + 1)}`, "field_notes", prose(paras)));
  }

  // --- Codes: 4 themes > 16 subthemes (4 each) > 60 leaves (4 under the first 12, 3 under the rest).
  const palette = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999"];
  const code = (name, parent, i, description) => ({
    id: uuid(),
    name,
    parent,
    color: palette[i % palette.length],
    description,
    origin: i % 2 ? "inductive" : "deductive",
    memo: "",
    created: now + i,
  });
  const themes = ["Access", "Workforce", "Integration", "Outcomes"].map((n, i) => code(`Theme ${n}`, null, i, `Theme: ${n.toLowerCase()}`));
  const subthemes = Array.from({ length: 16 }, (_, i) => code(`Subtheme ${pad(i + 1)}`, themes[Math.floor(i / 4)].id, 10 + i, `Subtheme ${i + 1}`));
  const leaves = [];
  subthemes.forEach((sub, si) => {
    for (let k = 0; k < (si < 12 ? 4 : 3); k++) leaves.push(code(`Mechanism ${pad(leaves.length + 1)}`, sub.id, 100 + leaves.length, `Leaf code ${leaves.length + 1}`));
  });
  const codes = [];
  for (const t of themes) {
    codes.push(t);
    for (const s of subthemes.filter((x) => x.parent === t.id)) {
      codes.push(s);
      codes.push(...leaves.filter((x) => x.parent === s.id));
    }
  }
  if (codes.length !== 80 || leaves.length !== 60) throw new Error(`code tree: ${codes.length} codes, ${leaves.length} leaves`);

  // --- Codings: leaf codes, earlier ones more often; one utterance or a phrase inside it.
  const codings = [];
  const seen = new Set();
  const place = (source, want) => {
    const { utter } = shapes.get(source.id);
    const buf = Buffer.from(source.text, "utf8");
    for (let made = 0, k = 0; made < want; k++) {
      if (k > want * 20) throw new Error(`cannot place ${want} distinct codings in ${source.name}`);
      const c = leaves[Math.min(leaves.length - 1, Math.floor(leaves.length * Math.pow(rnd(), 1.3)))];
      const u = utter[pick(utter.length)];
      let s = u.s;
      let e = u.e;
      if (rnd() < 0.5) {
        const ws = [...u.text.matchAll(/\S+/g)];
        if (ws.length >= 2) {
          const a = pick(ws.length - 1);
          const b = a + 1 + pick(Math.min(8, ws.length - a - 1));
          s = u.s + Buffer.byteLength(u.text.slice(0, ws[a].index));
          e = u.s + Buffer.byteLength(u.text.slice(0, ws[b - 1].index + ws[b - 1][0].length));
        }
      }
      const key = `${source.id}:${c.id}:${s}:${e}`;
      if (seen.has(key)) continue;
      for (const x of [s, e]) {
        if (x < buf.length && (buf[x] & 0xc0) === 0x80) throw new Error(`span end ${x} inside a character`);
      }
      seen.add(key);
      codings.push({ id: uuid(), source: source.id, code: c.id, start: s, end: e, coder: made % 3 ? "Amélie" : "Bench", created: now + 1000 + codings.length });
      made++;
    }
  };
  for (const t of transcripts) place(t, STUDY.perTranscript);
  place(long, STUDY.onLong);
  for (const n of notes) place(n, STUDY.perFieldNote);
  if (codings.length !== STUDY.codings) throw new Error(`${codings.length} codings`);
  const order = new Map(sources.map((s, i) => [s.id, i]));
  codings.sort((a, b) => order.get(a.source) - order.get(b.source) || a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // --- Attributes and cases: one case per interview, sites round-robin.
  const siteNames = ["Northgate", "Riverside", "Hillcrest", "Eastmoor", "Westbrook", "Southfield", "Lakeside"];
  const attributes = [
    { id: uuid(), name: "site", kind: "category", categories: siteNames },
    { id: uuid(), name: "role", kind: "category", categories: ["manager", "GP", "pharmacist", "ARRS staff"] },
    { id: uuid(), name: "years in post", kind: "number" },
    { id: uuid(), name: "consent", kind: "yes_no" },
  ];
  const [site, role, years, consent] = attributes;
  const cases = transcripts.map((t, i) => ({
    id: uuid(),
    name: `P${pad(i + 1, 3)}`,
    parent: null,
    sources: [t.id],
    memo: "",
    values: {
      [site.id]: { type: "category", value: siteNames[i % STUDY.sites] },
      [role.id]: { type: "category", value: role.categories[pick(4)] },
      [years.id]: { type: "number", value: 1 + pick(20) },
      [consent.id]: { type: "yes_no", value: i % 9 !== 0 },
    },
    created: now,
  }));

  // Segments per source × code, for the checks of the matrix and the crosstab.
  const bySourceCode = new Map();
  for (const c of codings) bySourceCode.set(`${c.source}/${c.code}`, (bySourceCode.get(`${c.source}/${c.code}`) ?? 0) + 1);
  const columns = leaves.slice(0, STUDY.matrixColumns);
  const expected = new Map(); // "P001 × Mechanism 01" -> segments
  for (const kase of cases) {
    for (const c of columns) expected.set(`${kase.name} × ${c.name}`, bySourceCode.get(`${kase.sources[0]}/${c.id}`) ?? 0);
  }

  // --- The matrix: 10 summarised cells with data per case (1,000), each with a quote reference
  // to one of the cell's codings (the next column with data when a column has none).
  const cells = [];
  cases.forEach((kase, i) => {
    const used = new Set();
    for (let k = 0, j = 0; k < STUDY.summaries / cases.length; j++) {
      if (j >= columns.length * 2) throw new Error(`${kase.name}: too few cells with data`);
      const c = columns[(i + k * 4 + j) % columns.length];
      if (used.has(c.id)) continue;
      const quote = codings.find((x) => x.source === kase.sources[0] && x.code === c.id);
      if (!quote) continue;
      used.add(c.id);
      cells.push({ case: kase.id, code: c.id, summary: `${kase.name} on ${c.name}: what was said, condensed in a sentence or two. [[quote:${quote.id}]]` });
      k++;
      j = -1;
    }
  });
  if (cells.length !== STUDY.summaries) throw new Error(`${cells.length} summaries`);
  const matrix = {
    id: uuid(),
    name: "Mechanisms by participant",
    rows: { type: "all" },
    columns: columns.map((c) => c.id),
    group_by: null,
    include_subcases: true,
    include_child_codes: true,
    created: now,
    cells,
    case_summaries: [],
  };

  const project = {
    id: uuid(),
    name: "Study scale bench",
    memo: `Benchmark project (issue 12): ${sources.length} sources, ${codes.length} codes, ${codings.length} codings, ${cases.length} cases, one ${cases.length} × ${columns.length} matrix.`,
    created: now,
    modified: now,
    last_opened: now,
    sources,
    codes,
    codings,
    attributes,
    cases,
    matrices: [matrix],
    sets: [],
  };
  const json = JSON.stringify({ format: "framewise-project", version: 3, project }, null, 1);
  return {
    json,
    projectId: project.id,
    projectName: project.name,
    matrixName: matrix.name,
    sources: sources.length,
    transcriptWords: words,
    turns: sources.reduce((n, s) => n + (s.turns?.length ?? 0), 0),
    long: { name: long.name, chars: [...long.text].length, codings: STUDY.onLong, tail: long.text.trimEnd().slice(-30) },
    transcriptNames: transcripts.map((t) => t.name),
    codes: codes.length,
    leafNames: leaves.map((c) => c.name),
    /** Codings per leaf code, in the order of `leafNames`. */
    leafCodings: leaves.map((c) => codings.filter((x) => x.code === c.id).length),
    columns: columns.map((c) => c.name),
    codings: codings.length,
    cases: cases.map((c) => c.name),
    summaries: cells.length,
    expected,
    /** Codings in the cases' sources (the crosstab's grand total of segments). */
    caseCodings: transcripts.length * STUDY.perTranscript,
    /** The transcripts' texts, for importing them as files. */
    transcriptTexts: () => transcripts.map((t) => ({ name: t.name, text: t.text })),
  };
}

/** Writes the study project file (into a fresh temp dir unless `file` is given). */
export function writeStudyProject(shared, { file, seed } = {}) {
  const made = makeStudyProject(shared, { seed });
  const dir = file ? null : fs.mkdtempSync(path.join(os.tmpdir(), "framewise-bench-study-"));
  const out = file ?? path.join(dir, "study-bench.framewise.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, made.json);
  return {
    ...made,
    file: out,
    bytes: Buffer.byteLength(made.json),
    cleanup: () => dir && fs.rmSync(dir, { recursive: true, force: true }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const args = process.argv.slice(2);
  const at = args.indexOf("--seed");
  const seed = at >= 0 ? Number(args.splice(at, 2)[1]) : undefined;
  const file = path.resolve(args[0] ?? path.join(root, "target", "study.framewise.json"));
  const made = writeStudyProject(path.resolve(root, "..", "shared"), { file, seed });
  const { json, expected, transcriptTexts, transcriptNames, leafNames, columns, cases, cleanup, ...facts } = made;
  console.log(JSON.stringify({ ...facts, cases: cases.length, columns: columns.length, MB: (made.bytes / 1e6).toFixed(1) }, null, 1));
}

// ---------------------------------------------------------------------------------------------
// The 100 transcripts as files to import: .txt, or .docx (a minimal WordprocessingML package,
// one paragraph per line, written with a small stored/deflated zip writer).

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive (deflated entries, no extras) of `entries`: [{ name, data: Buffer }]. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, "utf8");
    const packed = zlib.deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const xmlEscape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A minimal .docx holding `text`, one paragraph per non-empty line. */
export function docx(text) {
  const paras = text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(l)}</w:t></w:r></w:p>`)
    .join("");
  const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  return zip([
    {
      name: "[Content_Types].xml",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
      ),
    },
    {
      name: "_rels/.rels",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
      ),
    },
    {
      name: "word/document.xml",
      data: Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${paras}</w:body></w:document>`),
    },
  ]);
}

/** Writes the study's 100 transcripts as `.txt` or `.docx` files into a fresh temp dir. */
export function writeStudyTranscripts(made, ext) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `framewise-bench-study-${ext}-`));
  const files = made.transcriptTexts().map(({ name, text }) => {
    const file = path.join(dir, `${name}.${ext}`);
    fs.writeFileSync(file, ext === "docx" ? docx(text) : text);
    return file;
  });
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  return { dir, files, bytes, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
