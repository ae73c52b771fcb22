//! Reading `.qdc`, `.qde` and `.qdpx` files from the tools that write them.

use super::positions::{preference, PositionTables};
use super::report::RefiReport;
use super::xml::{parse, Element};
use super::{parse_datetime, parse_guid, SIDECAR_PATH};
use crate::cases::{AttrValue, Attribute, AttributeKind, Case, SpeakerLink};
use crate::ids::{AnnotationId, AttributeId, CaseId, CodeId, CodingId, IdSource, SetId, SourceId};
use crate::matrix::Matrix;
use crate::palette::color_for;
use crate::project::{
    Annotation, Code, CodeOrigin, CodeSet, Coding, Project, Pseudonym, Source, SourceKind, Span,
    Timestamp, Turn,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::sync::Arc;
use uuid::Uuid;

/// Why a file could not be imported at all. `Display` is a sentence.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RefiError {
    /// The file is empty (0 bytes, or only white space for a `.qdc`).
    Empty,
    /// Not a zip archive, or an entry could not be read.
    Zip(String),
    /// The archive holds no `.qde` document.
    NoProject,
    /// The XML is not well-formed.
    Xml(String),
    /// Well-formed, but not a REFI project or codebook (`found` is the root element).
    NotRefi {
        /// The root element's name.
        found: String,
    },
    /// The file name is not a REFI-QDA file's (`.qdpx`, `.qdc`, `.qde`).
    NotRefiFile,
    /// An archive entry, or all the entries read, expand past the limits (a zip bomb, or a
    /// `.qde` naming one large source many times): which limit.
    OverLimit(String),
}

impl fmt::Display for RefiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("The file is empty (0 bytes): it holds no project."),
            Self::Zip(e) => write!(f, "This is not a readable .qdpx archive: {e}"),
            Self::NoProject => f.write_str("The .qdpx archive holds no .qde project document."),
            Self::Xml(e) => write!(f, "The XML could not be read: {e}"),
            Self::NotRefi { found } => write!(
                f,
                "This is not a REFI-QDA project or codebook (its root element is <{found}>)."
            ),
            Self::NotRefiFile => f.write_str(
                "Only REFI-QDA files (.qdpx projects, .qdc codebooks) can be read here.",
            ),
            Self::OverLimit(why) => write!(f, "This .qdpx is over Framewise's limits: {why}."),
        }
    }
}

impl std::error::Error for RefiError {}

/// An imported project and its report.
#[derive(Clone, PartialEq, Debug)]
pub struct RefiImport {
    /// The new project.
    pub project: Project,
    /// What was found, skipped or could not be placed.
    pub report: RefiReport,
}

/// Where the bytes of files named in a project come from.
trait Files {
    fn get(&mut self, path: &str) -> Option<Vec<u8>>;
}

struct NoFiles;
impl Files for NoFiles {
    fn get(&mut self, _: &str) -> Option<Vec<u8>> {
        None
    }
}

struct ZipFiles<R: std::io::Read + std::io::Seek> {
    zip: zip::ZipArchive<R>,
    /// Lower-case name with `/` separators -> index.
    names: HashMap<String, usize>,
    /// Decompressed bytes read so far (an entry read twice counts twice).
    read_total: u64,
    /// The limit passed, if one was: nothing more is read, and the import fails with it.
    over: Option<String>,
    /// [`MAX_ENTRY_BYTES`] and [`MAX_TOTAL_BYTES`] (smaller in tests).
    entry_limit: u64,
    total_limit: u64,
}

impl<R: std::io::Read + std::io::Seek> ZipFiles<R> {
    fn new(zip: zip::ZipArchive<R>, entry_limit: u64, total_limit: u64) -> Self {
        let mut names = HashMap::new();
        for i in 0..zip.len() {
            if let Some(name) = zip.name_for_index(i) {
                names.insert(name.replace('\\', "/").to_lowercase(), i);
            }
        }
        Self {
            zip,
            names,
            read_total: 0,
            over: None,
            entry_limit,
            total_limit,
        }
    }
    /// The decompressed bytes of entry `i`, at most [`MAX_ENTRY_BYTES`], while all entries read
    /// stay within [`MAX_TOTAL_BYTES`]; `None` if it cannot be read or a limit is passed (then
    /// `over` says which).
    fn read_index(&mut self, i: usize) -> Option<Vec<u8>> {
        if self.over.is_some() {
            return None;
        }
        let file = self.zip.by_index(i).ok()?;
        let mb = |n: u64| n / (1024 * 1024);
        let too_large = || {
            format!(
                "its part {} expands to more than {} MB",
                file.name(),
                mb(self.entry_limit)
            )
        };
        if file.size() > self.entry_limit {
            self.over = Some(too_large());
            return None;
        }
        let over_entry = too_large();
        let mut out = Vec::new();
        // One byte more than the limit: a size declared smaller than the data is caught too.
        file.take(self.entry_limit + 1).read_to_end(&mut out).ok()?;
        let n = out.len() as u64;
        if n > self.entry_limit {
            self.over = Some(over_entry);
            return None;
        }
        self.read_total = self.read_total.saturating_add(n);
        if self.read_total > self.total_limit {
            self.over = Some(format!(
                "the parts it reads expand to more than {} MB in all",
                mb(self.total_limit)
            ));
            return None;
        }
        Some(out)
    }
}

impl<R: std::io::Read + std::io::Seek> Files for ZipFiles<R> {
    fn get(&mut self, path: &str) -> Option<Vec<u8>> {
        let path = path.replace('\\', "/").to_lowercase();
        let base = path.rsplit('/').next().unwrap_or(&path).to_string();
        let candidates = [
            path.trim_start_matches('/').to_string(),
            format!("sources/{}", path.trim_start_matches('/')),
            format!("sources/{base}"),
        ];
        let index = candidates
            .iter()
            .find_map(|c| self.names.get(c).copied())
            .or_else(|| {
                self.names
                    .iter()
                    .find(|(n, _)| n.rsplit('/').next() == Some(base.as_str()))
                    .map(|(_, i)| *i)
            })?;
        self.read_index(index)
    }
}

/// The largest archive entry read (a `.qde` or a source text): 200 MiB.
pub const MAX_ENTRY_BYTES: u64 = 200 * 1024 * 1024;

/// The most decompressed bytes read from one archive, all entries together (an entry read
/// again for another source counts again): 512 MiB.
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;

/// Reads a `.qdc` codebook into a new project named `name` holding its codes and sets.
pub fn import_qdc(
    xml: &str,
    name: &str,
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Result<RefiImport, RefiError> {
    if xml.trim().is_empty() {
        return Err(RefiError::Empty);
    }
    let root = parse(xml).map_err(RefiError::Xml)?;
    if root.name == "Project" {
        return import_project(&root, &mut NoFiles, None, ids, now);
    }
    if root.name != "CodeBook" {
        return Err(RefiError::NotRefi { found: root.name });
    }
    let mut b = Builder::new(ids, now, name, &root);
    if let Some(codes) = root.child("Codes") {
        b.codes(codes, None);
    }
    b.sets(&root);
    Ok(b.finish())
}

/// Reads a `.qdpx` archive (any `.qde` inside, `project.qde` preferred) into a new project.
pub fn import_qdpx(
    bytes: &[u8],
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Result<RefiImport, RefiError> {
    import_qdpx_within(bytes, ids, now, MAX_ENTRY_BYTES, MAX_TOTAL_BYTES)
}

/// [`import_qdpx`] under the given limits of an entry's and all entries' decompressed bytes.
fn import_qdpx_within(
    bytes: &[u8],
    ids: &mut impl IdSource,
    now: Timestamp,
    entry_limit: u64,
    total_limit: u64,
) -> Result<RefiImport, RefiError> {
    if bytes.is_empty() {
        return Err(RefiError::Empty);
    }
    if !bytes.starts_with(b"PK") {
        return Err(RefiError::Zip("it is not a ZIP archive".into()));
    }
    if crate::import::zipped::has_empty_timestamp_field(bytes) {
        // The zip crate would panic on it (see `import::zipped`).
        return Err(RefiError::Zip(
            "broken ZIP archive: an empty timestamp field".into(),
        ));
    }
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| RefiError::Zip(e.to_string()))?;
    let mut files = ZipFiles::new(zip, entry_limit, total_limit);
    let qde = files
        .names
        .get("project.qde")
        .copied()
        .or_else(|| {
            let mut v: Vec<(&String, &usize)> = files
                .names
                .iter()
                .filter(|(n, _)| n.ends_with(".qde"))
                .collect();
            v.sort();
            v.first().map(|(_, i)| **i)
        })
        .ok_or(RefiError::NoProject)?;
    let xml_bytes = files
        .read_index(qde)
        .ok_or_else(|| match files.over.take() {
            Some(why) => RefiError::OverLimit(why),
            None => RefiError::Zip("the .qde entry could not be read".into()),
        })?;
    let (xml, notice) = super::xml::xml_text(&xml_bytes).map_err(RefiError::Xml)?;
    let root = parse(&xml).map_err(RefiError::Xml)?;
    if root.name != "Project" {
        return Err(RefiError::NotRefi { found: root.name });
    }
    let sidecar = files
        .names
        .get(SIDECAR_PATH)
        .copied()
        .and_then(|i| files.read_index(i))
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    let mut read = import_project(&root, &mut files, sidecar, ids, now)?;
    if let Some(why) = files.over {
        return Err(RefiError::OverLimit(why));
    }
    read.report.problems.extend(notice);
    Ok(read)
}

struct Builder<'a, I: IdSource> {
    ids: &'a mut I,
    now: Timestamp,
    project: Project,
    report: RefiReport,
    code_ids: HashMap<Uuid, CodeId>,
    used: HashSet<Uuid>,
}

impl<'a, I: IdSource> Builder<'a, I> {
    fn new(ids: &'a mut I, now: Timestamp, name: &str, root: &Element) -> Self {
        let id = ids.project_id();
        let name = root.name_or(name);
        let mut project = Project::new(id, name, now);
        if let Some(t) = root.attr("creationDateTime").and_then(parse_datetime) {
            project.created = t;
        }
        let report = RefiReport {
            origin: root.attr("origin").map(str::to_string),
            ..RefiReport::default()
        };
        Self {
            ids,
            now,
            project,
            report,
            code_ids: HashMap::new(),
            used: HashSet::new(),
        }
    }

    /// A guid as one of our ids: the same value unless missing or already taken.
    fn fresh(&mut self, guid: Option<&str>) -> Uuid {
        match guid.and_then(parse_guid) {
            Some(g) if self.used.insert(g) => g,
            _ => {
                let g = uuid::Builder::from_random_bytes(self.ids.next_bytes()).into_uuid();
                self.used.insert(g);
                g
            }
        }
    }

    fn codes(&mut self, parent_el: &Element, parent: Option<CodeId>) {
        for el in parent_el.all("Code") {
            let original = el.attr("guid").and_then(parse_guid);
            let id = CodeId(self.fresh(el.attr("guid")));
            if let Some(o) = original {
                self.code_ids.insert(o, id);
            }
            let color = el
                .attr("color")
                .filter(|c| crate::action::is_valid_color(c))
                .map(str::to_lowercase)
                .unwrap_or_else(|| color_for(self.project.codes.len()).to_string());
            self.project.codes.push(Code {
                id,
                name: el.name_or("(unnamed code)").to_string(),
                parent,
                color,
                description: el.child_text("Description").to_string(),
                origin: CodeOrigin::default(),
                memo: String::new(),
                created: self.now,
            });
            self.report.codes += 1;
            self.codes(el, Some(id));
        }
    }

    fn code_ref(&self, guid: Option<&str>) -> Option<CodeId> {
        guid.and_then(parse_guid)
            .and_then(|g| self.code_ids.get(&g).copied())
    }

    fn sets(&mut self, root: &Element) {
        let Some(sets) = root.child("Sets") else {
            return;
        };
        for el in sets.all("Set") {
            let id = SetId(self.fresh(el.attr("guid")));
            let codes: Vec<CodeId> = el
                .all("MemberCode")
                .filter_map(|m| self.code_ref(m.attr("targetGUID").or(m.attr("guid"))))
                .collect();
            self.project.sets.push(CodeSet {
                id,
                name: el.name_or("(unnamed set)").to_string(),
                description: el.child_text("Description").to_string(),
                codes,
                created: self.now,
            });
            self.report.sets += 1;
        }
    }

    fn finish(mut self) -> RefiImport {
        crate::sort::sort_by_key(&mut self.project.annotations, Annotation::order_key);
        RefiImport {
            project: self.project,
            report: self.report,
        }
    }
}

fn source_kind_label(name: &str) -> &str {
    match name {
        "PDFSource" => "PDF",
        "PictureSource" => "picture",
        "AudioSource" => "audio",
        "VideoSource" => "video",
        other => other,
    }
}

fn import_project(
    root: &Element,
    files: &mut impl Files,
    sidecar: Option<serde_json::Value>,
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Result<RefiImport, RefiError> {
    let mut b = Builder::new(ids, now, "Imported project", root);
    let origin = b.report.origin.clone().unwrap_or_default();
    // Users.
    let mut users: HashMap<Uuid, String> = HashMap::new();
    if let Some(us) = root.child("Users") {
        for u in us.all("User") {
            if let Some(g) = u.attr("guid").and_then(parse_guid) {
                let name = u.attr("name").or(u.attr("id")).unwrap_or("").to_string();
                users.insert(g, name);
                b.report.users += 1;
            }
        }
    }
    if let Some(codes) = root.child("CodeBook").and_then(|c| c.child("Codes")) {
        b.codes(codes, None);
    }
    // Notes, by guid.
    let mut notes: HashMap<Uuid, String> = HashMap::new();
    let mut note_order: Vec<Uuid> = Vec::new();
    let mut note_times: HashMap<Uuid, Timestamp> = HashMap::new();
    if let Some(ns) = root.child("Notes") {
        for n in ns.all("Note") {
            if let Some(g) = n.attr("guid").and_then(parse_guid) {
                if let Some(t) = n.attr("creationDateTime").and_then(parse_datetime) {
                    note_times.insert(g, t);
                }
                let content = match n.child("PlainTextContent") {
                    Some(c) => crate::text::normalize_newlines(&c.text),
                    None => n
                        .attr("plainTextPath")
                        .and_then(|p| files.get(strip_scheme(p)))
                        .map(|bytes| decode(&bytes))
                        .unwrap_or_default(),
                };
                notes.insert(g, content);
                note_order.push(g);
            }
        }
    }
    let mut used_notes: HashSet<Uuid> = HashSet::new();
    let take_notes = |el: &Element, used: &mut HashSet<Uuid>| -> String {
        let parts: Vec<String> = el
            .all("NoteRef")
            .filter_map(|r| r.attr("targetGUID").and_then(parse_guid))
            .filter_map(|g| {
                used.insert(g);
                notes.get(&g).cloned()
            })
            .filter(|t| !t.is_empty())
            .collect();
        parts.join("\n\n")
    };
    // Code memos.
    if let Some(codes) = root.child("CodeBook").and_then(|c| c.child("Codes")) {
        let mut memos: HashMap<CodeId, String> = HashMap::new();
        let mut stack: Vec<&Element> = codes.all("Code").collect();
        while let Some(el) = stack.pop() {
            if let Some(id) = b.code_ref(el.attr("guid")) {
                let memo = take_notes(el, &mut used_notes);
                if !memo.is_empty() {
                    memos.insert(id, memo);
                }
            }
            stack.extend(el.all("Code"));
        }
        for code in &mut b.project.codes {
            if let Some(m) = memos.remove(&code.id) {
                code.memo = m;
            }
        }
    }
    // Variables.
    let mut variables: HashMap<Uuid, AttributeId> = HashMap::new();
    if let Some(vs) = root.child("Variables") {
        for v in vs.all("Variable") {
            let original = v.attr("guid").and_then(parse_guid);
            let id = AttributeId(b.fresh(v.attr("guid")));
            if let Some(o) = original {
                variables.insert(o, id);
            }
            let kind = match v.attr("typeOfVariable").unwrap_or("Text") {
                "Integer" | "Float" => AttributeKind::Number,
                "Boolean" => AttributeKind::YesNo,
                "Date" => AttributeKind::Date,
                _ => AttributeKind::Text,
            };
            b.project.attributes.push(Attribute {
                id,
                name: v.name_or("(unnamed)").to_string(),
                kind,
            });
        }
    }
    // Sources.
    let mut source_ids: HashMap<Uuid, SourceId> = HashMap::new();
    let mut coding_ids: HashMap<Uuid, CodingId> = HashMap::new();
    if let Some(ss) = root.child("Sources") {
        for el in &ss.children {
            if el.name != "TextSource" {
                *b.report
                    .skipped_sources
                    .entry(source_kind_label(&el.name).to_string())
                    .or_default() += 1;
                continue;
            }
            let name = el.name_or("(unnamed source)").to_string();
            let plain = if let Some(c) = el.child("PlainTextContent") {
                Some(c.text.clone())
            } else {
                el.attr("plainTextPath")
                    .and_then(|p| files.get(strip_scheme(p)))
                    .map(|bytes| decode(&bytes))
            };
            let raw = match plain.filter(|t| !t.trim().is_empty()) {
                Some(t) => t,
                // No usable plain text: the rich text (.docx) beside it, if it has text.
                None => match el.attr("richTextPath") {
                    Some(path) => match rich_text(files, path) {
                        Ok(t) => {
                            b.report.rich_text_sources += 1;
                            t
                        }
                        Err(skip) => {
                            if let RichTextSkip::Unreadable(why) = &skip {
                                b.report.problems.push(format!(
                                    "{name}: its rich text (.docx) could not be read: {why}"
                                ));
                            }
                            *b.report
                                .skipped_sources
                                .entry(skip.label().to_string())
                                .or_default() += 1;
                            continue;
                        }
                    },
                    None => {
                        *b.report
                            .skipped_sources
                            .entry(SKIP_NO_TEXT.to_string())
                            .or_default() += 1;
                        continue;
                    }
                },
            };
            let original = el.attr("guid").and_then(parse_guid);
            let id = SourceId(b.fresh(el.attr("guid")));
            if let Some(o) = original {
                source_ids.insert(o, id);
            }
            let tables = PositionTables::new(&raw);
            let selections: Vec<&Element> = el.all("PlainTextSelection").collect();
            let positions: Vec<(i64, i64)> = selections
                .iter()
                .map(|s| {
                    let p = |a: &str| {
                        s.attr(a)
                            .and_then(|v| v.trim().parse::<i64>().ok())
                            .unwrap_or(-1)
                    };
                    (p("startPosition"), p("endPosition"))
                })
                .collect();
            let counting = tables.choose(&preference(&origin), &positions);
            if !selections.is_empty() {
                b.report.countings.insert(name.clone(), counting);
            }
            let mut codings: Vec<Coding> = Vec::new();
            let mut annotations: Vec<Annotation> = Vec::new();
            for (sel, (start, end)) in selections.iter().zip(positions.iter()) {
                let sel_codings: Vec<&Element> = sel.all("Coding").collect();
                let Some(span) = tables.place(counting, *start, *end) else {
                    b.report.unplaced.push(format!(
                        "{name}: selection {}–{} ({} codings) does not fit the text",
                        start,
                        end,
                        sel_codings.len()
                    ));
                    continue;
                };
                let sel_user = sel.attr("creatingUser").and_then(parse_guid);
                let sel_time = sel.attr("creationDateTime").and_then(parse_datetime);
                for c in sel_codings {
                    let Some(code) =
                        b.code_ref(c.child("CodeRef").and_then(|r| r.attr("targetGUID")))
                    else {
                        b.report.problems.push(format!(
                            "{name}: a coding at {start}–{end} refers to a code that is not in the codebook"
                        ));
                        continue;
                    };
                    let original = c.attr("guid").and_then(parse_guid);
                    let cid = CodingId(b.fresh(c.attr("guid")));
                    if let Some(o) = original {
                        coding_ids.insert(o, cid);
                    }
                    let user = c.attr("creatingUser").and_then(parse_guid).or(sel_user);
                    codings.push(Coding {
                        id: cid,
                        source: id,
                        span,
                        code,
                        coder: user
                            .and_then(|u| users.get(&u).cloned())
                            .unwrap_or_default(),
                        created: c
                            .attr("creationDateTime")
                            .and_then(parse_datetime)
                            .or(sel_time)
                            .unwrap_or(b.now),
                    });
                }
                // Notes referenced from a selection are annotations (of its first coding).
                let coding = sel
                    .all("Coding")
                    .next()
                    .and_then(|c| c.attr("guid").and_then(parse_guid))
                    .and_then(|g| coding_ids.get(&g).copied());
                for r in sel.all("NoteRef") {
                    let Some(g) = r.attr("targetGUID").and_then(parse_guid) else {
                        continue;
                    };
                    let Some(text) = notes.get(&g).filter(|t| !t.trim().is_empty()) else {
                        continue;
                    };
                    used_notes.insert(g);
                    annotations.push(Annotation {
                        id: AnnotationId(b.fresh(r.attr("targetGUID"))),
                        source: id,
                        span,
                        coding,
                        text: text.trim().to_string(),
                        created: note_times.get(&g).copied().or(sel_time).unwrap_or(b.now),
                    });
                }
            }
            b.report.annotations += annotations.len();
            b.project.annotations.extend(annotations);
            // A Coding directly in the TextSource codes the whole source.
            let whole = crate::text::trim_span(&tables.text, Span::new(0, tables.text.len()));
            for c in el.all("Coding") {
                let (Some(span), Some(code)) = (
                    whole,
                    b.code_ref(c.child("CodeRef").and_then(|r| r.attr("targetGUID"))),
                ) else {
                    b.report.problems.push(format!(
                        "{name}: a whole-source coding refers to a code that is not in the codebook"
                    ));
                    continue;
                };
                let cid = CodingId(b.fresh(c.attr("guid")));
                codings.push(Coding {
                    id: cid,
                    source: id,
                    span,
                    code,
                    coder: c
                        .attr("creatingUser")
                        .and_then(parse_guid)
                        .and_then(|u| users.get(&u).cloned())
                        .unwrap_or_default(),
                    created: c
                        .attr("creationDateTime")
                        .and_then(parse_datetime)
                        .unwrap_or(b.now),
                });
            }
            b.report.codings += codings.len();
            codings.sort_by_key(|x| (x.span.start, x.span.end, x.id));
            if !codings.is_empty() {
                b.project.codings.insert(id, Arc::new(codings));
            }
            let memo = take_notes(el, &mut used_notes);
            let text = tables.text;
            let turns = crate::import::detect_turns(&text);
            b.project.sources.push(Arc::new(Source {
                id,
                turns,
                kind: crate::import::guess_kind(&name, &text),
                name,
                text: Arc::from(text),
                memo,
                imported: el
                    .attr("creationDateTime")
                    .and_then(parse_datetime)
                    .unwrap_or(b.now),
                file_name: None,
            }));
            b.report.sources += 1;
        }
    }
    // Cases (after sources, for SourceRef).
    if let Some(cs) = root.child("Cases") {
        for el in cs.all("Case") {
            let id = CaseId(b.fresh(el.attr("guid")));
            let mut values = BTreeMap::new();
            for vv in el.all("VariableValue") {
                let Some(attr) = vv
                    .child("VariableRef")
                    .and_then(|r| r.attr("targetGUID"))
                    .and_then(parse_guid)
                    .and_then(|g| variables.get(&g).copied())
                else {
                    continue;
                };
                let kind = b.project.attribute(attr).map(|a| a.kind.clone());
                let value = vv
                    .children
                    .iter()
                    .find(|c| c.name != "VariableRef")
                    .and_then(|c| {
                        let t = c.text.trim();
                        match (c.name.as_str(), &kind) {
                            ("BooleanValue", _) => {
                                Some(AttrValue::YesNo(matches!(t, "true" | "1")))
                            }
                            ("IntegerValue" | "FloatValue", _) => t
                                .parse::<f64>()
                                .ok()
                                .filter(|n| n.is_finite())
                                .map(AttrValue::Number),
                            ("DateValue", _) => Some(AttrValue::Date(t.to_string())),
                            ("TextValue", Some(AttributeKind::Number)) => t
                                .parse::<f64>()
                                .ok()
                                .filter(|n| n.is_finite())
                                .map(AttrValue::Number),
                            (_, Some(AttributeKind::Text)) | (_, None) => {
                                (!c.text.is_empty()).then(|| AttrValue::Text(c.text.clone()))
                            }
                            _ => None,
                        }
                    });
                if let (Some(v), Some(k)) = (value, kind) {
                    if v.fits(&k) || matches!(k, AttributeKind::Text) {
                        values.insert(attr, v);
                    }
                }
            }
            let sources = el
                .all("SourceRef")
                .filter_map(|r| r.attr("targetGUID").and_then(parse_guid))
                .filter_map(|g| source_ids.get(&g).copied())
                .collect();
            b.project.cases.push(Case {
                id,
                name: el.name_or("(unnamed case)").to_string(),
                parent: None,
                sources,
                memo: el.child_text("Description").to_string(),
                values,
                speakers: Vec::new(),
                created: b.now,
            });
            b.report.cases += 1;
        }
    }
    b.sets(root);
    let mut memo = root.child_text("Description").to_string();
    let project_notes = take_notes(root, &mut used_notes);
    if !project_notes.is_empty() {
        if !memo.is_empty() {
            memo.push_str("\n\n");
        }
        memo.push_str(&project_notes);
    }
    b.project.memo = memo;
    let matrix_notes: HashSet<Uuid> = sidecar
        .as_ref()
        .and_then(|s| s.get("matrix_notes"))
        .and_then(|v| serde_json::from_value::<Vec<Uuid>>(v.clone()).ok())
        .unwrap_or_default()
        .into_iter()
        .collect();
    b.report.unattached_notes = note_order
        .iter()
        .filter(|g| !used_notes.contains(g) && !matrix_notes.contains(g))
        .count();
    if let Some(side) = sidecar {
        let problems = apply_sidecar(&mut b.project, &side);
        b.report.problems.extend(problems);
        b.report.pseudonyms = b.project.pseudonyms.len();
        b.report.sidecar = true;
    }
    Ok(b.finish())
}

/// Lays the sidecar over the project: only for entities that still exist. Returns what the
/// researcher should know (parts that did not fit).
fn apply_sidecar(project: &mut Project, side: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let mut problems = Vec::new();
    let source_ids: HashSet<SourceId> = project.sources.iter().map(|s| s.id).collect();
    let get = |k: &str| side.get(k).cloned().unwrap_or(Value::Null);
    if let Some(id) = side
        .get("project")
        .and_then(|p| p.get("id"))
        .and_then(|v| serde_json::from_value(v.clone()).ok())
    {
        project.id = id;
    }
    let codes = get("codes");
    for c in &mut project.codes {
        if let Some(x) = codes.get(c.id.to_string()) {
            if let Some(o) = x
                .get("origin")
                .and_then(|v| serde_json::from_value::<CodeOrigin>(v.clone()).ok())
            {
                c.origin = o;
            }
            if let Some(t) = x.get("created").and_then(Value::as_i64) {
                c.created = t;
            }
        }
    }
    if let Ok(order) = serde_json::from_value::<Vec<CodeId>>(get("code_order")) {
        let rank: HashMap<CodeId, usize> = order.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        // Codes the sidecar does not know keep their place after the known ones.
        project
            .codes
            .sort_by_key(|c| rank.get(&c.id).copied().unwrap_or(usize::MAX));
    }
    let sources = get("sources");
    for s in &mut project.sources {
        if let Some(x) = sources.get(s.id.to_string()) {
            let mut source = s.as_ref().clone();
            if let Some(k) = x
                .get("kind")
                .and_then(|v| serde_json::from_value::<SourceKind>(v.clone()).ok())
            {
                source.kind = k;
            }
            source.file_name = x
                .get("file_name")
                .and_then(|v| serde_json::from_value::<Option<String>>(v.clone()).ok())
                .flatten();
            // Version 2: the turns as they were (else those detected in the text stay).
            if let Some(turns) = x
                .get("turns")
                .and_then(|v| serde_json::from_value::<Vec<Turn>>(v.clone()).ok())
            {
                if turns.iter().all(|t| turn_fits(t, &source.text)) {
                    source.turns = turns;
                } else {
                    problems.push(format!(
                        "{}: the speaker turns saved with it do not fit its text; turns were detected again",
                        source.name
                    ));
                }
            }
            *s = Arc::new(source);
        }
    }
    let attributes = get("attributes");
    let mut kinds: HashMap<AttributeId, AttributeKind> = HashMap::new();
    for a in &mut project.attributes {
        if let Some(k) = attributes
            .get(a.id.to_string())
            .and_then(|x| x.get("kind"))
            .and_then(|v| serde_json::from_value::<AttributeKind>(v.clone()).ok())
        {
            a.kind = k.clone();
            kinds.insert(a.id, k);
        }
    }
    let cases = get("cases");
    let case_ids: HashSet<CaseId> = project.cases.iter().map(|c| c.id).collect();
    for c in &mut project.cases {
        if let Some(x) = cases.get(c.id.to_string()) {
            c.parent = x
                .get("parent")
                .and_then(|v| serde_json::from_value::<Option<CaseId>>(v.clone()).ok())
                .flatten()
                .filter(|p| case_ids.contains(p));
            if let Some(t) = x.get("created").and_then(Value::as_i64) {
                c.created = t;
            }
            if let Some(speakers) = x
                .get("speakers")
                .and_then(|v| serde_json::from_value::<Vec<SpeakerLink>>(v.clone()).ok())
            {
                c.speakers = speakers
                    .into_iter()
                    .filter(|l| source_ids.contains(&l.source))
                    .collect();
            }
        }
        for (attr, value) in c.values.iter_mut() {
            if let (Some(AttributeKind::Category(_)), AttrValue::Text(t)) =
                (kinds.get(attr), &value)
            {
                *value = AttrValue::Category(t.clone());
            }
        }
    }
    let sets = get("sets");
    for s in &mut project.sets {
        if let Some(t) = sets
            .get(s.id.to_string())
            .and_then(|x| x.get("created"))
            .and_then(Value::as_i64)
        {
            s.created = t;
        }
    }
    if let Ok(matrices) = serde_json::from_value::<Vec<Matrix>>(get("matrices")) {
        project.matrices = matrices.into_iter().map(Arc::new).collect();
    }
    if let Ok(key) = serde_json::from_value::<Vec<Pseudonym>>(get("pseudonyms")) {
        project.pseudonyms = key;
    }
    problems
}

/// True when a turn's span lies within `text` on char boundaries.
fn turn_fits(turn: &Turn, text: &str) -> bool {
    turn.span.start <= turn.span.end
        && text.is_char_boundary(turn.span.start)
        && text.is_char_boundary(turn.span.end)
}

/// Label of text sources skipped because they hold no text at all.
const SKIP_NO_TEXT: &str = "text source without text";

/// Why a text source's rich text gave no text.
enum RichTextSkip {
    /// The file named by `richTextPath` is not in the archive.
    Missing,
    /// It was read and holds no text (e.g. NVivo's placeholders for empty documents).
    Empty,
    /// It is not a `.docx` (e.g. `.rtf`).
    Unsupported,
    /// It could not be read; the reason.
    Unreadable(String),
}

impl RichTextSkip {
    fn label(&self) -> &'static str {
        match self {
            Self::Missing => "rich text (.docx) missing",
            Self::Empty => SKIP_NO_TEXT,
            Self::Unsupported => "rich text other than .docx",
            Self::Unreadable(_) => "rich text (.docx) unreadable",
        }
    }
}

/// The text of a source's rich text file (`richTextPath`, a `.docx`), LF line endings, read
/// by the app's own `.docx` importer.
fn rich_text(files: &mut impl Files, path: &str) -> Result<String, RichTextSkip> {
    let path = strip_scheme(path);
    if !path.to_ascii_lowercase().ends_with(".docx") {
        return Err(RichTextSkip::Unsupported);
    }
    let bytes = files.get(path).ok_or(RichTextSkip::Missing)?;
    read_docx(&bytes)
}

fn read_docx(bytes: &[u8]) -> Result<String, RichTextSkip> {
    match crate::import::import_file("rich-text.docx", bytes) {
        Ok(t) if !t.text.trim().is_empty() => Ok(t.text),
        Ok(_) | Err(crate::import::ImportError::NoText) => Err(RichTextSkip::Empty),
        Err(e) => Err(RichTextSkip::Unreadable(e.to_string())),
    }
}

fn strip_scheme(path: &str) -> &str {
    path.strip_prefix("internal://")
        .or_else(|| path.strip_prefix("file:///"))
        .or_else(|| path.strip_prefix("file://"))
        .unwrap_or(path)
}

/// Source file bytes as text (BOM dropped; UTF-16 recognised by its BOM), line endings kept.
fn decode(bytes: &[u8]) -> String {
    match crate::import::decode::decode_text(bytes) {
        Ok(t) => t.text,
        Err(_) => String::from_utf8_lossy(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes))
            .into_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod limits {
    use super::*;
    use crate::SeqIds;

    /// A .qdpx whose `.qde` names the entry `a.txt` (of `size` bytes of "x") as `times` sources.
    fn qdpx(size: usize, times: usize) -> Vec<u8> {
        let sources: String = (0..times)
            .map(|i| {
                format!(
                    r#"<TextSource guid="eeeeeeee-0000-4000-8000-{i:012}" name="S{i}" plainTextPath="internal://a.txt"/>"#
                )
            })
            .collect();
        let qde = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="P"><Sources>{sources}</Sources></Project>"#
        );
        let mut zip = crate::archive::Archive::new();
        zip.add("project.qde", qde.as_bytes()).unwrap();
        zip.add("sources/a.txt", &vec![b'x'; size]).unwrap();
        zip.finish().unwrap()
    }

    fn import(bytes: &[u8], entry: u64, total: u64) -> Result<RefiImport, RefiError> {
        import_qdpx_within(bytes, &mut SeqIds::new(1), 0, entry, total)
    }

    #[test]
    fn an_entry_that_expands_past_its_limit_is_refused() {
        let file = qdpx(5_000, 1);
        assert_eq!(
            import(&file, 5_000, 1_000_000)
                .unwrap()
                .project
                .sources
                .len(),
            1
        );
        let error = import(&file, 4_999, 1_000_000).unwrap_err();
        assert!(matches!(error, RefiError::OverLimit(_)), "{error:?}");
        assert!(error.to_string().starts_with(
            "This .qdpx is over Framewise's limits: its part sources/a.txt expands to more than"
        ));
    }

    #[test]
    fn one_entry_read_for_many_sources_counts_each_time() {
        // Ten sources of one 5,000-byte entry: 50,000 bytes read in all.
        let file = qdpx(5_000, 10);
        let read = import(&file, 5_000, 60_000).unwrap();
        assert_eq!(read.project.sources.len(), 10);
        let error = import(&file, 5_000, 49_999).unwrap_err();
        assert_eq!(
            error.to_string(),
            "This .qdpx is over Framewise's limits: the parts it reads expand to more than 0 MB in all."
        );
    }
}
