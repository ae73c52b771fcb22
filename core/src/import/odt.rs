//! OpenDocument text (`.odt`): the text of `content.xml` in order, one line per paragraph and
//! heading (list items too), tables as tab-separated rows, footnotes and endnotes appended after
//! the body with their citation (`[1]`) at the reference. Text split across styled spans joins
//! as written; white space follows the OpenDocument rules (runs of spaces and line breaks in the
//! XML are one space, `text:s` is explicit spaces). Comments and tracked deletions are left out.
//! Encrypted documents are refused.
//!
//! Limits against zip bombs and huge XML: see [`super::zipped`].

use super::zipped::{reference_text, xml_error, Archive, Collector, MAX_XML_BYTES};
use super::{ExtractedText, Format, ImportError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The OpenDocument text format.
pub const FORMAT: Format = Format {
    label: "OpenDocument text",
    extensions: &[".odt"],
    import,
};

const KIND: &str = "OpenDocument (.odt)";

/// The most spaces one `text:s` element gives.
const MAX_SPACES: usize = 1000;
/// The most spaces all `text:s` elements of a document give together (against blow-ups: a
/// short element can ask for many spaces); beyond it each gives one space.
const MAX_TOTAL_SPACES: usize = 1024 * 1024;

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    let mut archive = Archive::open(bytes, KIND)?;
    if let Some(manifest) = archive.read("META-INF/manifest.xml", MAX_XML_BYTES)? {
        if manifest
            .windows(b"encryption-data".len())
            .any(|w| w == b"encryption-data")
        {
            return Err(ImportError::Encrypted);
        }
    }
    let content = archive.read_required("content.xml", MAX_XML_BYTES)?;
    Ok(ExtractedText {
        text: walk(&content)?,
        encoding: "UTF-8",
        notices: Vec::new(),
        turns: Vec::new(),
    })
}

fn spaces(e: &BytesStart<'_>) -> usize {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == b"c")
        .and_then(|a| {
            std::str::from_utf8(&a.value)
                .ok()?
                .trim()
                .parse::<usize>()
                .ok()
        })
        .unwrap_or(1)
        .min(MAX_SPACES)
}

/// Appends XML character data with OpenDocument white-space collapsing.
fn push_collapsed(out: &mut Collector, text: &str) {
    let mut buffer = String::with_capacity(text.len());
    let mut last_space = {
        let current = out.current();
        current.is_empty() || current.ends_with(' ')
    };
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !last_space {
                buffer.push(' ');
                last_space = true;
            }
        } else {
            buffer.push(c);
            last_space = false;
        }
    }
    out.push(&buffer);
}

fn walk(xml: &[u8]) -> Result<String, ImportError> {
    let part = "content.xml";
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut out = Collector::new();
    let mut skip = 0usize;
    // Inside office:text (the document body).
    let mut in_body = 0usize;
    // Inside text:note-citation: its text is collected for the marker.
    let mut citation: Option<String> = None;
    let mut note_citations: Vec<String> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut space_budget = MAX_TOTAL_SPACES;
    let mut spaces = |e: &BytesStart<'_>| {
        let n = spaces(e).min(space_budget).max(1);
        space_budget = space_budget.saturating_sub(n);
        " ".repeat(n)
    };
    loop {
        let event = reader.read_event().map_err(|e| xml_error(KIND, part, e))?;
        match event {
            Event::Start(e) => {
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"text" if e.name().prefix().is_some_and(|p| p.as_ref() == b"office") => {
                        in_body += 1
                    }
                    _ if in_body == 0 => {}
                    b"tracked-changes" | b"annotation" | b"deletion" | b"sequence-decls" => {
                        skip = 1
                    }
                    b"p" | b"h" => out.open_paragraph(),
                    b"table-row" => out.open_row(),
                    b"table-cell" | b"covered-table-cell" => out.open_cell(),
                    b"s" => out.push(&spaces(&e)),
                    b"note-citation" => citation = Some(String::new()),
                    b"note-body" => out.open_note(),
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"text" if e.name().prefix().is_some_and(|p| p.as_ref() == b"office") => {
                        in_body = in_body.saturating_sub(1)
                    }
                    _ if in_body == 0 => {}
                    b"p" | b"h" => out.close_paragraph(),
                    b"table-row" => out.close_row(),
                    b"table-cell" | b"covered-table-cell" => out.close_cell(),
                    b"note-citation" => {
                        let marker = citation.take().unwrap_or_default().trim().to_string();
                        out.push(&format!("[{marker}]"));
                        note_citations.push(marker);
                    }
                    b"note-body" => {
                        let text = out.close_note();
                        let marker = note_citations.pop().unwrap_or_default();
                        notes.push((marker, text));
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip > 0 || in_body == 0 {
                    continue;
                }
                match e.local_name().as_ref() {
                    b"s" => out.push(&spaces(&e)),
                    b"tab" => out.push("\t"),
                    b"line-break" => out.push("\n"),
                    b"p" | b"h" => out.line(""),
                    b"table-cell" | b"covered-table-cell" => {
                        out.open_cell();
                        out.close_cell();
                    }
                    _ => {}
                }
            }
            Event::Text(t) if skip == 0 && in_body > 0 => {
                let text = t.xml_content().map_err(|e| xml_error(KIND, part, e))?;
                match citation.as_mut() {
                    Some(c) => c.push_str(&text),
                    None if !out.paragraphs.is_empty() => push_collapsed(&mut out, &text),
                    None => {}
                }
            }
            Event::CData(t) if skip == 0 && in_body > 0 && !out.paragraphs.is_empty() => {
                let text = t.decode().map_err(|e| xml_error(KIND, part, e))?;
                push_collapsed(&mut out, &text);
            }
            Event::GeneralRef(r) if skip == 0 && in_body > 0 => {
                let text = reference_text(&r);
                match citation.as_mut() {
                    Some(c) => c.push_str(&text),
                    None if !out.paragraphs.is_empty() => out.push(&text),
                    None => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out.finish(&notes))
}
