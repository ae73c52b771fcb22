//! Runs the `framewise` binary.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_framewise-cli"))
        .args(args)
        .output()
        .unwrap()
}

fn shared() -> PathBuf {
    let near = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if near.exists() {
        near
    } else {
        PathBuf::from("/work/shared")
    }
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("framewise-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn inspect_nvivo_sample() {
    let path = shared().join("refi/samples/nvivo-mac-15_codebook.qdpx");
    let v = json(&bin(&["inspect", path.to_str().unwrap(), "--json"]));
    assert_eq!(v["codes"], 262);
    assert_eq!(v["users"], 2);
    assert_eq!(v["sources"], 0);
    assert_eq!(v["skipped_sources"]["rich text (.docx) only"], 2);
    let text = stdout(&bin(&["inspect", path.to_str().unwrap()]));
    assert!(text.contains("codes: 262"), "{text}");
}

#[test]
fn inspect_text_source() {
    let file = shared().join("corpus/consultations");
    let first = std::fs::read_dir(&file)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .min()
        .unwrap();
    let v = json(&bin(&["inspect", first.to_str().unwrap(), "--json"]));
    assert!(v["characters"].as_u64().unwrap() > 100);
    assert!(v["turns"].as_u64().unwrap() > 2);
    let speakers: Vec<String> = v["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    assert!(speakers.iter().any(|s| s == "D"), "{speakers:?}");
    assert!(v["encoding"].as_str().unwrap().starts_with("UTF"));
}

#[test]
fn convert_round_trip_and_export_matrix() {
    // The ATLAS.ti codebook -> our project file -> .qdpx -> .qdc, counts kept at every step.
    let qdc = shared().join("refi/samples/atlasti-win-9_codebook.qdc");
    let ours = tmp("atlas.framewise.json");
    let qdpx = tmp("atlas.qdpx");
    let back = tmp("atlas-again.qdc");
    for (i, o) in [
        (qdc.to_str().unwrap(), ours.to_str().unwrap()),
        (ours.to_str().unwrap(), qdpx.to_str().unwrap()),
        (qdpx.to_str().unwrap(), back.to_str().unwrap()),
    ] {
        let out = bin(&["convert", i, o]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v = json(&bin(&["inspect", back.to_str().unwrap(), "--json"]));
    assert_eq!(v["codes"], 5);
    assert_eq!(v["sets"], 2);
    let again = std::fs::read_to_string(&back).unwrap();
    assert!(again.contains("2ce89c66-c28d-473b-b5c4-6cf87d20ef04"));
}

#[test]
fn errors_go_to_stderr_with_non_zero_exit() {
    let missing = bin(&["inspect", "/nonexistent/x.qdpx"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
    let junk = tmp("junk.qdpx");
    std::fs::write(&junk, b"not a zip").unwrap();
    let out = bin(&["inspect", junk.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable .qdpx"));
    let usage = bin(&["frobnicate"]);
    assert!(!usage.status.success());
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage"));
    let qdc = shared().join("refi/samples/atlasti-win-9_codebook.qdc");
    let no_matrix = bin(&[
        "export",
        "matrix",
        qdc.to_str().unwrap(),
        "--matrix",
        "X",
        "--csv",
    ]);
    assert!(!no_matrix.status.success());
    assert!(String::from_utf8_lossy(&no_matrix.stderr).contains("no matrix named"));
}

#[test]
fn demo_project_matrix_csv_and_qdpx_round_trip() {
    use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
    let project =
        framewise_core::demo::demo_project(&mut framewise_core::SeqIds::new(4), 1_700_000_000_000);
    let file = tmp("demo.framewise.json");
    std::fs::write(&file, to_project_file(&project, &ProjectMeta::new(0))).unwrap();
    let matrix = project.matrices.first().unwrap();
    let out = bin(&[
        "export",
        "matrix",
        file.to_str().unwrap(),
        "--matrix",
        &matrix.name,
        "--csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout(&out),
        framewise_core::matrix::export_csv(&project, matrix)
    );
    // json -> qdpx -> json: the same project.
    let qdpx = tmp("demo.qdpx");
    let again = tmp("demo-again.framewise.json");
    assert!(
        bin(&["convert", file.to_str().unwrap(), qdpx.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        bin(&["convert", qdpx.to_str().unwrap(), again.to_str().unwrap()])
            .status
            .success()
    );
    let loaded = from_project_file(&std::fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(loaded.project, project);
    let v = json(&bin(&["inspect", qdpx.to_str().unwrap(), "--json"]));
    assert_eq!(v["codings"], project.coding_count());
    assert_eq!(v["cases"], project.cases.len());
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
}

#[test]
fn merge_codebook_into_a_project() {
    use framewise_core::persist::{from_project_file, to_project_file, ProjectMeta};
    let project = framewise_core::demo::demo_project(&mut framewise_core::SeqIds::new(4), 0);
    let file = tmp("merge-base.framewise.json");
    std::fs::write(&file, to_project_file(&project, &ProjectMeta::new(0))).unwrap();
    let qdc = shared().join("refi/samples/atlasti-win-9_codebook.qdc");
    let out = tmp("merged.framewise.json");
    let o = bin(&[
        "merge-codebook",
        file.to_str().unwrap(),
        qdc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(text.contains("new codes: 5"), "{text}");
    assert!(text.contains("  + code1.1"), "{text}");
    let merged = from_project_file(&std::fs::read_to_string(&out).unwrap())
        .unwrap()
        .project;
    assert_eq!(merged.codes.len(), project.codes.len() + 5);
    assert_eq!(merged.sets.len(), project.sets.len() + 2);
    // Merging the same codebook again adds nothing.
    let o = bin(&[
        "merge-codebook",
        out.to_str().unwrap(),
        qdc.to_str().unwrap(),
    ]);
    assert!(stdout(&o).contains("new codes: 0"), "{}", stdout(&o));
    assert!(stdout(&o).contains("matched by guid: 5"), "{}", stdout(&o));
}
