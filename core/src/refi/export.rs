//! Writing `.qdc`, `project.qde` and `.qdpx`. See the module docs of [`crate::refi`] for the mapping.

use super::xml::{attr, text};
use super::{derived, derived_from, iso_datetime, user_guid, ORIGIN, SIDECAR_PATH};
use crate::archive::{Archive, ArchiveError};
use crate::cases::{AttrValue, AttributeKind};
use crate::ids::CodeId;
use crate::matrix::render_summary;
use crate::project::{Code, Project};
use crate::text::byte_to_char;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Salts for derived guids.
pub(crate) const SALT_SELECTION: u8 = 1;
pub(crate) const SALT_CODE_NOTE: u8 = 2;
pub(crate) const SALT_SOURCE_NOTE: u8 = 3;
pub(crate) const SALT_CELL_NOTE: u8 = 4;
pub(crate) const SALT_CELL_LINK: u8 = 5;
pub(crate) const SALT_CASE_NOTE: u8 = 6;
pub(crate) const SALT_CASE_LINK: u8 = 7;

fn is_rgb(color: &str) -> bool {
    color.len() == 7
        && color.starts_with('#')
        && color.chars().skip(1).all(|c| c.is_ascii_hexdigit())
}

fn children_of(project: &Project) -> BTreeMap<Option<CodeId>, Vec<&Code>> {
    let mut map: BTreeMap<Option<CodeId>, Vec<&Code>> = BTreeMap::new();
    for code in &project.codes {
        // A parent that does not exist: treat as top level.
        let parent = code.parent.filter(|p| project.code(*p).is_some());
        map.entry(parent).or_default().push(code);
    }
    map
}

fn write_codes(
    out: &mut String,
    tree: &BTreeMap<Option<CodeId>, Vec<&Code>>,
    parent: Option<CodeId>,
    with_notes: bool,
    depth: usize,
) {
    let Some(codes) = tree.get(&parent) else {
        return;
    };
    if depth > 1000 {
        return;
    }
    for code in codes {
        let _ = write!(
            out,
            "<Code guid=\"{}\" name=\"{}\" isCodable=\"true\"",
            code.id,
            attr(&code.name)
        );
        if is_rgb(&code.color) {
            let _ = write!(out, " color=\"{}\"", code.color);
        }
        out.push('>');
        write_description(out, &code.description);
        if with_notes && !code.memo.is_empty() {
            let _ = write!(
                out,
                "<NoteRef targetGUID=\"{}\"/>",
                derived(code.id.0, SALT_CODE_NOTE)
            );
        }
        write_codes(out, tree, Some(code.id), with_notes, depth + 1);
        out.push_str("</Code>");
    }
}

/// The codebook as a `.qdc` file (namespace `urn:QDA-XML:codebook:1.0`): codes with guid,
/// name, `isCodable`, colour, description and nesting, and sets of codes.
pub fn export_qdc(project: &Project) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"",
    );
    let _ = write!(out, " origin=\"{ORIGIN}\"><Codes>");
    write_codes(&mut out, &children_of(project), None, false, 0);
    out.push_str("</Codes>");
    write_sets(&mut out, project, "guid");
    out.push_str("</CodeBook>\n");
    out
}

struct Note {
    guid: uuid::Uuid,
    name: String,
    content: String,
    /// Written for annotations (their time); other notes have none.
    created: Option<crate::project::Timestamp>,
}

/// An annotation as a `NoteRef` in the selection being written and its `Note` (guid = the
/// annotation's id, so it keeps it through a round trip).
fn annotation_note(
    out: &mut String,
    notes: &mut Vec<Note>,
    a: &crate::project::Annotation,
    source: &str,
) {
    let _ = write!(out, "<NoteRef targetGUID=\"{}\"/>", a.id);
    notes.push(Note {
        guid: a.id.0,
        name: format!("Annotation: {source}"),
        content: a.text.clone(),
        created: Some(a.created),
    });
}

fn variable_type(kind: &AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Text | AttributeKind::Category(_) => "Text",
        AttributeKind::Number => "Float",
        AttributeKind::Date => "Date",
        AttributeKind::YesNo => "Boolean",
    }
}

/// The most digits an `xs:decimal` may have for common validators (libxml2).
const DECIMAL_DIGITS: usize = 24;

/// Digits of a decimal representation, not counting leading zeros of the integer part.
fn decimal_digits(repr: &str) -> usize {
    let unsigned = repr.trim_start_matches('-');
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    int.trim_start_matches('0').len() + frac.len()
}

fn variable_value(value: &AttrValue) -> String {
    match value {
        AttrValue::Text(t) | AttrValue::Category(t) => {
            format!("<TextValue>{}</TextValue>", text(t))
        }
        AttrValue::Number(n) => {
            let repr = n.to_string();
            if decimal_digits(&repr) <= DECIMAL_DIGITS {
                format!("<FloatValue>{repr}</FloatValue>")
            } else {
                // Too many digits for validators (libxml2 holds 24): the exact value as text.
                format!("<TextValue>{repr}</TextValue>")
            }
        }
        AttrValue::Date(d) => format!("<DateValue>{}</DateValue>", text(d)),
        AttrValue::YesNo(b) => format!("<BooleanValue>{b}</BooleanValue>"),
    }
}

/// The `project.qde` document. Positions count code points of the LF text.
pub fn export_qde(project: &Project) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        out,
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"{ORIGIN}\" creationDateTime=\"{}\">",
        attr(&project.name),
        iso_datetime(project.created)
    );
    // Users: every coder name.
    let mut coders: Vec<&str> = project
        .all_codings()
        .map(|c| c.coder.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    coders.sort_unstable();
    coders.dedup();
    if !coders.is_empty() {
        out.push_str("<Users>");
        for c in &coders {
            let _ = write!(
                out,
                "<User guid=\"{}\" name=\"{}\" id=\"{}\"/>",
                user_guid(c),
                attr(c),
                attr(c)
            );
        }
        out.push_str("</Users>");
    }
    if !project.codes.is_empty() {
        out.push_str("<CodeBook><Codes>");
        write_codes(&mut out, &children_of(project), None, true, 0);
        out.push_str("</Codes></CodeBook>");
    }
    if !project.attributes.is_empty() {
        out.push_str("<Variables>");
        for a in &project.attributes {
            let _ = write!(
                out,
                "<Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{}\"/>",
                a.id,
                attr(&a.name),
                variable_type(&a.kind)
            );
        }
        out.push_str("</Variables>");
    }
    let mut notes: Vec<Note> = Vec::new();
    let mut links = String::new();
    if !project.cases.is_empty() {
        out.push_str("<Cases>");
        for case in &project.cases {
            open_described(&mut out, "Case", case.id, &case.name, &case.memo);
            for a in &project.attributes {
                if let Some(v) = case.values.get(&a.id) {
                    let _ = write!(
                        out,
                        "<VariableValue><VariableRef targetGUID=\"{}\"/>{}</VariableValue>",
                        a.id,
                        variable_value(v)
                    );
                }
            }
            for s in &case.sources {
                let _ = write!(out, "<SourceRef targetGUID=\"{s}\"/>");
            }
            out.push_str("</Case>");
        }
        out.push_str("</Cases>");
    }
    if !project.sources.is_empty() {
        out.push_str("<Sources>");
        for source in &project.sources {
            let _ = write!(
                out,
                "<TextSource guid=\"{0}\" name=\"{1}\" plainTextPath=\"internal://{0}.txt\" creationDateTime=\"{2}\">",
                source.id,
                attr(&source.name),
                iso_datetime(source.imported)
            );
            for coding in project.codings_of(source.id) {
                let (Some(start), Some(end)) = (
                    byte_to_char(&source.text, coding.span.start),
                    byte_to_char(&source.text, coding.span.end),
                ) else {
                    continue;
                };
                let user = if coding.coder.is_empty() {
                    String::new()
                } else {
                    format!(" creatingUser=\"{}\"", user_guid(&coding.coder))
                };
                let when = iso_datetime(coding.created);
                let _ = write!(
                    out,
                    "<PlainTextSelection guid=\"{}\" startPosition=\"{start}\" endPosition=\"{end}\"{user} creationDateTime=\"{when}\">\
<Coding guid=\"{}\"{user} creationDateTime=\"{when}\"><CodeRef targetGUID=\"{}\"/></Coding>",
                    derived(coding.id.0, SALT_SELECTION),
                    coding.id,
                    coding.code
                );
                // Annotations of this coding: notes referenced from its selection.
                for a in project.annotations_of(source.id) {
                    if a.coding == Some(coding.id) {
                        annotation_note(&mut out, &mut notes, a, &source.name);
                    }
                }
                out.push_str("</PlainTextSelection>");
            }
            // Annotations of passages: a selection of their own holding only a note.
            for a in project.annotations_of(source.id) {
                if a.coding
                    .is_some_and(|c| project.codings_of(source.id).iter().any(|x| x.id == c))
                {
                    continue;
                }
                let (Some(start), Some(end)) = (
                    byte_to_char(&source.text, a.span.start),
                    byte_to_char(&source.text, a.span.end),
                ) else {
                    continue;
                };
                let _ = write!(
                    out,
                    "<PlainTextSelection guid=\"{}\" startPosition=\"{start}\" endPosition=\"{end}\" creationDateTime=\"{}\">",
                    derived(a.id.0, SALT_SELECTION),
                    iso_datetime(a.created)
                );
                annotation_note(&mut out, &mut notes, a, &source.name);
                out.push_str("</PlainTextSelection>");
            }
            if !source.memo.is_empty() {
                let guid = derived(source.id.0, SALT_SOURCE_NOTE);
                let _ = write!(out, "<NoteRef targetGUID=\"{guid}\"/>");
                notes.push(Note {
                    guid,
                    name: format!("Memo: {}", source.name),
                    content: source.memo.clone(),
                    created: None,
                });
            }
            out.push_str("</TextSource>");
        }
        out.push_str("</Sources>");
    }
    for code in &project.codes {
        if !code.memo.is_empty() {
            notes.push(Note {
                guid: derived(code.id.0, SALT_CODE_NOTE),
                name: format!("Memo: {}", code.name),
                content: code.memo.clone(),
                created: None,
            });
        }
    }
    // Matrix summaries: notes linked to the case and the code.
    for m in &project.matrices {
        for (case, row) in &m.cells {
            for (code, summary) in row {
                if summary.trim().is_empty() {
                    continue;
                }
                let guid = derived_from(&[m.id.0, case.0, code.0], SALT_CELL_NOTE);
                let case_name = project.case(*case).map(|c| c.name.as_str()).unwrap_or("?");
                let code_name = project.code(*code).map(|c| c.name.as_str()).unwrap_or("?");
                notes.push(Note {
                    guid,
                    name: format!("{}: {case_name} × {code_name}", m.name),
                    content: render_summary(project, summary),
                    created: None,
                });
                let _ = write!(
                    links,
                    "<Link guid=\"{}\" name=\"{}\" direction=\"Associative\" originGUID=\"{case}\" targetGUID=\"{code}\"><NoteRef targetGUID=\"{guid}\"/></Link>",
                    derived_from(&[m.id.0, case.0, code.0], SALT_CELL_LINK),
                    attr(&m.name)
                );
            }
        }
        for (case, summary) in &m.case_summaries {
            if summary.trim().is_empty() {
                continue;
            }
            let guid = derived_from(&[m.id.0, case.0], SALT_CASE_NOTE);
            let case_name = project.case(*case).map(|c| c.name.as_str()).unwrap_or("?");
            notes.push(Note {
                guid,
                name: format!("{}: {case_name} (case summary)", m.name),
                content: render_summary(project, summary),
                created: None,
            });
            let _ = write!(
                links,
                "<Link guid=\"{}\" name=\"{}\" direction=\"Associative\" originGUID=\"{case}\"><NoteRef targetGUID=\"{guid}\"/></Link>",
                derived_from(&[m.id.0, case.0], SALT_CASE_LINK),
                attr(&m.name)
            );
        }
    }
    if !notes.is_empty() {
        out.push_str("<Notes>");
        for n in &notes {
            let _ = write!(
                out,
                "<Note guid=\"{}\" name=\"{}\"{}><PlainTextContent>{}</PlainTextContent></Note>",
                n.guid,
                attr(&n.name),
                n.created
                    .map(|t| format!(" creationDateTime=\"{}\"", iso_datetime(t)))
                    .unwrap_or_default(),
                text(&n.content)
            );
        }
        out.push_str("</Notes>");
    }
    if !links.is_empty() {
        let _ = write!(out, "<Links>{links}</Links>");
    }
    write_sets(&mut out, project, "targetGUID");
    write_description(&mut out, &project.memo);
    out.push_str("</Project>\n");
    out
}

/// The sidecar: what REFI cannot express, keyed by guid; the pseudonymisation key only when
/// `with_key`.
pub(crate) fn sidecar(project: &Project, with_key: bool) -> Value {
    let mut codes = Map::new();
    for c in &project.codes {
        codes.insert(
            c.id.to_string(),
            json!({"origin": c.origin, "created": c.created}),
        );
    }
    let mut sources = Map::new();
    for s in &project.sources {
        sources.insert(
            s.id.to_string(),
            json!({"kind": s.kind, "file_name": s.file_name, "turns": s.turns}),
        );
    }
    let mut cases = Map::new();
    for c in &project.cases {
        cases.insert(
            c.id.to_string(),
            json!({"parent": c.parent, "created": c.created, "speakers": c.speakers}),
        );
    }
    let mut attributes = Map::new();
    for a in &project.attributes {
        attributes.insert(a.id.to_string(), json!({"kind": a.kind}));
    }
    let mut sets = Map::new();
    for s in &project.sets {
        sets.insert(s.id.to_string(), json!({"created": s.created}));
    }
    let mut matrix_notes: Vec<String> = Vec::new();
    for m in &project.matrices {
        for (case, row) in &m.cells {
            for code in row.keys() {
                matrix_notes
                    .push(derived_from(&[m.id.0, case.0, code.0], SALT_CELL_NOTE).to_string());
            }
        }
        for case in m.case_summaries.keys() {
            matrix_notes.push(derived_from(&[m.id.0, case.0], SALT_CASE_NOTE).to_string());
        }
    }
    let mut side = json!({
        "format": "framewise-refi-sidecar",
        "version": SIDECAR_VERSION,
        "project": {"id": project.id, "created": project.created},
        "code_order": project.codes.iter().map(|c| c.id).collect::<Vec<_>>(),
        "codes": codes,
        "sources": sources,
        "cases": cases,
        "attributes": attributes,
        "sets": sets,
        "matrices": project.matrices.iter().map(|m| m.as_ref()).collect::<Vec<_>>(),
        "matrix_notes": matrix_notes,
    });
    if with_key {
        if let Some(map) = side.as_object_mut() {
            map.insert("pseudonyms".into(), json!(project.pseudonyms));
        }
    }
    side
}

/// The sidecar's version: 1 at first; 2 adds speaker turns per source, speaker links per case
/// and the pseudonymisation key (only when asked for). Matrices (with `exclude_speakers`) travel
/// whole in both.
pub const SIDECAR_VERSION: u32 = 2;

/// What a `.qdpx` export carries besides what REFI-QDA itself expresses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExportOptions {
    /// Write the sidecar [`super::SIDECAR_PATH`] (what REFI cannot express). Without it the
    /// archive holds only what other tools read.
    pub sidecar: bool,
    /// Put the project's pseudonymisation key (real names and their pseudonyms) in the sidecar.
    /// Off by default: a `.qdpx` is usually sent to someone, and the key identifies participants.
    pub include_pseudonym_key: bool,
}

impl Default for ExportOptions {
    /// With the sidecar, without the pseudonymisation key.
    fn default() -> Self {
        Self {
            sidecar: true,
            include_pseudonym_key: false,
        }
    }
}

/// The project as a `.qdpx` archive: `project.qde`, `sources/<guid>.txt` (UTF-8, LF) and the
/// sidecar [`super::SIDECAR_PATH`], without the pseudonymisation key
/// (`ExportOptions::default()`).
pub fn export_qdpx(project: &Project) -> Result<Vec<u8>, ArchiveError> {
    export_qdpx_with(project, ExportOptions::default())
}

/// [`export_qdpx`] with a choice of what travels besides REFI: the sidecar or not, the
/// pseudonymisation key or not.
pub fn export_qdpx_with(
    project: &Project,
    options: ExportOptions,
) -> Result<Vec<u8>, ArchiveError> {
    let mut zip = Archive::new();
    zip.add("project.qde", export_qde(project).as_bytes())?;
    for source in &project.sources {
        zip.add(
            &format!("sources/{}.txt", source.id),
            source.text.as_bytes(),
        )?;
    }
    if options.sidecar {
        let side = serde_json::to_string(&sidecar(project, options.include_pseudonym_key))
            .map_err(|e| ArchiveError::from(std::io::Error::other(e)))?;
        zip.add(SIDECAR_PATH, side.as_bytes())?;
    }
    zip.finish()
}

/// `<Description>` with the text, when there is one.
fn write_description(out: &mut String, description: &str) {
    if !description.is_empty() {
        let _ = write!(out, "<Description>{}</Description>", text(description));
    }
}

/// The opening tag of a named element (`<Case guid="…" name="…">`) and its description.
fn open_described(
    out: &mut String,
    tag: &str,
    guid: impl std::fmt::Display,
    name: &str,
    description: &str,
) {
    let _ = write!(out, "<{tag} guid=\"{guid}\" name=\"{}\">", attr(name));
    write_description(out, description);
}

/// `<Sets>`: the codebook schema names a member code with `guid`, the project schema with
/// `targetGUID`; nothing is written when there are no sets.
fn write_sets(out: &mut String, project: &Project, member_attribute: &str) {
    if project.sets.is_empty() {
        return;
    }
    out.push_str("<Sets>");
    for set in &project.sets {
        open_described(out, "Set", set.id, &set.name, &set.description);
        for code in &set.codes {
            let _ = write!(out, "<MemberCode {member_attribute}=\"{code}\"/>");
        }
        out.push_str("</Set>");
    }
    out.push_str("</Sets>");
}
