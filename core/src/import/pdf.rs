//! PDF documents (`.pdf`, crate feature `pdf`): the text layer, page by page, read with the
//! `pdf-extract` crate (on `lopdf`).
//!
//! **Page markers.** Pages are separated by a line `[page N]` (N counted from 1, as a reader
//! shows them) with a blank line before and after it; the first page has no marker. So the
//! text of a two-page PDF is `"first page…\n\n[page 2]\n\nsecond page…"`. Empty pages keep their
//! markers, so page numbers stay right.
//!
//! **No text layer.** A PDF whose pages have no text at all (a scanned image) is refused with
//! [`ImportError::NoTextLayer`]; pages without text in a PDF that has some text are named in a
//! notice. Password-protected PDFs that do not open with the empty password are
//! [`ImportError::Encrypted`].
//!
//! **Panics.** `pdf-extract` panics on some malformed PDFs by design. Every call into it here runs
//! under [`std::panic::catch_unwind`], so in native builds (tests, the CLI, fuzzing) a panic is
//! one file's error ([`ImportError::CorruptArchive`], or a notice for one page). In the browser,
//! the release profile has `panic = "abort"`, where `catch_unwind` catches nothing: the app must
//! call this importer **only inside its import Web Worker**, so that a panic kills the worker,
//! not the app. That is why this format has its own feature, off in the app's main module.
//!
//! **Expansion.** lopdf inflates compressed streams without a limit, so a small crafted PDF could
//! take gigabytes. Before lopdf reads anything, every stream of the file is inflated here into a
//! counter (never kept) under a cap per stream and in total ([`MAX_STREAM_BYTES`],
//! [`MAX_INFLATED_BYTES`]); after loading (and decrypting), the streams are measured again, as
//! decryption can reveal compressed data the first pass could not see. Over a cap, the file is
//! refused with [`ImportError::OverLimit`].

use super::{ExtractedText, Format, ImportError};
use pdf_extract::content::Content;
use pdf_extract::{output_doc_page, Dictionary, Document, Object, ObjectId, PlainTextOutput};
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The PDF format.
pub const FORMAT: Format = Format {
    label: "PDF document (text layer)",
    extensions: &[".pdf"],
    import,
};

const KIND: &str = "PDF (.pdf)";

/// How far into the file the `%PDF-` header may start (readers accept leading junk).
const HEADER_WINDOW: usize = 1024;

/// The most pages read.
pub const MAX_PAGES: usize = 10_000;

/// The most one compressed stream of a PDF may expand to (a page's content, an object stream).
pub const MAX_STREAM_BYTES: u64 = 64 * 1024 * 1024;

/// The most all compressed streams of a PDF may expand to together.
pub const MAX_INFLATED_BYTES: u64 = 512 * 1024 * 1024;

/// How many bytes `data` inflates to as zlib or raw deflate (as lopdf tries them), counting at
/// most `limit + 1`: the bytes produced before any error count too.
fn inflated_len(data: &[u8], limit: u64) -> u64 {
    use std::io::Read;
    fn count(mut reader: impl Read, limit: u64) -> u64 {
        let mut buffer = [0u8; 64 * 1024];
        let mut total = 0u64;
        while total <= limit {
            match reader.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => total += n as u64,
            }
        }
        total
    }
    let zlib = count(flate2::read::ZlibDecoder::new(data), limit);
    if zlib > 0 {
        return zlib;
    }
    count(flate2::read::DeflateDecoder::new(data), limit)
}

/// The raw bytes between each `stream` keyword and the next `endstream` of a PDF file, except
/// images (whose dictionary, between the object's `obj` and `stream`, names `/Image`): neither
/// lopdf nor pdf-extract inflates those, and a scan's page images are large by nature.
fn raw_streams(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || loop {
        let at = find(rest, b"stream")?;
        let after = rest.get(at + 6..)?;
        // `endstream` contains `stream`: skip it; the keyword is followed by an end of line.
        let preceded_by_end = at >= 3 && rest.get(at - 3..at) == Some(b"end");
        let data = match after {
            [b'\r', b'\n', data @ ..] | [b'\n', data @ ..] | [b'\r', data @ ..]
                if !preceded_by_end =>
            {
                data
            }
            _ => {
                rest = after;
                continue;
            }
        };
        let end = find(data, b"endstream").unwrap_or(data.len());
        let head = rest.get(..at).unwrap_or_default();
        let dict = head
            .get(head.len().saturating_sub(4096)..)
            .unwrap_or_default();
        let dict = rfind(dict, b"obj")
            .and_then(|o| dict.get(o..))
            .unwrap_or(dict);
        let image = find(dict, b"/Image").is_some();
        rest = data.get(end..).unwrap_or_default();
        if image {
            continue;
        }
        return data.get(..end);
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Refuses a PDF whose compressed streams expand past the caps (`streams`: their bytes).
fn check_expansion<'a>(streams: impl Iterator<Item = &'a [u8]>) -> Result<(), ImportError> {
    check_expansion_within(streams, MAX_STREAM_BYTES, MAX_INFLATED_BYTES)
}

/// [`check_expansion`] under the given caps of one stream and of all (smaller in tests).
fn check_expansion_within<'a>(
    streams: impl Iterator<Item = &'a [u8]>,
    stream_limit: u64,
    total_limit: u64,
) -> Result<(), ImportError> {
    let mut total = 0u64;
    for data in streams {
        let n = inflated_len(data, stream_limit);
        if n > stream_limit {
            return Err(ImportError::OverLimit(format!(
                "one of its compressed streams expands to more than {} MB; Framewise reads PDFs \
                 whose streams stay within that",
                stream_limit / (1024 * 1024)
            )));
        }
        total += n;
        if total > total_limit {
            return Err(ImportError::OverLimit(format!(
                "its compressed streams expand to more than {} MB together",
                total_limit / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

/// Whether a stream's dictionary names `/FlateDecode` among its filters (what lopdf inflates).
fn is_deflated(dict: &Dictionary) -> bool {
    match dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"FlateDecode",
        Ok(Object::Array(filters)) => filters
            .iter()
            .any(|f| matches!(f, Object::Name(n) if n == b"FlateDecode")),
        _ => false,
    }
}

/// Whether a stream's dictionary says it is an image (`/Subtype /Image`).
fn is_image(dict: &Dictionary) -> bool {
    matches!(dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image")
}

/// The deepest page tree read (a page's chain of `/Parent` nodes).
const MAX_TREE_DEPTH: usize = 64;

/// The line that starts page `n` (from 2 on), without its surrounding blank lines.
pub fn page_marker(n: u32) -> String {
    format!("[page {n}]")
}

fn corrupt(reason: impl Into<String>) -> ImportError {
    ImportError::CorruptArchive {
        kind: KIND,
        reason: reason.into(),
    }
}

/// Runs `f`, turning a panic into `None`.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

fn import(bytes: &[u8]) -> Result<ExtractedText, ImportError> {
    let window = bytes.get(..HEADER_WINDOW).unwrap_or(bytes);
    if !window.windows(5).any(|w| w == b"%PDF-") {
        return Err(corrupt("it does not start with %PDF-"));
    }
    check_expansion(raw_streams(bytes))?;
    let mut doc = match guarded(|| Document::load_mem(bytes)) {
        None => return Err(corrupt("the PDF reader failed on its structure")),
        Some(Err(pdf_extract::Error::Decryption(_))) => return Err(ImportError::Encrypted),
        Some(Err(e)) => return Err(corrupt(e.to_string())),
        Some(Ok(doc)) => doc,
    };
    if doc.is_encrypted() {
        match guarded(|| doc.decrypt("")) {
            Some(Ok(())) => {}
            _ => return Err(ImportError::Encrypted),
        }
    }
    // Decryption may have revealed compressed data the first pass could not read.
    check_expansion(doc.objects.values().filter_map(|o| match o {
        Object::Stream(s) if !is_image(&s.dict) && is_deflated(&s.dict) => {
            Some(s.content.as_slice())
        }
        _ => None,
    }))?;
    let Some(pages) = guarded(|| doc.get_pages()) else {
        return Err(corrupt("the PDF reader failed on its page tree"));
    };
    if pages.is_empty() {
        return Err(corrupt("it has no pages"));
    }
    if pages.len() > MAX_PAGES {
        return Err(ImportError::OverLimit(format!(
            "it has {} pages; Framewise reads PDFs of up to {MAX_PAGES} pages",
            pages.len()
        )));
    }
    let mut texts: Vec<(u32, Option<String>)> = Vec::with_capacity(pages.len());
    for (&number, &page) in &pages {
        // pdf-extract follows /Parent links to inherit the media box and resources without
        // checking for cycles: a cyclic page tree made it loop forever (found by fuzzing).
        if !parents_end(&doc, page) || guarded(|| forms_end(&doc, page)) != Some(true) {
            texts.push((number, None));
            continue;
        }
        let text = guarded(|| {
            let mut text = String::new();
            let mut output = PlainTextOutput::new(&mut text);
            output_doc_page(&doc, &mut output, number).map(|()| text)
        })
        .and_then(Result::ok);
        texts.push((number, text));
    }
    assemble(&texts)
}

/// The deepest nesting of XObjects read (a form that draws a form that draws ...).
const MAX_FORM_DEPTH: usize = 32;

/// Whether the XObjects a page draws (`Do`), and the ones they draw, end within
/// [`MAX_FORM_DEPTH`] levels without a cycle. pdf-extract recurses into them without checking:
/// a stream that draws itself overflowed the stack (found by fuzzing,
/// `fuzz_pdf_xobject_cycle.pdf`), which no `catch_unwind` can catch.
fn forms_end(doc: &Document, page: ObjectId) -> bool {
    match page_resources(doc, page) {
        Some(resources) => xobjects_end(doc, resources, None, &mut Vec::new()),
        None => true,
    }
}

/// The page's `/Resources`, or the nearest ancestor's (as pdf-extract inherits them).
fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut current = page;
    for _ in 0..MAX_TREE_DEPTH {
        let node = doc.get_dictionary(current).ok()?;
        if let Ok(resources) = node.get(b"Resources") {
            return doc.dereference(resources).ok()?.1.as_dict().ok();
        }
        current = node.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

/// The XObjects of `resources` that `used` names (all of them when `None`) reach the depth
/// limit or come back to one on `path`? Then `false`.
fn xobjects_end(
    doc: &Document,
    resources: &Dictionary,
    used: Option<&BTreeSet<Vec<u8>>>,
    path: &mut Vec<ObjectId>,
) -> bool {
    if path.len() > MAX_FORM_DEPTH {
        return false;
    }
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return true;
    };
    for (name, value) in xobjects.iter() {
        if used.is_some_and(|u| !u.contains(name)) {
            continue;
        }
        let Ok(id) = value.as_reference() else {
            continue;
        };
        if path.contains(&id) {
            return false;
        }
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            continue;
        };
        // A form without resources of its own draws with its caller's.
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .unwrap_or(resources);
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let drawn: BTreeSet<Vec<u8>> = Content::decode(&content)
            .map(|c| {
                c.operations
                    .iter()
                    .filter(|op| op.operator == "Do")
                    .filter_map(|op| op.operands.first()?.as_name().ok().map(<[u8]>::to_vec))
                    .collect()
            })
            .unwrap_or_default();
        if drawn.is_empty() {
            continue;
        }
        path.push(id);
        let ends = xobjects_end(doc, inner, Some(&drawn), path);
        path.pop();
        if !ends {
            return false;
        }
    }
    true
}

/// Whether the chain of `/Parent` nodes above `page` ends within [`MAX_TREE_DEPTH`] steps
/// without a cycle.
fn parents_end(doc: &Document, page: ObjectId) -> bool {
    let mut seen = BTreeSet::new();
    let mut current = page;
    for _ in 0..MAX_TREE_DEPTH {
        if !seen.insert(current) {
            return false;
        }
        let Ok(node) = doc.get_dictionary(current) else {
            return true;
        };
        match node.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => current = parent,
            Err(_) => return true,
        }
    }
    false
}

/// Joins the pages' texts (`None`: the page could not be read) with page markers.
fn assemble(pages: &[(u32, Option<String>)]) -> Result<ExtractedText, ImportError> {
    let failed: Vec<u32> = pages
        .iter()
        .filter(|(_, t)| t.is_none())
        .map(|(n, _)| *n)
        .collect();
    let empty: Vec<u32> = pages
        .iter()
        .filter(|(_, t)| t.as_deref().is_some_and(|t| t.trim().is_empty()))
        .map(|(n, _)| *n)
        .collect();
    if failed.len() == pages.len() {
        return Err(corrupt("none of its pages could be read"));
    }
    if failed.len() + empty.len() == pages.len() {
        return Err(ImportError::NoTextLayer);
    }
    let mut text = String::new();
    for (i, (number, page)) in pages.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
            text.push_str(&page_marker(*number));
            text.push_str("\n\n");
        }
        if let Some(page) = page {
            text.push_str(tidy(page).trim_matches('\n'));
        }
    }
    let mut notices = Vec::new();
    if !failed.is_empty() {
        notices.push(format!(
            "{} could not be read and {} left empty.",
            page_list(&failed),
            if failed.len() == 1 { "is" } else { "are" }
        ));
    }
    if !empty.is_empty() {
        notices.push(format!(
            "{} {} no text layer (scanned images need text recognition, OCR).",
            page_list(&empty),
            if empty.len() == 1 { "has" } else { "have" }
        ));
    }
    Ok(ExtractedText {
        text,
        encoding: "UTF-8",
        notices,
        turns: Vec::new(),
    })
}

/// A page's text without trailing spaces on its lines.
fn tidy(page: &str) -> String {
    page.split('\n')
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// "Page 3" or "Pages 2, 5 and 7" (at most 20 listed).
fn page_list(pages: &[u32]) -> String {
    const SHOWN: usize = 20;
    let numbers: Vec<String> = pages.iter().take(SHOWN).map(u32::to_string).collect();
    match numbers.as_slice() {
        [one] => format!("Page {one}"),
        [init @ .., last] if pages.len() <= SHOWN => {
            format!("Pages {} and {last}", init.join(", "))
        }
        _ => format!(
            "Pages {} and {} more",
            numbers.join(", "),
            pages.len() - SHOWN
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Deflated (zlib) `n` spaces.
    fn deflated(n: usize) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&vec![b' '; n]).unwrap();
        z.finish().unwrap()
    }

    /// Streams each under the cap of one stream but together over the cap of all are refused
    /// (the real caps, 64 and 512 MB, made small: each stream counts, a stream named twice
    /// counts twice); raw bytes that do not inflate count as nothing.
    #[test]
    fn streams_that_expand_past_the_total_cap_together_are_refused() {
        let mb = 1024 * 1024;
        let one = deflated(mb);
        let three = [one.as_slice(), one.as_slice(), one.as_slice()];
        assert_eq!(
            check_expansion_within(three.into_iter(), mb as u64, 3 * mb as u64),
            Ok(())
        );
        let error =
            check_expansion_within(three.into_iter(), mb as u64, 3 * mb as u64 - 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "this file is over Framewise's limits: its compressed streams expand to more than \
             2 MB together"
        );
        let error =
            check_expansion_within(three.into_iter(), mb as u64 - 1, 10 * mb as u64).unwrap_err();
        assert!(
            error.to_string().contains("one of its compressed streams"),
            "{error}"
        );
        let junk: &[u8] = b"not deflate at all";
        assert_eq!(check_expansion_within([junk].into_iter(), 1, 1), Ok(()));
    }

    #[test]
    fn pages_are_joined_with_markers() {
        let read = assemble(&[
            (1, Some("One  \n".into())),
            (2, Some(" ".into())),
            (3, Some("\nThree".into())),
        ])
        .unwrap();
        assert_eq!(read.text, "One\n\n[page 2]\n\n\n\n[page 3]\n\nThree");
        assert_eq!(
            read.notices,
            ["Page 2 has no text layer (scanned images need text recognition, OCR)."]
        );
    }

    #[test]
    fn no_text_and_unreadable_pages() {
        assert_eq!(
            assemble(&[(1, Some(" \n".into())), (2, None)]).unwrap_err(),
            ImportError::NoTextLayer
        );
        assert!(matches!(
            assemble(&[(1, None)]),
            Err(ImportError::CorruptArchive { .. })
        ));
        let read = assemble(&[(1, None), (2, None), (3, Some("x".into()))]).unwrap();
        assert_eq!(
            read.notices,
            ["Pages 1 and 2 could not be read and are left empty."]
        );
    }

    #[test]
    fn page_lists() {
        assert_eq!(page_list(&[4]), "Page 4");
        assert_eq!(page_list(&[1, 2, 3]), "Pages 1, 2 and 3");
        let many: Vec<u32> = (1..=25).collect();
        assert!(page_list(&many).ends_with("and 5 more"));
    }

    #[test]
    fn not_a_pdf() {
        assert!(matches!(
            import(b"hello"),
            Err(ImportError::CorruptArchive { .. })
        ));
        assert!(import(b"%PDF-1.4\n%%EOF").is_err());
    }
}
