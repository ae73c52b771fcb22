// Generated test material for bench/bench.mjs, built from the real corpus in ../shared/corpus:
// 50 distinct transcripts of ~10,000 words, and a project file holding the Apollo 13
// air-to-ground transcript (1.3 MB) with 2,000 codings over 10 codes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";

/** Deterministic PRNG (mulberry32), so the same spans are generated on every run. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const wordsOf = (line) => line.split(/\s+/).filter(Boolean).length;
const lf = (text) => text.replace(/\r\n?/g, "\n");

/**
 * Writes `count` distinct .txt transcripts of about `words` words each into a fresh temp dir.
 * Each file takes `Speaker: text` lines from the meetings corpus (then the consultations),
 * starting at a different file and line, and begins with its own title line, so no two files
 * have the same text. Returns the paths and, per file, the expected character count (code
 * points of the LF-normalised text, as the app reports).
 */
export function makeTranscripts(shared, count = 50, words = 10_000) {
  const dirs = ["meetings", "consultations"].map((d) => path.join(shared, "corpus", d));
  const lines = [];
  for (const dir of dirs) {
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith(".txt")) continue;
      for (const line of lf(fs.readFileSync(path.join(dir, name), "utf8")).split("\n")) {
        if (/^[^:\n]{1,40}: \S/.test(line)) lines.push(line);
      }
    }
  }
  if (lines.length < 1000) throw new Error(`too few transcript lines in ${dirs.join(", ")}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "framewise-bench-"));
  const files = [];
  const stride = Math.floor(lines.length / count);
  for (let i = 0; i < count; i++) {
    const out = [`Interviewer: Benchmark transcript ${i + 1} of ${count}.`];
    let n = wordsOf(out[0]);
    // Start at a different place in the corpus for each file, and step through it with a
    // file-specific skip so even overlapping stretches are interleaved differently.
    let at = (i * stride + i * 97) % lines.length;
    const step = 1 + (i % 3);
    while (n < words) {
      const line = lines[at % lines.length];
      out.push(line);
      n += wordsOf(line);
      at += step;
    }
    const text = out.join("\n\n") + "\n";
    const file = path.join(dir, `transcript-${String(i + 1).padStart(2, "0")}.txt`);
    fs.writeFileSync(file, text);
    files.push({ file, name: path.basename(file), words: n, chars: [...text].length, bytes: Buffer.byteLength(text) });
  }
  const distinct = new Set(files.map((f) => fs.readFileSync(f.file, "utf8")));
  if (distinct.size !== count) throw new Error("generated transcripts are not all distinct");
  return { dir, files, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The codes of the Apollo bench project: top level, no name contained in another. */
export const APOLLO_CODES = [
  ["Navigation", "#e69f00"],
  ["Propulsion", "#56b4e9"],
  ["Electrical power", "#009e73"],
  ["Life support", "#f0e442"],
  ["Radio checks", "#0072b2"],
  ["Crew wellbeing", "#d55e00"],
  ["Procedures", "#cc79a7"],
  ["Ground support", "#999999"],
  ["Consumables", "#882255"],
  ["Trajectory", "#117733"],
];

/**
 * The project file (format "framewise-project", version 1, see core/src/persist/file.rs and
 * saved.rs) with a small note listed first (so the project opens on it) and the LF-normalised
 * Apollo 13 transcript with `codingCount` codings spread over the whole text: mostly one
 * utterance (after the speaker label), some running over the next paragraphs, some a phrase
 * inside a line, and some doubled with another code on the same or an overlapping span.
 * Spans are UTF-8 byte offsets on char boundaries; codings are sorted by (start, end, id).
 */
export function makeApolloProject(shared, codingCount = 2000) {
  const text = lf(fs.readFileSync(path.join(shared, "corpus", "long", "apollo13_air_to_ground.txt"), "utf8"));
  const buf = Buffer.from(text, "utf8");
  // Utterance lines: "CDR: text" (byte offsets of the text after the label, and of line end).
  const utterances = [];
  let lineStart = 0;
  for (const line of text.split("\n")) {
    const m = /^([A-Z][A-Z0-9 ]{0,10}):\s+(\S)/.exec(line);
    if (m) {
      const labelEnd = line.indexOf(m[2], m[1].length + 1);
      const s = lineStart + Buffer.byteLength(line.slice(0, labelEnd));
      const e = lineStart + Buffer.byteLength(line.trimEnd());
      if (e > s) utterances.push({ s, e, line: line.slice(labelEnd).trimEnd(), textStart: s });
    }
    lineStart += Buffer.byteLength(line) + 1;
  }
  if (lineStart - 1 !== buf.length) throw new Error("byte offsets of the Apollo lines do not add up");

  const now = 1_767_000_000_000;
  const project = {
    id: randomUUID(),
    name: "Apollo 13 bench",
    memo: "Benchmark project: the Apollo 13 air-to-ground transcript with 2,000 codings.",
    created: now,
    modified: now,
    last_opened: now,
    sources: [],
    codes: [],
    codings: [],
  };
  const small = {
    id: randomUUID(),
    name: "Mission briefing note",
    kind: "document",
    memo: "",
    imported: now,
    file_name: "Mission briefing note.txt",
    text: "Briefing: the crew reviewed the flight plan.\n\nFlight: weather at the Cape is good.\n",
  };
  const apollo = {
    id: randomUUID(),
    name: "Apollo 13 air-to-ground",
    kind: "interview",
    memo: "",
    imported: now,
    file_name: "apollo13_air_to_ground.txt",
    text,
  };
  project.sources.push(small, apollo);
  project.codes = APOLLO_CODES.map(([name, color], i) => ({
    id: randomUUID(),
    name,
    parent: null,
    color,
    description: `Talk about ${name.toLowerCase()}`,
    origin: "deductive",
    memo: "",
    created: now + i,
  }));

  const rnd = prng(13);
  const pick = (n) => Math.floor(rnd() * n);
  const seen = new Set();
  const spans = [];
  const add = (s, e, code) => {
    const key = `${s}:${e}:${code}`;
    if (e <= s || seen.has(key)) return false;
    seen.add(key);
    spans.push({ s, e, code });
    return true;
  };
  // The opening utterances get a few codings, so the first screen shows highlights.
  for (let i = 0; i < 40 && spans.length < codingCount; i += 3) {
    const u = utterances[i];
    add(u.s, u.e, project.codes[i % 10].id);
  }
  while (spans.length < codingCount) {
    // Spread evenly: the n-th coding falls in the n-th stretch of the transcript.
    const slot = spans.length % codingCount;
    const lo = Math.floor((slot / codingCount) * utterances.length);
    const hi = Math.max(lo + 1, Math.floor(((slot + 1) / codingCount) * utterances.length));
    const ui = lo + pick(hi - lo);
    const u = utterances[ui];
    const code = project.codes[pick(10)].id;
    const r = rnd();
    if (r < 0.6) {
      add(u.s, u.e, code); // one utterance
    } else if (r < 0.75) {
      const last = utterances[Math.min(ui + 1 + pick(3), utterances.length - 1)];
      add(u.s, last.e, code); // running over the next utterances (overlaps their codings)
    } else if (r < 0.9) {
      // A phrase inside the line: from one word start to a later word end.
      const words = [...u.line.matchAll(/\S+/g)];
      if (words.length < 2) continue;
      const a = pick(words.length - 1);
      const b = a + 1 + pick(Math.min(6, words.length - a - 1));
      const w0 = words[a];
      const w1 = words[b - 1];
      const s = u.s + Buffer.byteLength(u.line.slice(0, w0.index));
      const e = u.s + Buffer.byteLength(u.line.slice(0, w1.index + w1[0].length));
      add(s, e, code);
    } else {
      // The same span under a second code (double coding).
      if (spans.length === 0) continue;
      const other = spans[spans.length - 1];
      add(other.s, other.e, project.codes[pick(10)].id);
    }
  }
  for (const { s, e } of spans) {
    // Char boundaries: a UTF-8 continuation byte is 10xxxxxx.
    for (const b of [s, e]) {
      if (b < buf.length && (buf[b] & 0xc0) === 0x80) throw new Error(`span end ${b} inside a character`);
    }
  }
  project.codings = spans.map(({ s, e, code }, i) => ({
    id: randomUUID(),
    source: apollo.id,
    code,
    start: s,
    end: e,
    coder: i % 3 ? "Amélie" : "Bench",
    created: now + 1000 + i,
  }));
  project.codings.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const json = JSON.stringify({ format: "framewise-project", version: 1, project }, null, 2);
  return {
    json,
    projectName: project.name,
    small: small.name,
    apollo: apollo.name,
    apolloBytes: buf.length,
    codings: project.codings.length,
    codes: project.codes.map((c) => c.name),
  };
}

/** Writes the Apollo project file into a fresh temp dir; returns its path and facts. */
export function writeApolloProject(shared, codingCount = 2000) {
  const made = makeApolloProject(shared, codingCount);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "framewise-bench-apollo-"));
  const file = path.join(dir, "apollo-bench.framewise.json");
  fs.writeFileSync(file, made.json);
  return { ...made, file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------
// The framework-matrix bench project (format version 2)

/** Transcript lines (`Speaker: text`) of the meetings and consultations corpus, LF-normalised. */
export function corpusLines(shared) {
  const lines = [];
  for (const d of ["meetings", "consultations"]) {
    const dir = path.join(shared, "corpus", d);
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith(".txt")) continue;
      for (const line of lf(fs.readFileSync(path.join(dir, name), "utf8")).split("\n")) {
        if (/^[^:\n]{1,40}: \S/.test(line) && line.length > 40) lines.push(line);
      }
    }
  }
  if (lines.length < 1000) throw new Error("too few transcript lines in the corpus");
  return lines;
}

/**
 * A project file (format "framewise-project", version 2, see core/src/persist/file.rs) for the
 * matrix benchmark: `sites` sites with `perSite` participants each (cases: every site followed
 * by its participants as sub-cases), one source per case (the site's field notes, each
 * participant's interview; `linesPerSource` transcript lines from the corpus), `codeCount` codes
 * under one theme, `codingCount` codings spread evenly over the sources and codes, four
 * attributes with values, and one matrix "Mechanisms by case" with the codes as columns and all
 * cases as rows (sub-cases and child codes included), some cells summarised with a quote
 * reference. Returns the JSON and, for checks, the expected segment count of every cell.
 */
export function makeMatrixProject(
  shared,
  { sites = 10, perSite = 9, codeCount = 40, codingCount = 20_000, linesPerSource = 60 } = {},
) {
  const lines = corpusLines(shared);
  const rnd = prng(2026);
  const pick = (n) => Math.floor(rnd() * n);
  const now = 1_767_000_000_000;
  const uuid = () => randomUUID();
  const pad = (n) => String(n).padStart(2, "0");

  const attributes = [
    { id: uuid(), name: "rurality", kind: "category", categories: ["urban", "rural", "mixed"] },
    { id: uuid(), name: "deprivation decile", kind: "number" },
    { id: uuid(), name: "role", kind: "category", categories: ["manager", "GP", "pharmacist", "ARRS staff"] },
    { id: uuid(), name: "consent", kind: "yes_no" },
  ];
  const [rurality, decile, role, consent] = attributes;

  const sources = [];
  const cases = [];
  let at = 0;
  const addSource = (name, kind) => {
    const out = [`Interviewer: ${name}, benchmark text.`];
    for (let i = 0; i < linesPerSource; i++) out.push(lines[(at + i * 7) % lines.length]);
    at += 131;
    const source = { id: uuid(), name, kind, memo: "", imported: now, file_name: `${name}.txt`, text: out.join("\n\n") + "\n" };
    sources.push(source);
    return source;
  };
  for (let s = 1; s <= sites; s++) {
    const siteName = `Site ${pad(s)}`;
    const site = {
      id: uuid(),
      name: siteName,
      parent: null,
      sources: [addSource(`${siteName} field notes`, "field_notes").id],
      memo: `Benchmark site ${s}.`,
      values: {
        [rurality.id]: { type: "category", value: rurality.categories[s % 3] },
        [decile.id]: { type: "number", value: 1 + (s % 10) },
      },
      created: now,
    };
    cases.push(site);
    for (let p = 1; p <= perSite; p++) {
      const name = `S${pad(s)}-P${p}`;
      cases.push({
        id: uuid(),
        name,
        parent: site.id,
        sources: [addSource(`${name} interview`, "interview").id],
        memo: "",
        values: {
          [role.id]: { type: "category", value: role.categories[(s + p) % 4] },
          [consent.id]: { type: "yes_no", value: p % 5 !== 0 },
        },
        created: now,
      });
    }
  }

  const palette = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999"];
  const theme = { id: uuid(), name: "Mechanisms", parent: null, color: "#882255", description: "Theme of the benchmark codes", origin: "deductive", memo: "", created: now };
  const children = Array.from({ length: codeCount }, (_, i) => ({
    id: uuid(),
    name: `Mechanism ${pad(i + 1)}`,
    parent: theme.id,
    color: palette[i % palette.length],
    description: `Benchmark code ${i + 1}`,
    origin: i % 2 ? "inductive" : "deductive",
    memo: "",
    created: now + i + 1,
  }));

  // Codings: source by source (the same number in each), codes drawn unevenly (earlier codes
  // more often, so cell counts differ); spans are one utterance or a phrase inside it.
  const perSource = Math.floor(codingCount / sources.length);
  const codings = [];
  const seen = new Set();
  sources.forEach((source, si) => {
    const buf = Buffer.from(source.text, "utf8");
    const utter = [];
    let start = 0;
    for (const line of source.text.split("\n")) {
      const colon = line.indexOf(": ");
      if (colon > 0) {
        const s = start + Buffer.byteLength(line.slice(0, colon + 2));
        const e = start + Buffer.byteLength(line.trimEnd());
        if (e > s) utter.push({ s, e, text: line.slice(colon + 2).trimEnd() });
      }
      start += Buffer.byteLength(line) + 1;
    }
    const want = perSource + (si < codingCount - perSource * sources.length ? 1 : 0);
    let made = 0;
    for (let k = 0; made < want; k++) {
      if (k > want * 20) throw new Error(`cannot place ${want} distinct codings in ${source.name}`);
      const code = children[Math.min(codeCount - 1, Math.floor(codeCount * Math.pow(rnd(), 1.4)))];
      const u = utter[pick(utter.length)];
      let s = u.s;
      let e = u.e;
      if (rnd() < 0.5) {
        const words = [...u.text.matchAll(/\S+/g)];
        if (words.length >= 2) {
          const a = pick(words.length - 1);
          const b = a + 1 + pick(Math.min(8, words.length - a - 1));
          s = u.s + Buffer.byteLength(u.text.slice(0, words[a].index));
          e = u.s + Buffer.byteLength(u.text.slice(0, words[b - 1].index + words[b - 1][0].length));
        }
      }
      const key = `${source.id}:${code.id}:${s}:${e}`;
      if (seen.has(key)) continue;
      for (const b of [s, e]) {
        if (b < buf.length && (buf[b] & 0xc0) === 0x80) throw new Error(`span end ${b} inside a character`);
      }
      seen.add(key);
      codings.push({ id: uuid(), source: source.id, code: code.id, start: s, end: e, coder: made % 3 ? "Amélie" : "Bench", created: now + 1000 + codings.length });
      made++;
    }
  });
  const sourceOrder = new Map(sources.map((s, i) => [s.id, i]));
  codings.sort((a, b) => sourceOrder.get(a.source) - sourceOrder.get(b.source) || a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // Expected segments per cell: the case's source and its sub-cases' sources; the code only
  // (the column codes have no children).
  const bySourceCode = new Map();
  for (const c of codings) {
    const key = `${c.source}/${c.code}`;
    bySourceCode.set(key, (bySourceCode.get(key) ?? 0) + 1);
  }
  const expected = new Map();
  for (const kase of cases) {
    const own = [kase, ...cases.filter((c) => c.parent === kase.id)].flatMap((c) => c.sources);
    for (const code of children) {
      const n = own.reduce((sum, src) => sum + (bySourceCode.get(`${src}/${code.id}`) ?? 0), 0);
      expected.set(`${kase.name} × ${code.name}`, n);
    }
  }

  // Summaries: every participant's first three columns, each with a quote reference to one of
  // the cell's codings; a case summary for every site.
  const cells = [];
  for (const kase of cases.filter((c) => c.parent)) {
    for (const code of children.slice(0, 3)) {
      const quote = codings.find((c) => c.source === kase.sources[0] && c.code === code.id);
      if (!quote) continue;
      cells.push({ case: kase.id, code: code.id, summary: `${kase.name} on ${code.name}: condensed in a sentence or two. [[quote:${quote.id}]]` });
    }
  }
  const matrix = {
    id: uuid(),
    name: "Mechanisms by case",
    rows: { type: "all" },
    columns: children.map((c) => c.id),
    group_by: null,
    include_subcases: true,
    include_child_codes: true,
    created: now,
    cells,
    case_summaries: cases.filter((c) => !c.parent).map((c) => ({ case: c.id, summary: `${c.name}: the site in brief.` })),
  };
  const project = {
    id: uuid(),
    name: "Matrix bench",
    memo: `Benchmark project: ${cases.length} cases, ${sources.length} sources, ${children.length} codes, ${codings.length} codings, one matrix.`,
    created: now,
    modified: now,
    last_opened: now,
    sources,
    codes: [theme, ...children],
    codings,
    attributes,
    cases,
    matrices: [matrix],
    sets: [],
  };
  return {
    json: JSON.stringify({ format: "framewise-project", version: 2, project }, null, 1),
    projectName: project.name,
    matrixName: matrix.name,
    cases: cases.map((c) => c.name),
    codes: children.map((c) => c.name),
    sources: sources.length,
    codings: codings.length,
    summaries: cells.length,
    expected,
  };
}

/** Writes the matrix bench project into a fresh temp dir; returns its path and facts. */
export function writeMatrixProject(shared, options) {
  const made = makeMatrixProject(shared, options);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "framewise-bench-matrix-"));
  const file = path.join(dir, "matrix-bench.framewise.json");
  fs.writeFileSync(file, made.json);
  return { ...made, file, bytes: Buffer.byteLength(made.json), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
