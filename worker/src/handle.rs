//! What the worker does with a request, independent of the browser (tested natively).
//!
//! Every request ends in a value or a sentence for the researcher; only a reader's panic (which
//! aborts the whole wasm instance: pdf-extract panics on some damaged PDFs, see
//! tests/e2e/fixtures/damaged-ID2.pdf) escapes, and the app turns that into this file's error.

use framewise_core::demo::demo_project;
use framewise_core::import::{detect_turns, import_file};
use framewise_core::matrix::{export_html, export_xlsx};
use framewise_core::persist::{from_project_file, upgrade, RecordStore};
use framewise_core::protocol::{
    ImportedSource, Json, MatrixFormat, ProjectFile, RecordsPart, RefiFormat, Reply, Request,
    SuggestAsk, SuggestReply, TableAsk, NO_PROJECT_TO_SEARCH, NO_SUGGEST_MODEL,
};
use framewise_core::refi::{
    export_qdc, export_qdpx_with, import_summary, merge_preview, plan_codebook_merge,
    read_refi_file, ExportOptions,
};
use framewise_core::report::{ReportFormat, ReportOptions};
use framewise_core::suggest::Model;
use framewise_core::IdSource;

/// A reply and the bytes that travel beside it (an exported file's).
#[derive(Clone, PartialEq, Debug)]
pub struct Answer {
    /// The typed reply.
    pub reply: Reply,
    /// The file's bytes, for [`Reply::Exported`].
    pub bytes: Option<Vec<u8>>,
}

impl From<Reply> for Answer {
    fn from(reply: Reply) -> Self {
        Self { reply, bytes: None }
    }
}

fn exported(bytes: Vec<u8>, mime: &str) -> Answer {
    Answer {
        reply: Reply::Exported { mime: mime.into() },
        bytes: Some(bytes),
    }
}

thread_local! {
    /// The project of the last search or chart that carried one (the worker is one thread).
    static SEARCHED: std::cell::RefCell<Option<framewise_core::Project>> =
        const { std::cell::RefCell::new(None) };
    /// The word index of the kept project (built by its first search) and the last search run
    /// on it with its results (asked again for another order, more lines or other ticks).
    static SEARCH_INDEX: std::cell::RefCell<Option<SearchKept>> =
        const { std::cell::RefCell::new(None) };
    /// The model of code suggestions and the project it was built for (its names are written
    /// into the page's answers, [`Request::SuggestShown`]).
    static SUGGEST: std::cell::RefCell<Option<(framewise_core::Project, Model)>> =
        const { std::cell::RefCell::new(None) };
    /// The last crosstab or co-occurrence table of the kept project, written out, with the
    /// choice it answers: the page asks it again a window at a time as it scrolls, and again on
    /// each visit to the view (issue 10). Forgotten when a project is sent.
    /// The copy of the app's project as stored records and its number ([`Request::Records`]):
    /// each change arrives as the records it rewrites.
    static RECORDS: std::cell::RefCell<Option<(u64, RecordStore)>> =
        const { std::cell::RefCell::new(None) };
    static TABLE: std::cell::RefCell<Option<(framewise_core::crosstab::Choice, framewise_core::crosstab::Shown)>> =
        const { std::cell::RefCell::new(None) };
}

/// What the worker keeps for the searches of the kept project (once one was searched).
#[derive(Default)]
struct SearchKept {
    /// Its word index, built after the answer to its first search ([`after_answer`]).
    index: Option<framewise_core::search::Index>,
    /// The last search and its results (asked again for another order, more lines or other
    /// ticks).
    last: Option<(
        framewise_core::search::Search,
        framewise_core::search::SearchResults,
    )>,
}

/// The results of `search` over the kept `project`: through its word index once built (else
/// reading every text); the same search asked again is answered from the last results.
fn searched(
    project: &framewise_core::Project,
    search: &framewise_core::search::Search,
) -> Result<framewise_core::search::SearchResults, String> {
    SEARCH_INDEX.with(|kept| {
        let mut kept = kept.borrow_mut();
        let kept = kept.get_or_insert_with(SearchKept::default);
        if let Some((last, found)) = &kept.last {
            if last == search {
                return Ok(found.clone());
            }
        }
        let found = match &kept.index {
            Some(index) => framewise_core::search::search_indexed(project, index, search),
            None => framewise_core::search::search(project, search),
        }
        .map_err(|e| e.to_string())?;
        kept.last = Some((search.clone(), found.clone()));
        Ok(found)
    })
}

/// Work done once an answer is posted: the word index of a searched project, so the first
/// search does not wait for it and the next ones use it (the worker is one thread: a request
/// arriving meanwhile waits for the index).
pub fn after_answer() {
    SEARCH_INDEX.with(|kept| {
        let mut kept = kept.borrow_mut();
        let Some(kept) = kept.as_mut().filter(|k| k.index.is_none()) else {
            return;
        };
        SEARCHED.with(|project| {
            if let Some(project) = &*project.borrow() {
                kept.index = Some(framewise_core::search::Index::build(project));
            }
        });
    });
}

/// A reply of the model of code suggestions.
fn suggested(reply: SuggestReply) -> Answer {
    Reply::Suggested(Json::of(&reply)).into()
}

/// Asks the kept model of code suggestions (a [`SuggestAsk`]; an answer teaches it first): the
/// typed reply and the project the model was built for, given to `f`; or [`NO_SUGGEST_MODEL`].
fn ask_model<T>(
    ask: SuggestAsk,
    f: impl FnOnce(SuggestReply, &framewise_core::Project) -> T,
) -> Result<T, String> {
    SUGGEST.with(|kept| {
        let mut kept = kept.borrow_mut();
        let Some((project, model)) = &mut *kept else {
            return Err(NO_SUGGEST_MODEL.to_string());
        };
        let reply = match ask {
            SuggestAsk::More { code, limit } => {
                SuggestReply::Suggestions(model.suggest(code, limit))
            }
            SuggestAsk::Answer {
                code,
                source,
                span,
                accepted,
                limit,
            } => {
                model.answer(code, source, span, accepted)?;
                SuggestReply::Suggestions(model.suggest(code, limit))
            }
            SuggestAsk::Codes {
                source,
                span,
                limit,
            } => SuggestReply::Codes(model.suggest_codes(source, span, limit)?),
        };
        Ok(f(reply, project))
    })
}

/// Handles one request (`bytes`: the file that travelled beside it, empty for the others):
/// the answer, or why not as a sentence for the researcher.
pub fn handle(request: Request, bytes: &[u8], ids: &mut impl IdSource) -> Result<Answer, String> {
    match request {
        Request::Import { file_name } => import_source(&file_name, bytes).map(Answer::from),
        Request::RefiImport { file_name, now } => {
            let read = read_refi_file(&file_name, bytes, ids, now).map_err(|e| e.to_string())?;
            Ok(Reply::RefiImported {
                project: ProjectFile::of(&read.project, now),
                summary: import_summary(&read.project.name, &read.report),
            }
            .into())
        }
        Request::RefiExport {
            project,
            format,
            include_pseudonym_key,
        } => refi_export(&project, format, include_pseudonym_key),
        Request::RefiMergePlan {
            project,
            file_name,
            now,
        } => {
            let current = project.load()?;
            let incoming = read_refi_file(&file_name, bytes, ids, now)
                .map_err(|e| e.to_string())?
                .project;
            let plan = plan_codebook_merge(&current, &incoming, ids, now);
            Ok(Reply::MergePlan {
                shown: merge_preview(&current, &plan),
                staged: ProjectFile::of(&plan.staged(&current), now),
            }
            .into())
        }
        Request::ProjectMergePlan {
            project,
            file_name,
            now,
        } => {
            let current = project.load()?;
            let other = read_other_project(&file_name, bytes, ids, now)?;
            let plan = framewise_core::merge::plan(&current, &other, ids);
            Ok(Reply::ProjectMergePlan {
                shown: framewise_core::merge::preview(&file_name, &plan),
                staged: ProjectFile::of(&plan.staged(&current), now),
                other_name: plan.other_name,
            }
            .into())
        }
        Request::MatrixExport {
            project,
            matrix,
            format,
            with_quotes,
        } => {
            let project = project.load()?;
            let m = project
                .matrix(matrix)
                .ok_or_else(|| "this matrix is not in the project any more".to_string())?;
            Ok(match format {
                MatrixFormat::Xlsx => exported(
                    export_xlsx(&project, m, with_quotes).map_err(|e| e.to_string())?,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                MatrixFormat::Html => exported(
                    export_html(&project, m).into_bytes(),
                    "text/html;charset=utf-8",
                ),
            })
        }
        Request::Report {
            project,
            options,
            format,
        } => report(&project.load()?, &options, format),
        Request::FreshCopy { project } => {
            let project = project.load()?;
            Ok(Reply::Project(ProjectFile::of(&project.with_fresh_ids(ids), 0)).into())
        }
        Request::Demo { now } => {
            Ok(Reply::Project(ProjectFile::of(&demo_project(ids, now), now)).into())
        }
        Request::Seal { passphrase } => {
            crate::seal::seal(bytes, &passphrase).map(|b| exported(b, "application/octet-stream"))
        }
        Request::Unseal { passphrase } => {
            crate::seal::unseal(bytes, &passphrase).map(|b| exported(b, "application/json"))
        }
        // Saved data of an older format version, which the app's main wasm does not upgrade.
        Request::Records(part) => keep_records(part),
        Request::Upgrade { records } => {
            Ok(Reply::Upgraded(records.iter().map(|json| upgrade(json)).collect()).into())
        }
        // The model of code suggestions lives here; the app sends the researcher's answers.
        Request::SuggestModel { project, options } => {
            let project = with_kept(project, |project| Ok(project.clone()))?;
            let mut model = Model::build(&project, &options.get()?);
            SUGGEST.with(|kept| {
                let mut kept = kept.borrow_mut();
                if let Some((old_project, old)) = &*kept {
                    if old_project.id == project.id {
                        model.keep_answers(old);
                    }
                }
                let summary = model.summary();
                *kept = Some((project, model));
                Ok(suggested(SuggestReply::Model(summary)))
            })
        }
        Request::Suggest(ask) => ask_model(ask.get()?, |reply, _| suggested(reply)),
        Request::SuggestShown(ask) => ask_model(ask.get()?, |reply, project| {
            use framewise_core::suggest::shown;
            Reply::SuggestShown(match reply {
                SuggestReply::Suggestions(list) => shown::passages(project, &list),
                SuggestReply::Codes(list) => shown::codes(project, &list),
                SuggestReply::Model(_) => Default::default(),
            })
            .into()
        }),
        // The project sent with a search, chart or agreement is kept for the next ones (sent without it
        // while the app's project has not changed), so they do not carry the text every time.
        // Written out for the page (the app's main wasm decodes strings and places).
        Request::Search {
            project,
            search,
            shown,
        } => with_kept(project, |project| {
            let found = searched(project, &search)?;
            let written = framewise_core::search::shown::written(project, &found, &shown);
            Ok(Reply::Searched(written).into())
        }),
        // The Charts view's controls are written here with the chart (the page sets them as
        // they are); a chart that cannot be drawn still has its controls, to choose another.
        Request::Chart { project, choice } => with_kept(project, |project| {
            let shown = framewise_core::chart::Shown::of(project, &choice);
            Ok(Reply::Chart(Json::of(&shown)).into())
        }),
        Request::Memos {
            project,
            query,
            kind,
        } => with_kept(project, |project| {
            Ok(Reply::Memos(framewise_core::memos::shown(project, &query, &kind)).into())
        }),
        Request::Agreement {
            project,
            comparison,
        } => with_kept(project, |project| {
            Ok(Reply::Agreement(framewise_core::agreement::written(project, &comparison)).into())
        }),
        Request::Crosstab {
            project,
            choice,
            ask,
        } => with_kept(project, |project| crosstab(project, &choice, ask)),
        // Codebook and case table CSVs: parsed and staged here, the preview written out.
        Request::CsvImport {
            project,
            kind,
            file_name,
            text,
            now,
        } => with_kept(project, |project| {
            Ok(kind.read(&file_name, &text, project, ids, now).into())
        }),
        // Codebook and case table CSVs: written and checked for real names here.
        Request::CsvExport { project, kind, key } => with_kept(project, |project| {
            let csv = kind.write(project);
            let found = framewise_core::pseudonym::shown::check(&key, None, csv.as_bytes());
            Ok(if found.count > 0 {
                Reply::Pseudonym(found).into()
            } else {
                exported(csv.into_bytes(), "text/csv;charset=utf-8")
            })
        }),
        // A copy to hand over: made, checked, written and perhaps encrypted here.
        Request::SharedCopy {
            project,
            leave_out,
            key,
            passphrase,
            now,
        } => shared_copy(&project.load()?, leave_out, &key, passphrase, now),
        // Pseudonymisation planned here, the preview written out, the plan as its action.
        Request::Pseudonymise {
            project,
            key,
            sources,
        } => with_kept(project, |project| {
            use framewise_core::pseudonym::{plan, plan_sources, shown::plan_shown};
            let plan = match &sources {
                Some(sources) => plan_sources(project, &key, sources),
                None => plan(project, &key),
            };
            Ok(Reply::Pseudonym(plan_shown(project, &key, &plan)).into())
        }),
        // The check every export runs before it writes.
        Request::CheckNames {
            key,
            project,
            project_written,
        } => {
            let exported = project.as_ref().map(ProjectFile::load).transpose()?;
            let written = match &project {
                Some(file) if project_written => file.0.as_bytes(),
                _ => bytes,
            };
            let found = framewise_core::pseudonym::shown::check(&key, exported.as_ref(), written);
            Ok(Reply::Pseudonym(found).into())
        }
    }
}

/// The answer to a [`Request::SharedCopy`]: what the check found, or the file.
fn shared_copy(
    project: &framewise_core::Project,
    leave_out: framewise_core::share::LeaveOut,
    key: &[framewise_core::Pseudonym],
    passphrase: Option<String>,
    now: framewise_core::Timestamp,
) -> Result<Answer, String> {
    use framewise_core::persist::{to_project_file, ProjectMeta};
    use framewise_core::share::{shared_copy, LeaveOut};
    // What is checked is what is written without the key (the key names real people by
    // design; it is only written when kept).
    let checked = shared_copy(
        project,
        LeaveOut {
            key: true,
            ..leave_out
        },
    );
    let json = to_project_file(&checked, &ProjectMeta::new(now));
    let found = framewise_core::pseudonym::shown::check(key, Some(&checked), json.as_bytes());
    if found.count > 0 {
        return Ok(Reply::Pseudonym(found).into());
    }
    let json = if leave_out.key {
        json
    } else {
        to_project_file(&shared_copy(project, leave_out), &ProjectMeta::new(now))
    };
    match passphrase {
        None => Ok(exported(json.into_bytes(), "application/json")),
        Some(passphrase) => crate::seal::seal(json.as_bytes(), &passphrase)
            .map(|b| exported(b, "application/octet-stream")),
    }
}

/// What `ask` asks of the crosstab or co-occurrence table `choice` describes.
pub fn crosstab(
    project: &framewise_core::Project,
    choice: &framewise_core::crosstab::Choice,
    ask: TableAsk,
) -> Result<Answer, String> {
    use framewise_core::crosstab;
    Ok(match ask {
        TableAsk::Shown { rows, columns } => TABLE.with(|kept| {
            let mut kept = kept.borrow_mut();
            let (choice, shown) = match kept.take() {
                Some((kept_choice, shown)) if kept_choice == *choice => (kept_choice, shown),
                _ => (choice.clone(), crosstab::shown(project, choice)),
            };
            let part = shown.part(rows[0]..rows[1], columns[0]..columns[1]);
            *kept = Some((choice, shown));
            Reply::Crosstab(part).into()
        }),
        TableAsk::Cell(row, column) => crosstab::cell(project, choice, (row, column))
            .map(Reply::CrosstabCell)
            .ok_or("that cell is no longer in the table")?
            .into(),
        TableAsk::Csv => exported(
            format!("\u{feff}{}", crosstab::table(project, choice).to_csv()).into_bytes(),
            "text/csv;charset=utf-8",
        ),
        TableAsk::Xlsx => exported(
            crosstab::table(project, choice)
                .to_xlsx()
                .map_err(|e| e.to_string())?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    })
}

/// Runs `work` on the project sent (kept for the next searches and charts) or, when none was
/// sent, the one kept; [`NO_PROJECT_TO_SEARCH`] when there is none (the worker restarted).
fn with_kept<T>(
    project: Option<ProjectFile>,
    work: impl FnOnce(&framewise_core::Project) -> Result<T, String>,
) -> Result<T, String> {
    if let Some(file) = project {
        keep(file.load()?);
        // The copy kept as records is no longer the project kept: the next part must start anew.
        RECORDS.with(|kept| *kept.borrow_mut() = None);
    }
    SEARCHED.with(|kept| match &*kept.borrow() {
        Some(project) => work(project),
        None => Err(NO_PROJECT_TO_SEARCH.to_string()),
    })
}

/// Keeps `project` for the requests sent without one.
fn keep(project: framewise_core::Project) {
    // The last results were of the project replaced; its index serves the new one while the
    // texts are the same (a change of codings sends the project again).
    SEARCH_INDEX.with(|kept| {
        let mut kept = kept.borrow_mut();
        let mut index = kept.take().and_then(|k| k.index);
        if index.as_mut().is_some_and(|i| !i.refit(&project)) {
            index = None;
        }
        *kept = index.map(|index| SearchKept {
            index: Some(index),
            last: None,
        });
    });
    SEARCHED.with(|kept| *kept.borrow_mut() = Some(project));
    TABLE.with(|kept| *kept.borrow_mut() = None);
}

/// Takes a part of the copy of the app's project ([`Request::Records`]); its last part makes
/// the project kept, read from the records as a reload reads them.
fn keep_records(part: RecordsPart) -> Result<Answer, String> {
    RECORDS.with(|kept| {
        let mut kept = kept.borrow_mut();
        let mut store = match kept.take() {
            // A new copy: the old records go first (the worker's memory).
            _ if part.base == 0 => RecordStore::default(),
            Some((copy, store)) if copy == part.base => store,
            _ => return Err(NO_PROJECT_TO_SEARCH.to_string()),
        };
        let (copy, done) = (part.copy, part.done);
        part.apply_to(&mut store)?;
        if done {
            keep(store.assemble().map_err(|e| e.to_string())?.project);
        }
        *kept = Some((copy, store));
        Ok(Reply::Kept.into())
    })
}

/// A report built and written in `format` (the app sends what its export check let through).
pub fn report(
    project: &framewise_core::Project,
    options: &ReportOptions,
    format: ReportFormat,
) -> Result<Answer, String> {
    let built = framewise_core::report::build(project, options);
    let bytes = match format {
        ReportFormat::Html => framewise_core::report::to_html(&built).into_bytes(),
        ReportFormat::Markdown => framewise_core::report::to_markdown(&built).into_bytes(),
        ReportFormat::Csv => framewise_core::report::to_csv(&built).into_bytes(),
        ReportFormat::Docx => framewise_core::report::to_docx(&built)?,
        ReportFormat::Xlsx => framewise_core::report::to_xlsx(&built).map_err(|e| e.to_string())?,
    };
    Ok(exported(bytes, format.mime()))
}

/// The project to merge in, from a Framewise project file (`.json`) or a REFI-QDA project
/// (`.qdpx`); every problem is a sentence that names the file.
pub fn read_other_project(
    file_name: &str,
    bytes: &[u8],
    ids: &mut impl IdSource,
    now: framewise_core::Timestamp,
) -> Result<framewise_core::Project, String> {
    let fail = |why: &str| format!("“{file_name}” could not be merged. {why}");
    let lower = file_name.to_lowercase();
    if lower.ends_with(".qdpx") {
        return read_refi_file(file_name, bytes, ids, now)
            .map(|read| read.project)
            .map_err(|e| fail(&e.to_string()));
    }
    if lower.ends_with(".json") {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| fail("It is not a Framewise project file: it is not text."))?;
        return from_project_file(text)
            .map(|loaded| loaded.project)
            .map_err(|e| fail(&e.to_string()));
    }
    Err(fail(
        "Only a Framewise project file (.json) or a REFI-QDA project (.qdpx) can be merged into a project.",
    ))
}

/// A source file through core's readers; plain text (and any format without turns of its own)
/// gets its speaker turns detected.
pub fn import_source(file_name: &str, bytes: &[u8]) -> Result<Reply, String> {
    let mut imported = import_file(file_name, bytes).map_err(|e| e.to_string())?;
    if imported.turns.is_empty() {
        imported.turns = detect_turns(&imported.text);
    }
    Ok(Reply::Imported(ImportedSource::from(imported)))
}

fn refi_export(
    project: &ProjectFile,
    format: RefiFormat,
    include_pseudonym_key: bool,
) -> Result<Answer, String> {
    let project = project.load()?;
    Ok(match format {
        RefiFormat::Qdpx => exported(
            export_qdpx_with(
                &project,
                ExportOptions {
                    include_pseudonym_key,
                    ..ExportOptions::default()
                },
            )
            .map_err(|e| e.to_string())?,
            "application/zip",
        ),
        RefiFormat::Qdc => exported(export_qdc(&project).into_bytes(), "application/xml"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use framewise_core::refi::CodebookMerge;
    use framewise_core::SeqIds;
    use std::path::PathBuf;

    fn corpus(parts: &[&str]) -> Option<Vec<u8>> {
        let mut path = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        path.extend(["..", "..", "shared", "corpus"]);
        path.extend(parts);
        std::fs::read(path).ok()
    }

    fn imported(reply: Reply) -> ImportedSource {
        match reply {
            Reply::Imported(t) => t,
            other => panic!("expected an imported text, got {other:?}"),
        }
    }

    /// The app's file picker (`EXTENSIONS` in src/components/import.rs) offers exactly what the
    /// worker's readers accept.
    #[test]
    fn the_apps_picker_lists_every_format_of_the_worker() {
        let source = include_str!("../../src/components/import.rs");
        let start = source
            .find("pub const EXTENSIONS: &[&str] = &[")
            .expect("EXTENSIONS in src/components/import.rs");
        let list = &source[start..];
        let list = &list[..list.find("];").unwrap()];
        let mut app: Vec<&str> = list
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|e| e.starts_with('.'))
            .collect();
        let mut worker = framewise_core::import::supported_extensions().to_vec();
        app.sort_unstable();
        worker.sort_unstable();
        assert_eq!(app, worker);
    }

    #[test]
    fn plain_text_gets_speaker_turns() {
        let text = "Interviewer: How did it start?\nP03: With a letter.\nInterviewer: And then?\n";
        let t = imported(import_source("session.txt", text.as_bytes()).unwrap());
        let speakers: Vec<_> = t.turns.iter().map(|t| t.speaker.as_deref()).collect();
        assert_eq!(
            speakers,
            [Some("Interviewer"), Some("P03"), Some("Interviewer")]
        );
        let first = t.turns.first().unwrap().span;
        assert_eq!(&t.text[first.start..first.end], "How did it start?");
    }

    #[test]
    fn errors_are_core_sentences() {
        let err = import_source("scan.pages", b"x").unwrap_err();
        assert!(err.contains("cannot import .pages files"), "{err}");
        assert!(
            err.contains(".docx"),
            "the worker lists every format: {err}"
        );
        let err = import_source("broken.docx", b"PK\x03\x04 not really").unwrap_err();
        assert!(err.contains("damaged or not a Word"), "{err}");
    }

    #[test]
    fn real_documents_and_subtitles() {
        let (Some(docx), Some(odt), Some(vtt)) = (
            corpus(&["word", "test_file.docx"]),
            corpus(&["word", "ID2.odt"]),
            corpus(&["formats", "teams_timeframe.vtt"]),
        ) else {
            eprintln!("../shared/corpus not found: skipped");
            return;
        };
        let t = imported(import_source("test_file.docx", &docx).unwrap());
        assert!(t.text.contains("Αυτή είναι μια δοκιμή."), "{}", t.text);
        let t = imported(import_source("ID2.odt", &odt).unwrap());
        assert!(t.text.contains("The course cost €200.00"), "{}", t.text);
        let t = imported(import_source("teams_timeframe.vtt", &vtt).unwrap());
        assert!(!t.turns.is_empty());
        assert!(t.turns.iter().any(|t| t.start_ms.is_some()));
    }

    fn project_file(project: &framewise_core::Project) -> ProjectFile {
        ProjectFile::of(project, 1_700_000_000_000)
    }

    /// An exported file's bytes and media type.
    fn file(answer: Result<Answer, String>) -> (Vec<u8>, String) {
        match answer.unwrap() {
            Answer {
                reply: Reply::Exported { mime },
                bytes: Some(bytes),
            } => (bytes, mime),
            other => panic!("expected a file, got {other:?}"),
        }
    }

    #[test]
    fn refi_round_trip_through_the_project_file() {
        let project = framewise_core::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000);
        let request = |format| Request::RefiExport {
            project: project_file(&project),
            format,
            include_pseudonym_key: false,
        };
        let (bytes, mime) = file(handle(request(RefiFormat::Qdpx), &[], &mut SeqIds::new(9)));
        assert_eq!(mime, "application/zip");
        assert!(bytes.starts_with(b"PK"));
        let back = handle(
            Request::RefiImport {
                file_name: "demo.qdpx".into(),
                now: 1_800_000_000_000,
            },
            &bytes,
            &mut SeqIds::new(100),
        )
        .unwrap();
        let Reply::RefiImported {
            project: file_back,
            summary,
        } = back.reply
        else {
            panic!("expected a project");
        };
        let row = |label: &str, n: usize| format!("<th scope=\"row\">{label}</th><td>{n}</td>");
        assert!(
            summary.contains(&row("Sources", project.sources.len())),
            "{summary}"
        );
        assert!(
            summary.contains(&row("Codes", project.codes.len())),
            "{summary}"
        );
        assert!(
            summary.contains("Framewise&apos;s own details were found"),
            "{summary}"
        );
        let loaded = file_back.load().unwrap();
        assert_eq!(loaded.sources.len(), project.sources.len());
        assert_eq!(loaded.all_codings().count(), project.all_codings().count());

        let (bytes, _) = file(handle(request(RefiFormat::Qdc), &[], &mut SeqIds::new(9)));
        let codebook = handle(
            Request::RefiImport {
                file_name: "Demo codebook.QDC".into(),
                now: 1_800_000_000_000,
            },
            &bytes,
            &mut SeqIds::new(500),
        )
        .unwrap();
        let Reply::RefiImported { summary, .. } = codebook.reply else {
            panic!("expected a project");
        };
        assert!(
            summary.contains(&row("Codes", project.codes.len())),
            "{summary}"
        );
        assert!(summary.contains(&row("Sources", 0)), "{summary}");
    }

    #[test]
    fn refi_merge_plan_for_a_codebook() {
        let now = 1_700_000_000_000;
        let demo = framewise_core::demo::demo_project(&mut SeqIds::new(1), now);
        let codebook = export_qdc(&demo).into_bytes();
        let plan = |project: ProjectFile| {
            let answer = handle(
                Request::RefiMergePlan {
                    project,
                    file_name: "codebook.qdc".into(),
                    now,
                },
                &codebook,
                &mut SeqIds::new(77),
            )
            .unwrap();
            let Reply::MergePlan { shown, staged } = answer.reply else {
                panic!("expected a plan");
            };
            (shown, staged.load().unwrap())
        };
        // Into the project it came from: every code matches, nothing to add.
        let (shown, staged) = plan(project_file(&demo));
        let same = CodebookMerge::from_staged(&demo, &staged);
        assert!(same.is_empty(), "{same:?}");
        assert!(
            shown.starts_with(&format!(
                "<div class=\"refi-merge\"><p>{} incoming codes match codes here ({} by id, 0 by name).</p>",
                demo.codes.len(),
                demo.codes.len()
            )),
            "{shown}"
        );
        assert!(shown.contains("Nothing to change"), "{shown}");
        // Into an empty project: every code is new, and the plan applies.
        let empty = framewise_core::Project::new(
            framewise_core::ProjectId::from_random_bytes([7; 16]),
            "Empty",
            now,
        );
        let (shown, staged) = plan(project_file(&empty));
        let fresh = CodebookMerge::from_staged(&empty, &staged);
        assert_eq!(fresh.new_codes.len(), demo.codes.len());
        assert!(
            shown.contains(&format!("<h3>New codes ({})</h3>", demo.codes.len())),
            "{shown}"
        );
        let merged = framewise_core::apply(&empty, fresh.action()).unwrap();
        assert_eq!(merged.codes.len(), demo.codes.len());
    }

    /// Two diverging copies of the demo: a participant's project file and the same as `.qdpx`
    /// are planned against the lead's project; bad files are sentences naming them.
    #[test]
    fn a_project_merge_plan_from_a_project_file_or_a_qdpx() {
        use framewise_core::{apply, Action};
        let now = 1_700_000_000_000;
        let demo = framewise_core::demo::demo_project(&mut SeqIds::new(1), now);
        let mut ids = SeqIds::new(2);
        let code = framewise_core::Code::inductive(&demo, ids.code_id(), "Bea's idea", None, now);
        let source = demo.sources[0].id;
        let theirs = apply(&demo, Action::CreateCode { code: code.clone() }).unwrap();
        let theirs = apply(
            &theirs,
            Action::AddCodings {
                codings: vec![framewise_core::Coding {
                    id: ids.coding_id(),
                    source,
                    span: framewise_core::Span::new(0, 12),
                    code: code.id,
                    coder: "Bea".into(),
                    created: now,
                }],
            },
        )
        .unwrap();
        let theirs = apply(
            &theirs,
            Action::RenameCode {
                id: demo.codes[1].id,
                name: "Renamed there".into(),
            },
        )
        .unwrap();
        let plan_of = |file_name: &str, bytes: &[u8]| {
            let request = Request::ProjectMergePlan {
                project: project_file(&demo),
                file_name: file_name.into(),
                now,
            };
            assert!(request.carries_bytes());
            match handle(request, bytes, &mut SeqIds::new(3)) {
                Ok(Answer {
                    reply:
                        Reply::ProjectMergePlan {
                            other_name,
                            shown,
                            staged,
                        },
                    bytes: None,
                }) => {
                    let summary = framewise_core::merge::MergeSummary {
                        other_name,
                        ..Default::default()
                    };
                    let plan = framewise_core::merge::MergePlan::from_staged(
                        &demo,
                        &staged.load().unwrap(),
                        summary,
                    );
                    Ok((plan, shown))
                }
                Ok(other) => panic!("expected a merge plan, got {other:?}"),
                Err(e) => Err(e),
            }
        };
        let json = project_file(&theirs).0;
        let qdpx = export_qdpx_with(&theirs, ExportOptions::default()).unwrap();
        for (name, bytes) in [("Bea.framewise.json", json.as_bytes()), ("Bea.qdpx", &qdpx)] {
            let (plan, shown) = plan_of(name, bytes).unwrap();
            assert_eq!(plan.other_name, theirs.name, "{name}");
            assert_eq!((plan.codes.len(), plan.codings.len()), (1, 1), "{name}");
            assert!(plan.sources.is_empty(), "{name}");
            assert!(
                shown.starts_with(&format!(
                    "<div class=\"refi-merge project-merge\"><p>From {name} (project “{}”). New \
                     codings by Bea. Nothing changes until you choose Merge.</p>",
                    theirs.name
                )),
                "{shown}"
            );
            assert!(shown.contains("<h3>New: 1 code, 1 coding</h3>"), "{shown}");
            assert!(
                shown.contains(&format!(
                    "<h3>Already here: {} sources, ",
                    demo.sources.len()
                )),
                "{shown}"
            );
            assert!(
                shown.contains("<h3>Conflicts (1): this project&apos;s version is kept</h3>"),
                "{shown}"
            );
            assert!(shown.contains("Renamed there"), "{shown}");
            let merged = apply(&demo, plan.action()).unwrap();
            assert_eq!(merged.coding_count(), demo.coding_count() + 1, "{name}");
        }
        for (name, bytes, says) in [
            ("notes.txt", &b"hello"[..], "Only a Framewise project file"),
            ("broken.json", &b"{ not json"[..], "could not be read"),
            ("binary.json", &[0xff, 0xfe, 0x00][..], "not text"),
            ("broken.qdpx", &b"PK\x03\x04 no"[..], ""),
        ] {
            let err = plan_of(name, bytes).unwrap_err();
            assert!(
                err.starts_with(&format!("“{name}” could not be merged. ")),
                "{err}"
            );
            assert!(err.contains(says), "{err}");
        }
    }

    #[test]
    fn refi_refusals_are_sentences() {
        let ids = &mut SeqIds::new(1);
        let import = |name: &str, bytes: &[u8], ids: &mut SeqIds| {
            handle(
                Request::RefiImport {
                    file_name: name.into(),
                    now: 0,
                },
                bytes,
                ids,
            )
            .unwrap_err()
        };
        let err = import("x.qdpx", b"not a zip", ids);
        assert!(err.contains("not a readable .qdpx"), "{err}");
        let err = import("x.txt", b"hello", ids);
        assert!(err.contains("REFI-QDA"), "{err}");
        let err = import("x.qdpx", b"", ids);
        assert!(err.contains("empty"), "{err}");
        let err = handle(
            Request::RefiExport {
                project: ProjectFile("{}".into()),
                format: RefiFormat::Qdc,
                include_pseudonym_key: false,
            },
            &[],
            ids,
        )
        .unwrap_err();
        assert!(!err.is_empty());
    }

    /// The worker and the CLI read REFI files by the same path: a non-UTF-8 codebook that
    /// declares its encoding reads the same here as in core.
    #[test]
    fn a_latin1_codebook_reads_as_declared() {
        let mut xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\
            <CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>\
            <Code guid=\"6a1b2c3d-0000-4000-8000-000000000001\" name=\"Caf"
            .to_vec();
        xml.push(0xe9);
        xml.extend_from_slice(b"\" isCodable=\"true\"/></Codes></CodeBook>");
        let answer = handle(
            Request::RefiImport {
                file_name: "latin.qdc".into(),
                now: 0,
            },
            &xml,
            &mut SeqIds::new(1),
        )
        .unwrap();
        let Reply::RefiImported { project, .. } = answer.reply else {
            panic!("expected a project");
        };
        assert_eq!(project.load().unwrap().codes[0].name, "Café");
    }

    #[test]
    fn the_demo_is_built_here_and_reads_back_whole() {
        let answer = handle(
            Request::Demo {
                now: 1_700_000_000_000,
            },
            &[],
            &mut SeqIds::new(3),
        )
        .unwrap();
        let Reply::Project(file) = answer.reply else {
            panic!("expected a project, got {answer:?}");
        };
        let loaded = from_project_file(&file.0).unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let direct = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        assert_eq!(loaded.project, direct);
        assert_eq!(loaded.project.sources.len(), 8);
        assert!(loaded.project.coding_count() > 100);
    }

    /// Older saved data comes back at the current version and reads as the same project; the
    /// rest comes back as it was sent.
    #[test]
    fn older_records_and_files_are_upgraded_here() {
        use framewise_core::persist::{assemble, StoreName, StoredRecords, CURRENT_VERSION};
        let upgraded = |records: Vec<String>| {
            let n = records.len();
            match handle(Request::Upgrade { records }, &[], &mut SeqIds::new(1))
                .unwrap()
                .reply
            {
                Reply::Upgraded(out) if out.len() == n => out,
                other => panic!("expected {n} upgraded records, got {other:?}"),
            }
        };
        let version = |json: &str| {
            serde_json::from_str::<serde_json::Value>(json).unwrap()["version"]
                .as_u64()
                .unwrap()
        };
        for v in 1..CURRENT_VERSION {
            let dir = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../core/tests/fixtures/persist"
            );
            let read = |what: &str| std::fs::read_to_string(format!("{dir}/v{v}-{what}")).unwrap();
            let file = read("project.framewise.json");
            let [new_file] = upgraded(vec![file.clone()]).try_into().unwrap();
            assert_eq!(version(&new_file), u64::from(CURRENT_VERSION));
            assert_eq!(
                from_project_file(&new_file).unwrap(),
                from_project_file(&file).unwrap()
            );
            let stores: std::collections::BTreeMap<String, Vec<String>> =
                serde_json::from_str(&read("records.json")).unwrap();
            let (mut old, mut new) = (StoredRecords::default(), StoredRecords::default());
            for (store, jsons) in stores {
                let store = StoreName::from_name(&store).unwrap();
                for (json, up) in jsons.iter().zip(upgraded(jsons.clone())) {
                    assert_eq!(version(&up), u64::from(CURRENT_VERSION), "{json}");
                    old.push(store, json.clone());
                    new.push(store, up);
                }
            }
            let loaded = assemble(&new).unwrap();
            assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
            assert_eq!(loaded, assemble(&old).unwrap());
            if v < 3 {
                assert!(loaded.project.sources.iter().any(|s| !s.turns.is_empty()));
            }
        }
        let kept = vec![
            "not json".to_string(),
            r#"{"format":"framewise-code","version":99,"id":"x"}"#.into(),
            r#"{"format":"framewise-code","version":4,"id":"x"}"#.into(),
        ];
        assert_eq!(upgraded(kept.clone()), kept);
    }

    /// The model of code suggestions is built here, kept between requests, learns from answers
    /// (a rejected passage never comes back, even after the model is built again for the same
    /// project), and asks for itself when it is missing.
    #[test]
    fn suggestions_are_computed_here_from_a_kept_model() {
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let ids = &mut SeqIds::new(1);
        let ask = |ask: SuggestAsk, ids: &mut SeqIds| {
            handle(Request::Suggest(Json::of(&ask)), &[], ids).map(|answer| {
                let Reply::Suggested(reply) = answer.reply else {
                    panic!("expected a suggestion reply, got {answer:?}");
                };
                reply.get().unwrap()
            })
        };
        let code = demo
            .codes
            .iter()
            .find(|c| {
                demo.code_counts()
                    .get(&c.id)
                    .is_some_and(|n| n.codings >= 5)
            })
            .map(|c| c.id)
            .unwrap();
        let more = SuggestAsk::More { code, limit: 20 };
        assert_eq!(ask(more.clone(), ids).unwrap_err(), NO_SUGGEST_MODEL);
        let build = |ids: &mut SeqIds| {
            let answer = handle(
                Request::SuggestModel {
                    project: Some(project_file(&demo)),
                    options: Json::of(&framewise_core::suggest::SuggestOptions::default()),
                },
                &[],
                ids,
            )
            .unwrap();
            let Reply::Suggested(reply) = answer.reply else {
                panic!("expected a model summary, got {answer:?}");
            };
            let Ok(SuggestReply::Model(summary)) = reply.get() else {
                panic!("expected a model summary");
            };
            summary
        };
        let summary = build(ids);
        assert!(summary.units > 100 && summary.codes > 10, "{summary:?}");
        let list = |reply: Result<SuggestReply, String>| match reply {
            Ok(SuggestReply::Suggestions(found)) => found,
            other => panic!("expected suggestions, got {other:?}"),
        };
        let first = list(ask(more.clone(), ids));
        assert!(!first.is_empty());
        let top = first[0].clone();
        let after = list(ask(
            SuggestAsk::Answer {
                code,
                source: top.source,
                span: top.span,
                accepted: false,
                limit: 20,
            },
            ids,
        ));
        assert!(after
            .iter()
            .all(|s| s.span != top.span || s.source != top.source));
        build(ids);
        let again = list(ask(more, ids));
        assert!(again
            .iter()
            .all(|s| s.span != top.span || s.source != top.source));
        let Ok(SuggestReply::Codes(codes)) = ask(
            SuggestAsk::Codes {
                source: top.source,
                span: top.span,
                limit: 3,
            },
            ids,
        ) else {
            panic!("expected code suggestions");
        };
        assert!(!codes.is_empty() && codes.len() <= 3);
        let err = ask(
            SuggestAsk::Codes {
                source: top.source,
                span: framewise_core::Span::new(0, usize::MAX),
                limit: 3,
            },
            ids,
        )
        .unwrap_err();
        assert!(err.contains("not in its source"), "{err}");
    }

    /// The page's requests are answered written out (a sentence and markup), from the same kept
    /// model: a rejected passage leaves the list.
    #[test]
    fn the_page_gets_suggestions_written_out() {
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let ids = &mut SeqIds::new(1);
        let code = demo.codes.iter().find(|c| c.name == "Burnout").unwrap().id;
        let shown = |ask: SuggestAsk, ids: &mut SeqIds| match handle(
            Request::SuggestShown(Json::of(&ask)),
            &[],
            ids,
        )
        .map(|a| a.reply)
        {
            Ok(Reply::SuggestShown(shown)) => Ok(shown),
            Ok(other) => panic!("expected suggestions written out, got {other:?}"),
            Err(e) => Err(e),
        };
        handle(
            Request::SuggestModel {
                project: Some(project_file(&demo)),
                options: Json::of(&framewise_core::suggest::SuggestOptions::default()),
            },
            &[],
            ids,
        )
        .unwrap();
        let more = SuggestAsk::More { code, limit: 20 };
        let first = shown(more.clone(), ids).unwrap();
        assert!(
            first
                .status
                .ends_with("like the coded ones, most alike first."),
            "{first:?}"
        );
        assert!(first.markup.contains("<mark>"), "{}", first.markup);
        // The first item's passage, as its Reject button names it.
        let data = first.markup.split("data-s=\"").nth(1).unwrap();
        let attr = |name: &str| {
            let at = data.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            data[at..].split('"').next().unwrap().to_string()
        };
        let source = demo
            .sources
            .iter()
            .find(|s| data.starts_with(&s.id.to_string()))
            .unwrap()
            .id;
        let span = framewise_core::Span::new(
            attr("data-a").parse().unwrap(),
            attr("data-b").parse().unwrap(),
        );
        let needle = format!(
            "data-s=\"{source}\" data-a=\"{}\" data-b=\"{}\"",
            span.start, span.end
        );
        assert!(first.markup.contains(&needle));
        let after = shown(
            SuggestAsk::Answer {
                code,
                source,
                span,
                accepted: false,
                limit: 20,
            },
            ids,
        )
        .unwrap();
        assert!(
            !after.markup.contains(&needle),
            "the rejected passage is gone"
        );
        let codes = shown(
            SuggestAsk::Codes {
                source,
                span,
                limit: 3,
            },
            ids,
        )
        .unwrap();
        assert!(
            codes.markup.contains("aria-keyshortcuts=\"1\""),
            "{codes:?}"
        );
    }

    #[test]
    fn a_search_runs_here_and_its_problems_are_sentences() {
        use framewise_core::search::{Order, Search, Shown};
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let ask = |project: Option<ProjectFile>, query: &str, limit, shown: Shown| {
            let mut search = Search::new(query);
            search.limit = limit;
            handle(
                Request::Search {
                    project,
                    search,
                    shown,
                },
                &[],
                &mut SeqIds::new(1),
            )
        };
        let lines = |order, lines, ticked: Vec<usize>| Shown::Lines {
            order,
            lines,
            ticked,
        };
        let Reply::Searched(found) = ask(
            Some(project_file(&demo)),
            "fund*",
            Some(3),
            lines(Order::Document, 2, vec![1]),
        )
        .unwrap()
        .reply
        else {
            panic!("expected search results");
        };
        assert_eq!(found.returned(), 3);
        assert!(found.total > 3, "{}", found.total);
        assert!(found.status.ends_with(" sources") || found.status.ends_with(" source"));
        // Two lines drawn of the three held, the second ticked, and "Show more".
        assert_eq!(
            found.markup.matches("<li class=\"search-line\">").count(),
            2
        );
        assert_eq!(found.markup.matches(" checked>").count(), 1);
        assert!(found.markup.contains("data-i=\"1\""), "{}", found.markup);
        assert!(found.markup.contains("Show more (2 of 3 shown)"));
        let err = ask(None, "\"fund", None, Shown::Places).unwrap_err();
        assert!(err.contains("quotation mark"), "{err}");

        // The word index is built once the answer is posted; the next searches use it.
        after_answer();
        // The project is kept: a search without it searches the same project, every hit when
        // there is no limit; only the places when asked.
        let Reply::Searched(every) = ask(None, "fund*", None, Shown::Places).unwrap().reply else {
            panic!("expected search results");
        };
        assert_eq!(every.returned(), found.total);
        assert!(every.markup.is_empty());
        let direct = framewise_core::search::search(&demo, &Search::new("fund*")).unwrap();
        assert_eq!(every.places, framewise_core::search::shown::places(&direct));

        // Sorted by the matched words: the marks in order.
        let Reply::Searched(sorted) = ask(None, "fund*", None, lines(Order::Hit, 500, vec![]))
            .unwrap()
            .reply
        else {
            panic!("expected search results");
        };
        let marks: Vec<String> = sorted
            .markup
            .split("<mark class=\"search-match\">")
            .skip(1)
            .filter_map(|m| m.split('<').next())
            .map(str::to_lowercase)
            .collect();
        assert_eq!(marks.len(), found.total);
        let mut alphabetical = marks.clone();
        alphabetical.sort();
        assert_eq!(marks, alphabetical);

        // A project sent again replaces the kept one and its index: a word only it has is found.
        let mut changed = demo.clone();
        let mut source = (*changed.sources[0]).clone();
        source.text = format!("{} zyxwordy", source.text).into();
        changed.sources[0] = std::sync::Arc::new(source);
        let Reply::Searched(new) = ask(
            Some(project_file(&changed)),
            "zyxwordy",
            None,
            Shown::Places,
        )
        .unwrap()
        .reply
        else {
            panic!("expected search results");
        };
        assert_eq!(new.total, 1);
        after_answer();
        let Reply::Searched(again) = ask(None, "zyxwordy", Some(5), Shown::Places).unwrap().reply
        else {
            panic!("expected search results");
        };
        assert_eq!(again.places, new.places);
        let Reply::Searched(none) = ask(Some(project_file(&demo)), "zyxwordy", None, Shown::Places)
            .unwrap()
            .reply
        else {
            panic!("expected search results");
        };
        assert_eq!(none.total, 0);
    }

    /// A case table CSV is read here against the kept project; the page gets the preview
    /// written out and an action with the import's effect; a file that is not such a CSV is a
    /// sentence naming it.
    #[test]
    fn a_csv_is_read_here_against_the_kept_project() {
        use framewise_core::protocol::CsvKind;
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let run = |project: Option<ProjectFile>, kind: CsvKind, text: &str| {
            let request = Request::CsvImport {
                project,
                kind,
                file_name: "sites.csv".into(),
                text: text.into(),
                now: 5,
            };
            handle(request, &[], &mut SeqIds::new(900)).map(|a| a.reply)
        };
        let text = "case,parent,Site type\nNew site,,Rural\nOther site,New site,Urban\n";
        let Ok(Reply::CsvImported { staged, shown }) =
            run(Some(project_file(&demo)), CsvKind::CaseTable, text)
        else {
            panic!("expected a staged import");
        };
        assert_eq!((shown.rows, shown.changes), (2, true));
        for said in [
            "<p>sites.csv: 2 rows read.</p><h3>New cases (2)</h3>",
            "<li><span class='import-path'>New site</span></li>",
            "<span class='import-path'>Other site</span><span class='muted'> (sub-case of New site)</span>",
            "<h3>New attributes (1)</h3>",
            "<p class='import-values'>2 values to set.</p>",
        ] {
            assert!(shown.markup.contains(said), "{said} in {}", shown.markup);
        }
        let action = CsvKind::CaseTable.action(&demo, &staged.load().unwrap(), shown.rows);
        let after = framewise_core::apply(&demo, action).unwrap();
        assert_eq!(after.cases.len(), demo.cases.len() + 2);
        let site_type = after.attributes.last().unwrap();
        assert_eq!(site_type.name, "Site type");
        let other = after.cases.iter().find(|c| c.name == "Other site").unwrap();
        assert_eq!(
            other.values.get(&site_type.id).unwrap().to_string(),
            "Urban"
        );
        // Without the project: the kept one; a refusal names the file.
        let Ok(Reply::CsvRefused(why)) = run(None, CsvKind::Codebook, "") else {
            panic!("expected a refusal");
        };
        assert!(
            why.starts_with("sites.csv is not a codebook CSV: line 1: "),
            "{why}"
        );
    }

    #[test]
    fn a_search_without_a_project_asks_for_it() {
        // A fresh thread: this worker was never sent a project.
        let err = std::thread::spawn(|| {
            handle(
                Request::Search {
                    project: None,
                    search: framewise_core::search::Search::new("care"),
                    shown: Default::default(),
                },
                &[],
                &mut SeqIds::new(1),
            )
            .err()
        })
        .join()
        .unwrap();
        assert_eq!(err.as_deref(), Some(NO_PROJECT_TO_SEARCH));
    }

    /// The app sends its project a source at a time and then each change as the records it
    /// rewrites; a part that does not follow the copy held (a restarted worker) asks for the
    /// whole project again.
    #[test]
    fn the_project_arrives_in_parts_and_changes_as_records() {
        use framewise_core::persist::{diff, writes_by_source, ProjectMeta};
        use framewise_core::search::Search;
        std::thread::spawn(|| {
            let mut ids = SeqIds::new(3);
            let demo = demo_project(&mut ids, 1_700_000_000_000);
            let meta = ProjectMeta::default();
            let send = |part: RecordsPart| handle(Request::Records(part), &[], &mut SeqIds::new(1));
            let count = |query: &str| match handle(
                Request::Search {
                    project: None,
                    search: Search::new(query),
                    shown: Default::default(),
                },
                &[],
                &mut SeqIds::new(1),
            ) {
                Ok(Answer {
                    reply: Reply::Searched(found),
                    ..
                }) => Ok(found.total),
                Ok(_) => panic!("expected search results"),
                Err(e) => Err(e),
            };
            let parts: Vec<_> = writes_by_source(&demo, &meta).collect();
            let last = parts.len() as u64;
            for (n, writes) in parts.into_iter().enumerate() {
                let mut part = RecordsPart {
                    base: n as u64,
                    copy: n as u64 + 1,
                    done: n as u64 + 1 == last,
                    ..RecordsPart::default()
                };
                for write in writes {
                    part.push(write);
                }
                // Nothing is searchable until the last part.
                assert_eq!(count("care").err().as_deref(), Some(NO_PROJECT_TO_SEARCH));
                assert_eq!(send(part).unwrap().reply, Reply::Kept);
            }
            let whole = framewise_core::search::search(&demo, &Search::new("care"))
                .unwrap()
                .total;
            assert!(whole > 0);
            assert_eq!(count("care"), Ok(whole));
            assert_eq!(count("zebrafish"), Ok(0));
            // The model of code suggestions is built from the kept copy too.
            let built = handle(
                Request::SuggestModel {
                    project: None,
                    options: Json::of(&framewise_core::suggest::SuggestOptions::default()),
                },
                &[],
                &mut SeqIds::new(1),
            );
            assert!(matches!(built.unwrap().reply, Reply::Suggested(_)));

            // A change: a source whose text says "zebrafish" is added.
            let mut source = (*demo.sources[0]).clone();
            source.id = ids.source_id();
            source.text = "A zebrafish in the waiting room.".into();
            source.turns = Vec::new();
            let changed = framewise_core::apply(
                &demo,
                framewise_core::Action::AddSources {
                    sources: vec![source],
                },
            )
            .unwrap();
            let mut part = RecordsPart {
                base: last,
                copy: last + 1,
                done: true,
                ..RecordsPart::default()
            };
            for write in diff(Some(&demo), &changed, &meta) {
                part.push(write);
            }
            let mut stale = part.clone();
            assert_eq!(send(part).unwrap().reply, Reply::Kept);
            assert_eq!(count("zebrafish"), Ok(1));

            // A part for a copy this worker does not hold: the whole project is asked for.
            stale.base = 99;
            assert_eq!(send(stale).err().as_deref(), Some(NO_PROJECT_TO_SEARCH));
            // A store of another build is named, not guessed at.
            let odd = RecordsPart {
                writes: vec![("pictures".into(), "p1".into(), None)],
                ..RecordsPart::default()
            };
            let err = send(odd).unwrap_err();
            assert!(err.contains("“pictures”"), "{err}");
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_chart_and_its_controls_are_drawn_here_from_the_kept_project() {
        use framewise_core::chart::Choice;
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let run = |project: Option<ProjectFile>, choice: Choice| match handle(
            Request::Chart { project, choice },
            &[],
            &mut SeqIds::new(1),
        )
        .unwrap()
        .reply
        {
            Reply::Chart(shown) => {
                let s = shown.get().unwrap();
                let controls = s.controls.clone();
                (
                    controls,
                    if s.problem.is_empty() {
                        Ok(s)
                    } else {
                        Err(s.problem)
                    },
                )
            }
            other => panic!("expected a chart, got {other:?}"),
        };
        let (controls, drawn) = run(Some(project_file(&demo)), Choice::default());
        let drawn = drawn.unwrap();
        assert!(drawn.svg.starts_with("<svg"), "{}", drawn.svg);
        assert_eq!(drawn.csv.lines().count(), demo.codes.len() + 1);
        assert!(
            controls.contains("<select id='chart-kind' name='kind'>"),
            "{controls}"
        );
        assert!(controls.contains("<option value='all' selected>Every code</option>"));
        assert!(
            !controls.contains("name='source'"),
            "no source for frequencies"
        );
        // Without the project: the kept one.
        let (again, redrawn) = run(None, Choice::default());
        assert_eq!((again, redrawn.unwrap()), (controls, drawn));
        // A portrait: of the first source when none is chosen, with the "Source" control.
        let mut portrait = Choice::default();
        portrait.set("kind", "2".into());
        let (controls, drawn) = run(None, portrait);
        let first = &demo.sources[0];
        assert!(drawn.unwrap().svg.contains("Document portrait"));
        assert!(
            controls.contains(&format!("<option value='{}' selected>", first.id)),
            "{controls}"
        );
        // Nothing to chart: the sentence, and still the controls to choose another.
        let empty = framewise_core::Project::new(demo.id, "Empty", 1);
        let (controls, drawn) = run(Some(project_file(&empty)), Choice::default());
        assert!(drawn.unwrap_err().contains("no codes"));
        assert!(controls.contains("name='kind'"));
    }

    #[test]
    fn the_memo_list_is_written_here_from_the_kept_project() {
        let mut demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        demo.memo = "<script>x</script> pilot".into();
        let run = |project: Option<ProjectFile>, query: &str, kind: &str| {
            let request = Request::Memos {
                project,
                query: query.into(),
                kind: kind.into(),
            };
            match handle(request, &[], &mut SeqIds::new(1)).unwrap().reply {
                Reply::Memos(shown) => shown,
                other => panic!("expected the memo list, got {other:?}"),
            }
        };
        let all = run(Some(project_file(&demo)), "", "");
        let n = framewise_core::memos::list(&demo).len();
        assert_eq!(all.status, framewise_core::words::count(n, "memo", "memos"));
        assert!(all.markup.contains("&lt;script&gt;x&lt;/script&gt; pilot"));
        assert!(!all.markup.contains("<script>"));
        assert!(all.markup.contains("data-go='p'"));
        let project_only = run(None, "PILOT", "project");
        assert_eq!(project_only.status, "1 memo");
        assert_eq!(run(None, "pilot", "code").status, "0 memos");
    }

    #[test]
    fn a_fresh_copy_has_new_ids_and_the_same_content() {
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let answer = handle(
            Request::FreshCopy {
                project: project_file(&demo),
            },
            &[],
            &mut SeqIds::new(99),
        )
        .unwrap();
        let Reply::Project(file) = answer.reply else {
            panic!("expected a project, got {answer:?}");
        };
        let copy = file.load().unwrap();
        assert_ne!(copy.id, demo.id);
        assert!(copy.sources.iter().all(|s| demo.source(s.id).is_none()));
        assert!(copy.codes.iter().all(|c| demo.code(c.id).is_none()));
        assert_eq!(copy.coding_count(), demo.coding_count());
        let texts = |p: &framewise_core::Project| -> Vec<String> {
            p.all_codings()
                .map(|c| p.coded_text(c).to_string())
                .collect()
        };
        assert_eq!(texts(&copy), texts(&demo));
    }

    #[test]
    fn crosstabs_are_computed_and_exported_here() {
        use framewise_core::crosstab::{self, Choice, Percent};
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let choice = Choice {
            percent: Percent::Row,
            ..Choice::default()
        };
        let ask = |project: Option<ProjectFile>, ask: TableAsk| {
            handle(
                Request::Crosstab {
                    project,
                    choice: choice.clone(),
                    ask,
                },
                &[],
                &mut SeqIds::new(1),
            )
        };
        let whole = TableAsk::Shown {
            rows: [0, 5],
            columns: [0, 5],
        };
        let Reply::Crosstab(shown) = ask(Some(project_file(&demo)), whole).unwrap().reply else {
            panic!("expected a table");
        };
        // A small table comes whole, whatever window is asked for.
        assert_eq!(shown, crosstab::shown(&demo, &choice).part(0..5, 0..5));
        assert_eq!(shown.window, None);
        assert!(shown.markup.contains("<tr class='totals'>"));
        // The kept project answers the next questions.
        let Reply::CrosstabCell(cell) = ask(None, TableAsk::Cell(0, None)).unwrap().reply else {
            panic!("expected a cell");
        };
        assert_eq!(Some(cell), crosstab::cell(&demo, &choice, (0, None)));
        let err = ask(None, TableAsk::Cell(10_000, None)).unwrap_err();
        assert!(err.contains("no longer"), "{err}");
        let table = crosstab::table(&demo, &choice);
        let csv = ask(None, TableAsk::Csv).unwrap();
        assert!(matches!(csv.reply, Reply::Exported { .. }));
        assert_eq!(
            csv.bytes,
            Some(format!("\u{feff}{}", table.to_csv()).into_bytes())
        );
        let xlsx = ask(None, TableAsk::Xlsx).unwrap();
        assert_eq!(xlsx.bytes, Some(table.to_xlsx().unwrap()));
    }

    #[test]
    fn a_large_table_is_kept_here_and_sent_a_window_at_a_time() {
        use framewise_core::crosstab::{self, Choice};
        use framewise_core::{apply, Action};
        // The demo with 60 more codes: its co-occurrence table (> 50 × 50) is windowed.
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let mut ids = SeqIds::new(9_000);
        let codes: Vec<_> = (0..60)
            .map(|i| {
                let mut c = demo.codes[0].clone();
                c.id = ids.code_id();
                c.name = format!("Extra {i}");
                c.parent = None;
                c
            })
            .collect();
        let big = apply(&demo, Action::ImportCodes { codes }).unwrap();
        let co = Choice {
            cooccur: true,
            ..Choice::default()
        };
        let ask = |project: Option<ProjectFile>, choice: &Choice, rows, columns| {
            let asked = handle(
                Request::Crosstab {
                    project,
                    choice: choice.clone(),
                    ask: TableAsk::Shown { rows, columns },
                },
                &[],
                &mut SeqIds::new(1),
            );
            match asked.unwrap().reply {
                Reply::Crosstab(part) => part,
                other => panic!("expected a table, got {other:?}"),
            }
        };
        let whole = crosstab::shown(&big, &co);
        assert!(whole.windowed());
        let (n_rows, n_cols) = whole.size();
        // The first window, then another as the page scrolls (the project kept): only the
        // window's markup travels, never the whole table's.
        let first = ask(Some(project_file(&big)), &co, [0, 20], [0, 12]);
        assert_eq!(first, whole.part(0..20, 0..12));
        assert_eq!(first.window, Some([0, 20, 0, 12]));
        assert_eq!(first.size, [n_rows, n_cols]);
        assert!(first.markup.len() * 4 < whole.markup.len());
        let scrolled = ask(None, &co, [40, 90], [30, 99]);
        assert_eq!(scrolled, whole.part(40..90, 30..99));
        assert_eq!(scrolled.window, Some([40, n_rows, 30, n_cols]));
        // Another choice is computed afresh (not the kept table's window).
        let crosstab_choice = Choice::default();
        let other = ask(None, &crosstab_choice, [0, 20], [0, 12]);
        assert_eq!(
            other,
            crosstab::shown(&big, &crosstab_choice).part(0..20, 0..12)
        );
        assert_ne!(other.size, first.size);
        assert_eq!(ask(None, &co, [0, 20], [0, 12]), first);
        // Another project sent: the table kept of the one before (for the same choice) is
        // forgotten.
        let fewer = apply(
            &big,
            Action::DeleteCode {
                id: big.codes.last().unwrap().id,
            },
        )
        .unwrap();
        let after = ask(Some(project_file(&fewer)), &co, [0, 20], [0, 12]);
        assert_eq!(after, crosstab::shown(&fewer, &co).part(0..20, 0..12));
        assert_eq!(after.size, [n_rows - 1, n_cols - 1]);
        // And the same choice over the same kept project still answers from its own table.
        assert_eq!(ask(None, &co, [0, 20], [0, 12]), after);
    }

    #[test]
    fn matrices_are_exported_here_as_xlsx_and_html() {
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let matrix = demo.matrices[0].clone();
        let export = |format, matrix| {
            handle(
                Request::MatrixExport {
                    project: project_file(&demo),
                    matrix,
                    format,
                    with_quotes: true,
                },
                &[],
                &mut SeqIds::new(1),
            )
        };
        let (bytes, _) = file(export(MatrixFormat::Xlsx, matrix.id));
        assert_eq!(bytes, export_xlsx(&demo, &matrix, true).unwrap());
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let (bytes, mime) = file(export(MatrixFormat::Html, matrix.id));
        assert_eq!(mime, "text/html;charset=utf-8");
        let page = String::from_utf8(bytes).unwrap();
        assert!(page.contains(&matrix.name), "{page}");
        let gone = framewise_core::MatrixId::from_random_bytes([9; 16]);
        assert!(export(MatrixFormat::Xlsx, gone).is_err());
    }

    #[test]
    fn reports_are_written_here_in_every_format() {
        use framewise_core::report::{ReportKind, ReportOptions};
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let write = |format| {
            let started = std::time::Instant::now();
            let answer = handle(
                Request::Report {
                    project: project_file(&demo),
                    options: ReportOptions {
                        attribution: "({case}, {role})".into(),
                        ..ReportOptions::default()
                    },
                    format,
                },
                &[],
                &mut SeqIds::new(1),
            );
            let (bytes, mime) = file(answer);
            assert_eq!(mime, format.mime());
            assert!(started.elapsed().as_secs() < 2);
            bytes
        };
        let md = String::from_utf8(write(ReportFormat::Markdown)).unwrap();
        assert!(md.starts_with("# Coded segments: "), "{md}");
        assert!(md.contains("(P02, ARRS staff)"), "{md}");
        let html = String::from_utf8(write(ReportFormat::Html)).unwrap();
        assert!(html.contains("<nav class=\"toc\""));
        let csv = String::from_utf8(write(ReportFormat::Csv)).unwrap();
        assert_eq!(csv.lines().count(), 1 + demo.coding_count());
        for format in [ReportFormat::Docx, ReportFormat::Xlsx] {
            assert!(write(format).starts_with(b"PK\x03\x04"));
        }
        let memos = report(
            &demo,
            &ReportOptions {
                kind: ReportKind::Memos,
                ..ReportOptions::default()
            },
            ReportFormat::Markdown,
        )
        .unwrap();
        assert!(String::from_utf8(memos.bytes.unwrap())
            .unwrap()
            .starts_with("# Memos: "));
    }

    /// Pseudonymisation and the export checks, as the page asks for them.
    #[test]
    fn pseudonymisation_is_planned_checked_and_written_here() {
        use framewise_core::protocol::CsvKind;
        use framewise_core::pseudonym::shown::{action, PseudonymShown};
        use framewise_core::share::LeaveOut;
        use framewise_core::Pseudonym;
        let demo = framewise_core::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000);
        let key = vec![Pseudonym {
            real: "Dr Okafor".into(),
            pseudonym: "GP1".into(),
        }];
        let ids = &mut SeqIds::new(3);
        let shown = |answer: Result<Answer, String>| match answer.unwrap().reply {
            Reply::Pseudonym(shown) => shown,
            other => panic!("{other:?}"),
        };
        // The plan: its preview, and the action the page applies.
        let plan = shown(handle(
            Request::Pseudonymise {
                project: Some(project_file(&demo)),
                key: key.clone(),
                sources: None,
            },
            &[],
            ids,
        ));
        assert!(plan.count >= 1);
        assert!(plan.markup.contains("<mark>Dr Okafor</mark>"));
        let after = framewise_core::apply(&demo, action(&plan.edits).unwrap()).unwrap();
        assert!(framewise_core::pseudonym::remaining(&after, &key).is_empty());
        // The kept project is planned again without being sent.
        let again = shown(handle(
            Request::Pseudonymise {
                project: None,
                key: key.clone(),
                sources: Some(Vec::new()),
            },
            &[],
            ids,
        ));
        assert_eq!(again.count, 0, "no source asked for");

        // The check: over bytes, over a project, over a project file's text too.
        let check = |project: Option<&framewise_core::Project>, written: bool, bytes: &[u8]| {
            shown(handle(
                Request::CheckNames {
                    key: key.clone(),
                    project: project.map(project_file),
                    project_written: written,
                },
                bytes,
                &mut SeqIds::new(1),
            ))
        };
        let found: PseudonymShown = check(None, false, b"Dr Okafor said");
        assert_eq!(found.count, 1);
        assert!(found.markup.contains("<mark>Dr Okafor</mark> said"));
        assert_eq!(check(None, false, b"nobody").count, 0);
        assert!(check(Some(&demo), false, b"").count >= 1);
        assert!(check(Some(&demo), true, b"").count >= 1);
        assert_eq!(check(Some(&after), true, b"").count, 0);

        // The CSV exports: written, or held back with where the names are.
        let csv = |project: &framewise_core::Project, key: Vec<Pseudonym>| {
            handle(
                Request::CsvExport {
                    project: Some(project_file(project)),
                    kind: CsvKind::Codebook,
                    key,
                },
                &[],
                &mut SeqIds::new(1),
            )
        };
        let mut named = demo.clone();
        named.codes[0].name = "Dr Okafor's advice".into();
        let held = shown(csv(&named, key.clone()));
        assert!(held.count >= 1);
        assert!(
            held.markup.contains("<mark>Dr Okafor</mark>&apos;s advice"),
            "{}",
            held.markup
        );
        let (bytes, mime) = file(csv(&named, Vec::new()));
        assert_eq!(mime, "text/csv;charset=utf-8");
        assert!(bytes.starts_with("\u{feff}name,description,parent".as_bytes()));
        assert!(String::from_utf8(bytes)
            .unwrap()
            .contains("Dr Okafor's advice"));

        // The hand-over copy: checked without the key, written with it only when kept.
        let keyed = framewise_core::apply(
            &after,
            framewise_core::Action::SetPseudonyms { key: key.clone() },
        )
        .unwrap();
        let copy = |project: &framewise_core::Project, leave_out: LeaveOut, passphrase| {
            handle(
                Request::SharedCopy {
                    project: project_file(project),
                    leave_out,
                    key: key.clone(),
                    passphrase,
                    now: 5,
                },
                &[],
                &mut SeqIds::new(1),
            )
        };
        let everything = LeaveOut::default();
        assert!(shown(copy(&demo, everything, None)).count >= 1);
        let (bytes, mime) = file(copy(&keyed, everything, None));
        assert_eq!(mime, "application/json");
        let text = String::from_utf8(bytes).unwrap();
        // The places hold no real name any more: what names Dr Okafor is the key, kept as asked.
        assert!(text.contains("\"pseudonyms\"") && text.contains("Dr Okafor"));
        let (bytes, _) = file(copy(
            &keyed,
            LeaveOut {
                key: true,
                ..everything
            },
            None,
        ));
        assert!(!String::from_utf8(bytes).unwrap().contains("Okafor"));
        let (sealed, mime) = file(copy(&keyed, everything, Some("long enough".into())));
        assert_eq!(mime, "application/octet-stream");
        let plain = crate::seal::unseal(&sealed, "long enough").unwrap();
        assert_eq!(String::from_utf8(plain).unwrap(), text);
    }
}
