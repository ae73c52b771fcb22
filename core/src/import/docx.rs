//! Word documents (`.docx`): the text of `word/document.xml` in order, one line per paragraph
//! (headings and list items too; list numbers and bullets are not text in Word), tables as
//! tab-separated rows, footnotes and endnotes appended after the body with `[1]` markers at their
//! references. Deleted tracked changes, field codes and fallback copies of text boxes are left
//! out. Nothing is executed or fetched: macros and external links are ignored.
//!
//! Limits against zip bombs and huge XML: see [`super::zipped`] (at most 10,000 parts, 200 MiB
//! unpacked in all and 50 MiB for the main XML).

use super::zipped::{reference_text, xml_error, Archive, Collector, MAX_XML_BYTES};
use super::{ExtractedText, Format, ImportError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

/// The Word format.
pub const FORMAT: Format = Format {
    label: "Word document",
    extensions: &[".docx"],
    import,
};

const KIND: &str = "Word (.docx)";

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    let mut archive = Archive::open(bytes, KIND)?;
    let document = archive.read_required("word/document.xml", MAX_XML_BYTES)?;
    let mut references = References::default();
    let body = walk(&document, "word/document.xml", &mut references, None)?;
    let mut notes: Vec<(String, String)> = Vec::new();
    for (part, kind, refs) in [
        ("word/footnotes.xml", NoteKind::Foot, &references.footnotes),
        ("word/endnotes.xml", NoteKind::End, &references.endnotes),
    ] {
        if refs.is_empty() {
            continue;
        }
        let Some(xml) = archive.read(part, MAX_XML_BYTES)? else {
            continue;
        };
        let mut texts = Vec::new();
        walk(&xml, part, &mut References::default(), Some(&mut texts))?;
        let texts: HashMap<String, String> = texts.into_iter().collect();
        for (number, id) in refs.iter().enumerate() {
            let text = texts.get(id).cloned().unwrap_or_default();
            notes.push((kind.marker(number + 1), text));
        }
    }
    let mut collector = Collector::new();
    collector.push(&body);
    Ok(ExtractedText {
        text: collector.finish(&notes),
        encoding: "UTF-8",
        notices: Vec::new(),
        turns: Vec::new(),
    })
}

#[derive(Clone, Copy)]
enum NoteKind {
    Foot,
    End,
}

impl NoteKind {
    fn marker(self, number: usize) -> String {
        match self {
            Self::Foot => number.to_string(),
            Self::End => format!("endnote {number}"),
        }
    }
}

/// Note ids in the order they are referenced in the body.
#[derive(Default)]
struct References {
    footnotes: Vec<String>,
    endnotes: Vec<String>,
}

fn attribute(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| std::str::from_utf8(&a.value).ok().map(str::to_string))
}

/// Walks one WordprocessingML part. For the body (`notes` is `None`) returns its text and records
/// note references; for a notes part collects `(id, text)` of each `w:footnote` / `w:endnote`.
fn walk(
    xml: &[u8],
    part: &str,
    references: &mut References,
    mut notes: Option<&mut Vec<(String, String)>>,
) -> Result<String, ImportError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut out = Collector::new();
    // Depth inside a skipped subtree (mc:Fallback, w:del), 0 when not skipping.
    let mut skip = 0usize;
    // Inside a w:t element (text), counted for nesting.
    let mut in_text = 0usize;
    // Inside a w:r element (a run): tabs and breaks elsewhere are formatting, not text.
    let mut in_run = 0usize;
    let mut note_id: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| xml_error(KIND, part, e))?;
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                match name {
                    b"Fallback" | b"del" | b"moveFrom" | b"instrText" | b"delInstrText" => skip = 1,
                    b"p" => out.open_paragraph(),
                    b"tr" => out.open_row(),
                    b"tc" => out.open_cell(),
                    b"t" => in_text += 1,
                    b"r" => in_run += 1,
                    b"footnote" | b"endnote" if notes.is_some() => {
                        note_id = attribute(&e, b"id");
                        out.open_note();
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"p" => out.close_paragraph(),
                    b"tr" => out.close_row(),
                    b"tc" => out.close_cell(),
                    b"t" => in_text = in_text.saturating_sub(1),
                    b"r" => in_run = in_run.saturating_sub(1),
                    b"footnote" | b"endnote" => {
                        let text = out.close_note();
                        if let (Some(list), Some(id)) = (notes.as_deref_mut(), note_id.take()) {
                            list.push((id, text));
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                match e.local_name().as_ref() {
                    b"tab" if in_run > 0 => out.push("\t"),
                    b"br" | b"cr" if in_run > 0 => out.push("\n"),
                    b"noBreakHyphen" if in_run > 0 => out.push("-"),
                    b"p" => out.line(""),
                    b"tc" => {
                        out.open_cell();
                        out.close_cell();
                    }
                    b"footnoteReference" | b"endnoteReference" if notes.is_none() && in_run > 0 => {
                        let footnote = e.local_name().as_ref() == b"footnoteReference";
                        let list = if footnote {
                            &mut references.footnotes
                        } else {
                            &mut references.endnotes
                        };
                        if let Some(id) = attribute(&e, b"id") {
                            list.push(id);
                            let marker = if footnote {
                                NoteKind::Foot
                            } else {
                                NoteKind::End
                            }
                            .marker(list.len());
                            out.push(&format!("[{marker}]"));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if skip == 0 && in_text > 0 => {
                let text = t.xml_content().map_err(|e| xml_error(KIND, part, e))?;
                out.push(&text);
            }
            Event::CData(t) if skip == 0 && in_text > 0 => {
                let text = t.decode().map_err(|e| xml_error(KIND, part, e))?;
                out.push(&text);
            }
            Event::GeneralRef(r) if skip == 0 && in_text > 0 => out.push(&reference_text(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out.finish(&[]))
}
