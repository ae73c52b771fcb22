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
