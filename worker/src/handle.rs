//! What the worker does with a request, independent of the browser (tested natively).
//!
//! Every request ends in a value or a sentence for the researcher; only a reader's panic (which
//! aborts the whole wasm instance: pdf-extract panics on some damaged PDFs, see
//! tests/e2e/fixtures/damaged-ID2.pdf) escapes, and the app turns that into this file's error.

use framewise_core::demo::demo_project;
use framewise_core::import::{detect_turns, import_file, ImportedText};
use framewise_core::matrix::{export_html, export_xlsx};
use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
use framewise_core::refi::{
    export_qdc, export_qdpx_with, import_qdc, import_qdpx, plan_codebook_merge, ExportOptions,
    RefiImport, RefiReport,
};
use framewise_core::{IdSource, MatrixId, Timestamp};

/// The request kinds, as sent in the message's `kind` field.
pub mod kind {
    /// `{file_name, bytes}` → an imported text.
    pub const IMPORT: &str = "import";
    /// `{file_name, bytes, now}` → a project file (JSON) and a report.
    pub const REFI_IMPORT: &str = "refi_import";
    /// `{project_json, format: "qdpx" | "qdc", include_pseudonym_key}` → the file's bytes.
    pub const REFI_EXPORT: &str = "refi_export";
    /// `{project_json, file_name, bytes, now}` → a plan (JSON) for merging the file's codebook.
    pub const REFI_MERGE_PLAN: &str = "refi_merge_plan";
    /// `{now}` → the built-in demo project as a project file (JSON). Its 40 KB of text and
    /// its builder live here, not in the app's main wasm.
    pub const DEMO: &str = "demo";
    /// `{project_json}` → the same project with new ids for everything (a copy that can sit
    /// beside the original in storage), as a project file (JSON).
    pub const FRESH_COPY: &str = "fresh_copy";
    /// `{project_json, matrix, format: "xlsx" | "html", with_quotes}` → the matrix as an XLSX
    /// workbook or a printable HTML page (bytes). CSV stays in the page: it is small.
    pub const MATRIX_EXPORT: &str = "matrix_export";
}

/// A REFI-QDA export format.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RefiFormat {
    /// A whole project (zip of project.qde and the source texts).
    Qdpx,
    /// A codebook only (XML).
    Qdc,
}

impl RefiFormat {
    /// `"qdpx"` or `"qdc"` (case-insensitive, with or without the dot).
    pub fn parse(text: &str) -> Option<Self> {
        match text
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "qdpx" => Some(Self::Qdpx),
            "qdc" => Some(Self::Qdc),
            _ => None,
        }
    }
}

/// One request from the app.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Request {
    /// Read a source file.
    Import {
        /// The file's name (its extension picks the reader).
        file_name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// Read a REFI-QDA project (.qdpx) or codebook (.qdc) into a new project.
    RefiImport {
        /// The file's name (.qdpx or .qdc).
        file_name: String,
        /// Its bytes.
        bytes: Vec<u8>,
        /// Now, in ms since the epoch (the worker has no opinion about the clock).
        now: Timestamp,
    },
    /// Write a project (as a `framewise-project` JSON file) as REFI-QDA.
    RefiExport {
        /// The project file's JSON (`persist::to_project_file`).
        project_json: String,
        /// Which REFI-QDA file.
        format: RefiFormat,
        /// Put the pseudonymisation key in the `.qdpx` sidecar (off unless asked for).
        include_pseudonym_key: bool,
    },
    /// Plan merging the codebook of a REFI-QDA file (.qdc or .qdpx) into a project.
    RefiMergePlan {
        /// The project merged into, as a project file (JSON).
        project_json: String,
        /// The file's name (.qdpx or .qdc).
        file_name: String,
        /// Its bytes.
        bytes: Vec<u8>,
        /// Now, in ms since the epoch.
        now: Timestamp,
    },
    /// A matrix as an XLSX workbook or a printable HTML page.
    MatrixExport {
        /// The project file's JSON.
        project_json: String,
        /// The matrix's id.
        matrix: String,
        /// `"xlsx"` or `"html"`.
        format: String,
        /// XLSX only: add the Quotes sheet.
        with_quotes: bool,
    },
    /// The same project with new ids for everything.
    FreshCopy {
        /// The project file's JSON.
        project_json: String,
    },
    /// Build the demo project.
    Demo {
        /// Now, in ms since the epoch (every timestamp of the demo).
        now: Timestamp,
    },
}

/// A successful answer.
#[derive(Clone, PartialEq, Debug)]
pub enum Reply {
    /// A source file as text, with speaker turns (from the format, or detected in the text).
    Imported(ImportedText),
    /// A REFI-QDA file as a Framewise project.
    RefiImported {
        /// The project as a `framewise-project` file (JSON), ready for `from_project_file`.
        project_json: String,
        /// What the import found, skipped or could not place.
        report: RefiReport,
    },
    /// A codebook merge plan: core's `refi::CodebookMerge` as JSON (the app applies it with
    /// `CodebookMerge::action`).
    MergePlan {
        /// The plan, serialised.
        plan_json: String,
    },
    /// A project as a `framewise-project` file (JSON), ready for `from_project_file`.
    Project {
        /// The project file.
        project_json: String,
    },
    /// The bytes of an exported file.
    Exported {
        /// The file's bytes.
        bytes: Vec<u8>,
        /// Its media type.
        mime: &'static str,
    },
}

/// Handles one request: the answer, or why not as a sentence for the researcher.
pub fn handle(request: Request, ids: &mut impl IdSource) -> Result<Reply, String> {
    match request {
        Request::Import { file_name, bytes } => import_source(&file_name, &bytes),
        Request::RefiImport {
            file_name,
            bytes,
            now,
        } => refi_import(&file_name, &bytes, ids, now),
        Request::RefiExport {
            project_json,
            format,
            include_pseudonym_key,
        } => refi_export(&project_json, format, include_pseudonym_key),
        Request::RefiMergePlan {
            project_json,
            file_name,
            bytes,
            now,
        } => {
            let current = from_project_file(&project_json)
                .map_err(|e| e.to_string())?
                .project;
            let incoming = read_refi(&file_name, &bytes, ids, now)?.project;
            let plan = plan_codebook_merge(&current, &incoming, ids, now);
            let plan_json = serde_json::to_string(&plan)
                .map_err(|e| format!("the merge plan could not be written ({e})"))?;
            Ok(Reply::MergePlan { plan_json })
        }
        Request::MatrixExport {
            project_json,
            matrix,
            format,
            with_quotes,
        } => {
            let project = from_project_file(&project_json)
                .map_err(|e| e.to_string())?
                .project;
            let m = MatrixId::parse(&matrix)
                .and_then(|id| project.matrix(id))
                .ok_or_else(|| "this matrix is not in the project any more".to_string())?;
            match format.as_str() {
                "xlsx" => Ok(Reply::Exported {
                    bytes: export_xlsx(&project, m, with_quotes),
                    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }),
                "html" => Ok(Reply::Exported {
                    bytes: export_html(&project, m).into_bytes(),
                    mime: "text/html;charset=utf-8",
                }),
                other => Err(format!("a matrix cannot be exported as “{other}”")),
            }
        }
        Request::FreshCopy { project_json } => {
            let loaded = from_project_file(&project_json).map_err(|e| e.to_string())?;
            Ok(Reply::Project {
                project_json: to_project_file(&loaded.project.with_fresh_ids(ids), &loaded.meta),
            })
        }
        Request::Demo { now } => Ok(Reply::Project {
            project_json: to_project_file(&demo_project(ids, now), &ProjectMeta::new(now)),
        }),
    }
}

/// A source file through core's readers; plain text (and any format without turns of its own)
/// gets its speaker turns detected.
pub fn import_source(file_name: &str, bytes: &[u8]) -> Result<Reply, String> {
    let mut imported = import_file(file_name, bytes).map_err(|e| e.to_string())?;
    if imported.turns.is_empty() {
        imported.turns = detect_turns(&imported.text);
    }
    Ok(Reply::Imported(imported))
}

fn refi_import(
    file_name: &str,
    bytes: &[u8],
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Result<Reply, String> {
    let imported = read_refi(file_name, bytes, ids, now)?;
    Ok(Reply::RefiImported {
        project_json: to_project_file(&imported.project, &ProjectMeta::new(now)),
        report: imported.report,
    })
}

/// A `.qdpx` project or `.qdc` codebook (by extension) as a new project.
fn read_refi(
    file_name: &str,
    bytes: &[u8],
    ids: &mut impl IdSource,
    now: Timestamp,
) -> Result<RefiImport, String> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".qdpx") {
        import_qdpx(bytes, ids, now).map_err(|e| e.to_string())
    } else if lower.ends_with(".qdc") {
        let xml = std::str::from_utf8(bytes)
            .map_err(|_| "This .qdc codebook is not UTF-8 text.".to_string())?;
        let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        let name = base.get(..base.len().saturating_sub(4)).unwrap_or(base);
        import_qdc(xml.trim_start_matches('\u{feff}'), name, ids, now).map_err(|e| e.to_string())
    } else {
        Err("Only REFI-QDA files (.qdpx projects, .qdc codebooks) can be read here.".into())
    }
}

fn refi_export(
    project_json: &str,
    format: RefiFormat,
    include_pseudonym_key: bool,
) -> Result<Reply, String> {
    let loaded = from_project_file(project_json).map_err(|e| e.to_string())?;
    Ok(match format {
        RefiFormat::Qdpx => Reply::Exported {
            bytes: export_qdpx_with(
                &loaded.project,
                ExportOptions {
                    include_pseudonym_key,
                    ..ExportOptions::default()
                },
            ),
            mime: "application/zip",
        },
        RefiFormat::Qdc => Reply::Exported {
            bytes: export_qdc(&loaded.project).into_bytes(),
            mime: "application/xml",
        },
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use framewise_core::SeqIds;
    use std::path::PathBuf;

    fn corpus(parts: &[&str]) -> Option<Vec<u8>> {
        let mut path = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        path.extend(["..", "..", "shared", "corpus"]);
        path.extend(parts);
        std::fs::read(path).ok()
    }

    fn imported(reply: Reply) -> ImportedText {
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

    #[test]
    fn refi_round_trip_through_the_project_file() {
        let project = framewise_core::demo::demo_project(&mut SeqIds::new(1), 1_700_000_000_000);
        let json = to_project_file(&project, &ProjectMeta::new(1_700_000_000_000));
        let request = |format| Request::RefiExport {
            project_json: json.clone(),
            format,
            include_pseudonym_key: false,
        };
        let Reply::Exported { bytes, mime } =
            handle(request(RefiFormat::Qdpx), &mut SeqIds::new(9)).unwrap()
        else {
            panic!("expected bytes");
        };
        assert_eq!(mime, "application/zip");
        assert!(bytes.starts_with(b"PK"));
        let back = handle(
            Request::RefiImport {
                file_name: "demo.qdpx".into(),
                bytes,
                now: 1_800_000_000_000,
            },
            &mut SeqIds::new(100),
        )
        .unwrap();
        let Reply::RefiImported {
            project_json,
            report,
        } = back
        else {
            panic!("expected a project");
        };
        assert_eq!(report.sources, project.sources.len());
        assert_eq!(report.codes, project.codes.len());
        let loaded = from_project_file(&project_json).unwrap();
        assert_eq!(loaded.project.sources.len(), project.sources.len());
        assert_eq!(
            loaded.project.all_codings().count(),
            project.all_codings().count()
        );

        let Reply::Exported { bytes, .. } =
            handle(request(RefiFormat::Qdc), &mut SeqIds::new(9)).unwrap()
        else {
            panic!("expected bytes");
        };
        let codebook = handle(
            Request::RefiImport {
                file_name: "Demo codebook.QDC".into(),
                bytes,
                now: 1_800_000_000_000,
            },
            &mut SeqIds::new(500),
        )
        .unwrap();
        let Reply::RefiImported { report, .. } = codebook else {
            panic!("expected a project");
        };
        assert_eq!(report.codes, project.codes.len());
        assert_eq!(report.sources, 0);
    }

    #[test]
    fn refi_merge_plan_for_a_codebook() {
        let now = 1_700_000_000_000;
        let demo = framewise_core::demo::demo_project(&mut SeqIds::new(1), now);
        let demo_json = to_project_file(&demo, &ProjectMeta::new(now));
        let codebook = export_qdc(&demo).into_bytes();
        let plan = |project_json: String| {
            let reply = handle(
                Request::RefiMergePlan {
                    project_json,
                    file_name: "codebook.qdc".into(),
                    bytes: codebook.clone(),
                    now,
                },
                &mut SeqIds::new(77),
            )
            .unwrap();
            let Reply::MergePlan { plan_json } = reply else {
                panic!("expected a plan");
            };
            serde_json::from_str::<framewise_core::refi::CodebookMerge>(&plan_json).unwrap()
        };
        // Into the project it came from: every code matches, nothing to add.
        let same = plan(demo_json);
        assert!(same.is_empty(), "{same:?}");
        assert_eq!(same.matched.len(), demo.codes.len());
        // Into an empty project: every code is new, and the plan applies.
        let empty = framewise_core::Project::new(
            framewise_core::ProjectId::from_random_bytes([7; 16]),
            "Empty",
            now,
        );
        let fresh = plan(to_project_file(&empty, &ProjectMeta::new(now)));
        assert_eq!(fresh.new_codes.len(), demo.codes.len());
        let merged = framewise_core::apply(&empty, fresh.action()).unwrap();
        assert_eq!(merged.codes.len(), demo.codes.len());
    }

    #[test]
    fn refi_refusals_are_sentences() {
        let ids = &mut SeqIds::new(1);
        let err = handle(
            Request::RefiImport {
                file_name: "x.qdpx".into(),
                bytes: b"not a zip".to_vec(),
                now: 0,
            },
            ids,
        )
        .unwrap_err();
        assert!(err.contains("not a readable .qdpx"), "{err}");
        let err = handle(
            Request::RefiImport {
                file_name: "x.txt".into(),
                bytes: b"hello".to_vec(),
                now: 0,
            },
            ids,
        )
        .unwrap_err();
        assert!(err.contains("REFI-QDA"), "{err}");
        let err = handle(
            Request::RefiExport {
                project_json: "{}".into(),
                format: RefiFormat::Qdc,
                include_pseudonym_key: false,
            },
            ids,
        )
        .unwrap_err();
        assert!(!err.is_empty());
        assert_eq!(RefiFormat::parse(".QDPX"), Some(RefiFormat::Qdpx));
        assert_eq!(RefiFormat::parse("xlsx"), None);
    }

    #[test]
    fn the_demo_is_built_here_and_reads_back_whole() {
        let reply = handle(
            Request::Demo {
                now: 1_700_000_000_000,
            },
            &mut SeqIds::new(3),
        )
        .unwrap();
        let Reply::Project { project_json } = reply else {
            panic!("expected a project, got {reply:?}");
        };
        let loaded = from_project_file(&project_json).unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let direct = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        assert_eq!(loaded.project, direct);
        assert_eq!(loaded.project.sources.len(), 8);
        assert!(loaded.project.coding_count() > 100);
    }

    #[test]
    fn a_fresh_copy_has_new_ids_and_the_same_content() {
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let json = to_project_file(&demo, &ProjectMeta::new(0));
        let reply = handle(
            Request::FreshCopy { project_json: json },
            &mut SeqIds::new(99),
        )
        .unwrap();
        let Reply::Project { project_json } = reply else {
            panic!("expected a project, got {reply:?}");
        };
        let copy = from_project_file(&project_json).unwrap().project;
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
    fn matrices_are_exported_here_as_xlsx_and_html() {
        let demo = demo_project(&mut SeqIds::new(3), 1_700_000_000_000);
        let matrix = demo.matrices[0].clone();
        let json = to_project_file(&demo, &ProjectMeta::new(0));
        let export = |format: &str, matrix: String| {
            handle(
                Request::MatrixExport {
                    project_json: json.clone(),
                    matrix,
                    format: format.into(),
                    with_quotes: true,
                },
                &mut SeqIds::new(1),
            )
        };
        let Reply::Exported { bytes, .. } = export("xlsx", matrix.id.to_string()).unwrap() else {
            panic!("expected bytes");
        };
        assert_eq!(bytes, export_xlsx(&demo, &matrix, true));
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let Reply::Exported { bytes, .. } = export("html", matrix.id.to_string()).unwrap() else {
            panic!("expected bytes");
        };
        let page = String::from_utf8(bytes).unwrap();
        assert!(page.contains(&matrix.name), "{page}");
        assert!(export("xlsx", "not-a-matrix".into()).is_err());
        assert!(export("pdf", matrix.id.to_string()).is_err());
    }
}
