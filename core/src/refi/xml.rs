//! A small element tree over quick-xml (REFI files are small enough to hold in memory), and the
//! escaping used when writing, and the text of an XML file from its bytes (`xml_text`: BOM or
//! declared encoding via `encoding_rs`).

use quick_xml::events::Event;
use quick_xml::Reader;
use std::borrow::Cow;

/// One XML element: local name (namespace prefix dropped), attributes by local name, child
/// elements in order, and its text content (all text nodes concatenated).
#[derive(Clone, Debug, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Element>,
    pub(crate) text: String,
}

impl Element {
    /// The value of attribute `name`, if present.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// The `name` attribute without surrounding white space (as every name is kept: a name
    /// is compared ignoring it, and the project file's loader trims it), or `fallback` when it
    /// is missing or blank.
    pub(crate) fn name_or<'a>(&'a self, fallback: &'a str) -> &'a str {
        self.attr("name")
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(fallback)
    }
    /// The first child named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    /// Every child named `name`.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    /// The text of the first child named `name` ("" when absent).
    pub(crate) fn child_text(&self, name: &str) -> &str {
        self.child(name).map(|c| c.text.as_str()).unwrap_or("")
    }
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.into_owned(),
    }
}

fn start(
    e: &quick_xml::events::BytesStart<'_>,
    decoder: quick_xml::encoding::Decoder,
) -> Result<Element, String> {
    let mut el = Element {
        name: local(e.name().as_ref()),
        ..Element::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|err| format!("bad attribute: {err}"))?;
        let value = a
            .decode_and_unescape_value(decoder)
            .map_err(|err| format!("bad attribute value: {err}"))?;
        el.attrs.push((local(a.key.as_ref()), value.into_owned()));
    }
    Ok(el)
}

/// Deeper nesting is refused (codebooks are a few levels deep; this keeps recursion bounded).
const MAX_DEPTH: usize = 256;

/// Parses a whole document into its root element. Errors are sentences.
pub(crate) fn parse(xml: &str) -> Result<Element, String> {
    let xml = xml.trim_start_matches('\u{feff}');
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let attach = |stack: &mut Vec<Element>, root: &mut Option<Element>, el: Element| match stack
        .last_mut()
    {
        Some(parent) => parent.children.push(el),
        None => {
            if root.is_none() {
                *root = Some(el);
            }
        }
    };
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("elements nested more than {MAX_DEPTH} deep"));
                }
                stack.push(start(&e, reader.decoder())?);
            }
            Event::Empty(e) => {
                let el = start(&e, reader.decoder())?;
                attach(&mut stack, &mut root, el);
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let text = t.decode().map_err(|e| format!("bad text: {e}"))?;
                    top.text.push_str(&text);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    let text = t.decode().map_err(|e| format!("bad text: {e}"))?;
                    top.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        top.text.push(c);
                    } else {
                        let name = r.decode().map_err(|e| format!("bad entity: {e}"))?;
                        match name.as_ref() {
                            "amp" => top.text.push('&'),
                            "lt" => top.text.push('<'),
                            "gt" => top.text.push('>'),
                            "quot" => top.text.push('"'),
                            "apos" => top.text.push('\''),
                            other => return Err(format!("unknown entity &{other};")),
                        }
                    }
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    // A file cut short (or an element never closed).
                    return Err(format!(
                        "the document ends before <{}> is closed",
                        open.name
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    root.ok_or_else(|| "the XML has no root element".to_string())
}

/// True for characters XML 1.0 allows.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Escapes element content (characters XML cannot hold are dropped; CR kept as `&#13;`).
pub(crate) fn text(s: &str) -> String {
    escape(s, false)
}

/// Escapes an attribute value (tabs and line breaks as character references, so parsers do not
/// normalise them to spaces).
pub(crate) fn attr(s: &str) -> String {
    escape(s, true)
}

/// [`text`], or with `in_attribute` [`attr`]: the same escapes, and in an attribute also `"`,
/// tabs and line feeds.
fn escape(s: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of an XML document: a byte-order mark (UTF-8, UTF-16) wins, then the encoding its
/// declaration names (any label `encoding_rs` knows), then UTF-8; bytes that are not valid
/// UTF-8 with nothing declared are read as Windows-1252, with a notice (the second value).
pub(crate) fn xml_text(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<String>), String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom..).unwrap_or_default();
        let (text, _) = encoding.decode_without_bom_handling(body);
        return Ok((text, None));
    }
    if let Some(label) = declared_encoding(bytes) {
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            format!("the file declares the encoding “{label}”, which Framewise does not know")
        })?;
        // A document that says UTF-16 without a byte-order mark is read as what it says.
        if encoding != encoding_rs::UTF_8 {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            return Ok((text, None));
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), None)),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((
                text,
                Some(
                    "The XML was not valid UTF-8 and declared no other encoding: it was read as \
                     Windows-1252."
                        .to_string(),
                ),
            ))
        }
    }
}

/// The `encoding` of the XML declaration (`<?xml version="1.0" encoding="ISO-8859-1"?>`), read
/// as ASCII from the start of the file.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(256))?;
    let head: String = head
        .iter()
        .take_while(|&&b| b != b'>')
        .map(|&b| char::from(b))
        .collect();
    let declaration = head.trim_start().strip_prefix("<?xml")?;
    let at = declaration.find("encoding")?;
    let rest = declaration
        .get(at + "encoding".len()..)?
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = rest.get(1..)?;
    let end = value.find(quote)?;
    Some(value.get(..end)?.trim().to_string())
}
