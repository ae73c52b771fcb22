//! The layering of `framewise-core` (see ARCHITECTURE.md, "Core layers"): every source file's
//! imports (`use crate::…`, `crate::…` paths, `super::…`) may point only at its own layer or a
//! lower one, and no modules may form a circle. The file is read as text: comments, strings
//! and `#[cfg(test)]` modules are left out, paths through the crate root's re-exports are
//! followed to the module that defines the name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers from the bottom up: a module may import its own layer or one below it. A module
/// belongs to the entry that names it or its closest ancestor (`matrix` covers `matrix::view`).
const LAYERS: &[(&str, &[&str])] = &[
    // Value types and helpers that know nothing of a project.
    (
        "leaf",
        &[
            "ids", "span", "time", "sort", "palette", "csv", "tree", "text", "xlsx", "archive",
            "words",
        ],
    ),
    // What a project is: its parts, their queries, the error of a refused change.
    ("model", &["model"]),
    // The changes: the `Action` vocabulary, the pure `apply`, text edits, undo.
    ("action", &["action", "edit", "history"]),
    // Features over the model; they may build actions for `apply`.
    (
        "feature",
        &[
            "matrix",
            "cases",
            "case_table",
            "code_tree",
            "speakers",
            "autocode",
            "pseudonym",
            "codebook_csv",
            "preview",
            "search",
            "report",
            "share",
            "merge",
            "crosstab",
            "agreement",
            "suggest",
            "chart",
            "memos",
        ],
    ),
    // The edge: saved format, file readers, exchange formats, the demo, the worker protocol.
    ("edge", &["persist", "import", "refi", "demo", "protocol"]),
];

/// One import found in a file: the module it resolves to and the path as written.
#[derive(Debug, Clone)]
struct Import {
    target: String,
    written: String,
}

/// Turns a file below `src/` into its module path (`lib.rs` → "", `a/mod.rs` → "a").
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text with comments, string and char literals blanked (so `"crate::x"` in a message or a
/// `// super::` in a comment is not an import). Lifetimes (`'p`) stay.
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (i == 0
                || !ident(chars[i - 1])
                || (chars[i - 1] == 'b' && (i < 2 || !ident(chars[i - 2]))))
            && matches!(next, Some('"' | '#'))
            && {
                let mut j = i + 1;
                while chars.get(j) == Some(&'#') {
                    j += 1;
                }
                chars.get(j) == Some(&'"')
            }
        {
            // Raw string r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F600}', '"') or a lifetime ('p).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Removes `#[cfg(test)] mod name { … }` blocks; returns the names of `#[cfg(test)] mod name;`
/// files (test-only modules, not part of the layering).
fn drop_test_modules(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut test_files = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let mut after = rest[at + "#[cfg(test)]".len()..].trim_start();
        // Further attributes of the same item (`#[allow(…)]`).
        while after.starts_with("#[") {
            match after.find(']') {
                Some(end) => after = after[end + 1..].trim_start(),
                None => break,
            }
        }
        let item = after.strip_prefix("pub ").unwrap_or(after).trim_start();
        if let Some(m) = item.strip_prefix("mod ") {
            let name_end = m
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(m.len());
            let name = &m[..name_end];
            let tail = m[name_end..].trim_start();
            if let Some(t) = tail.strip_prefix(';') {
                test_files.push(name.to_string());
                rest = t;
                continue;
            }
            if tail.starts_with('{') {
                let mut depth = 0usize;
                let mut end = tail.len();
                for (k, ch) in tail.char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &tail[end..];
                continue;
            }
        }
        // Some other test-only item: keep it (its imports still count).
        rest = &rest[at + "#[cfg(test)]".len()..];
    }
    out.push_str(rest);
    (out, test_files)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Sep,
    Open,
    Close,
    Comma,
    Star,
    Other,
}

fn tokens(text: &str) -> Vec<(usize, Tok)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            if i == start {
                i += 1;
            }
            out.push((start, Tok::Ident(text[start..i].to_string())));
        } else if c == b':' && bytes.get(i + 1) == Some(&b':') {
            out.push((i, Tok::Sep));
            i += 2;
        } else {
            out.push((
                i,
                match c {
                    b'{' => Tok::Open,
                    b'}' => Tok::Close,
                    b',' => Tok::Comma,
                    b'*' => Tok::Star,
                    _ => Tok::Other,
                },
            ));
            i += 1;
        }
    }
    out
}

/// Parses a use tree (or a plain path) starting after `prefix::`; pushes every full path.
fn use_tree(
    toks: &[(usize, Tok)],
    mut k: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix;
    loop {
        match toks.get(k).map(|t| &t.1) {
            Some(Tok::Ident(name)) if name == "as" => {
                k += 2;
                out.push(path);
                return k;
            }
            Some(Tok::Ident(name)) => {
                path.push(name.clone());
                k += 1;
                if toks.get(k).map(|t| &t.1) == Some(&Tok::Sep) {
                    k += 1;
                    continue;
                }
                if matches!(toks.get(k).map(|t| &t.1), Some(Tok::Ident(a)) if a == "as") {
                    k += 2;
                }
                out.push(path);
                return k;
            }
            Some(Tok::Star) => {
                out.push(path);
                return k + 1;
            }
            Some(Tok::Open) => {
                k += 1;
                loop {
                    match toks.get(k).map(|t| &t.1) {
                        Some(Tok::Close) => return k + 1,
                        Some(Tok::Comma) => k += 1,
                        None => return k,
                        _ => k = use_tree(toks, k, path.clone(), out),
                    }
                }
            }
            _ => {
                out.push(path);
                return k;
            }
        }
    }
}

/// Every `crate::…` and `super::…` path in the (stripped) text, relative to the crate root,
/// with `self` standing for a path into the file's own module (ignored later).
fn paths_in(text: &str, module: &str) -> Vec<Vec<String>> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        // Not `a::crate` and not `$crate` (a macro's own crate).
        let starts_path =
            k == 0 || (toks[k - 1].1 != Tok::Sep && toks[k - 1].1 != Tok::Ident("$".into()));
        match &toks[k].1 {
            Tok::Ident(w)
                if starts_path
                    && w == "crate"
                    && toks.get(k + 1).map(|t| &t.1) == Some(&Tok::Sep) =>
            {
                k = use_tree(&toks, k + 2, Vec::new(), &mut out);
            }
            Tok::Ident(w)
                if starts_path
                    && w == "super"
                    && toks.get(k + 1).map(|t| &t.1) == Some(&Tok::Sep) =>
            {
                let mut base: Vec<String> = if module.is_empty() {
                    Vec::new()
                } else {
                    module.split("::").map(str::to_string).collect()
                };
                base.pop();
                k += 2;
                while matches!(toks.get(k).map(|t| &t.1), Some(Tok::Ident(w)) if w == "super")
                    && toks.get(k + 1).map(|t| &t.1) == Some(&Tok::Sep)
                {
                    base.pop();
                    k += 2;
                }
                k = use_tree(&toks, k, base, &mut out);
            }
            _ => k += 1,
        }
    }
    out
}

/// `use` declarations of the crate root: name → path (relative to the root), e.g. `apply` →
/// `action::apply`, `project` → `model::project`.
fn root_names(lib: &str) -> BTreeMap<String, Vec<String>> {
    let toks = tokens(lib);
    let mut names = BTreeMap::new();
    let mut k = 0;
    while k < toks.len() {
        if toks[k].1 == Tok::Ident("use".into()) {
            let mut paths = Vec::new();
            let mut aliases = Vec::new();
            let end = use_tree(&toks, k + 1, Vec::new(), &mut paths);
            // `x as y`: the name is `y`.
            for j in k + 1..end {
                if toks[j].1 == Tok::Ident("as".into()) {
                    if let Some((_, Tok::Ident(alias))) = toks.get(j + 1) {
                        aliases.push(alias.clone());
                    }
                }
            }
            for path in paths {
                if let Some(last) = path.last() {
                    if last != "self" {
                        names.insert(last.clone(), path);
                    }
                }
            }
            k = end;
        } else {
            k += 1;
        }
    }
    names
}

/// The module a root-relative path names: root re-exports followed, then the longest prefix
/// that is a module. `None` when it names nothing known.
fn resolve(
    path: &[String],
    modules: &BTreeSet<String>,
    root: &BTreeMap<String, Vec<String>>,
    depth: usize,
) -> Option<String> {
    let first = path.first()?;
    if depth < 8 && !modules.contains(first) {
        if let Some(target) = root.get(first) {
            let mut full = target.clone();
            full.extend(path[1..].iter().cloned());
            return resolve(&full, modules, root, depth + 1);
        }
    }
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
}

fn layer_of(module: &str) -> Option<(usize, &'static str, String)> {
    let mut best: Option<(usize, &'static str, String)> = None;
    for (rank, (name, members)) in LAYERS.iter().enumerate() {
        for m in members.iter() {
            let covers = module == *m || module.starts_with(&format!("{m}::"));
            if covers && best.as_ref().is_none_or(|b| m.len() > b.2.len()) {
                best = Some((rank, name, m.to_string()));
            }
        }
    }
    best
}

/// `a` is `b` or inside it.
fn within(a: &str, b: &str) -> bool {
    b.is_empty() || a == b || a.starts_with(&format!("{b}::"))
}

/// Strongly connected components with more than one node (Tarjan), each sorted.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    let mut all: BTreeSet<&str> = edges.keys().map(String::as_str).collect();
    all.extend(edges.values().flatten().map(String::as_str));
    for v in all {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Every import of every core source file, by module (test-only modules left out).
fn core_imports() -> BTreeMap<String, (PathBuf, Vec<Import>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut texts: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    let mut test_only: BTreeSet<String> = BTreeSet::new();
    for path in &files {
        let rel = path.strip_prefix(&src).expect("below src");
        let module = module_of(rel);
        let shown = Path::new("core/src").join(rel);
        let raw = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let (text, tests) = drop_test_modules(&strip(&raw));
        for t in tests {
            test_only.insert(if module.is_empty() {
                t
            } else {
                format!("{module}::{t}")
            });
        }
        texts.insert(module, (shown, text));
    }
    texts.retain(|m, _| !test_only.iter().any(|t| within(m, t)));
    let modules: BTreeSet<String> = texts.keys().cloned().collect();
    let root = root_names(&texts[""].1);
    let mut out = BTreeMap::new();
    for (module, (path, text)) in &texts {
        let mut imports = Vec::new();
        for p in paths_in(text, module) {
            let written = format!("crate::{}", p.join("::"));
            let target = resolve(&p, &modules, &root, 0).unwrap_or_else(|| {
                panic!(
                    "{}: cannot tell which module `{written}` names",
                    path.display()
                )
            });
            imports.push(Import { target, written });
        }
        out.insert(module.clone(), (path.clone(), imports));
    }
    out
}

/// The layering problems of a set of imports, as sentences (empty: all is well).
fn problems(imports: &BTreeMap<String, (PathBuf, Vec<Import>)>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut module_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unit_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, (path, list)) in imports {
        // The crate root only declares modules and re-exports their items.
        if module.is_empty() {
            continue;
        }
        let Some((rank, layer, unit)) = layer_of(module) else {
            problems.push(format!(
                "module `{module}` ({}) is in no layer: add it to LAYERS here and to \
                 ARCHITECTURE.md's core layers",
                path.display()
            ));
            continue;
        };
        for import in list {
            let target = &import.target;
            // A module is made of its submodules; using them is not a dependency on anything
            // else. (A submodule using its parent is.)
            if target.is_empty() || within(target, module) {
                continue;
            }
            module_edges
                .entry(module.clone())
                .or_default()
                .insert(target.clone());
            let Some((target_rank, target_layer, target_unit)) = layer_of(target) else {
                continue;
            };
            if target_unit != unit {
                unit_edges
                    .entry(unit.clone())
                    .or_default()
                    .insert(target_unit.clone());
            }
            if target_rank > rank {
                problems.push(format!(
                    "{}: `{module}` ({layer} layer) imports `{}` ({target_layer} layer): a \
                     lower layer must not import a higher one",
                    path.display(),
                    import.written
                ));
            }
        }
    }
    for circle in circles(&unit_edges) {
        problems.push(format!(
            "these parts import each other in a circle: {}",
            circle.join(" ↔ ")
        ));
    }
    for circle in circles(&module_edges) {
        let detail: BTreeSet<String> = circle
            .iter()
            .flat_map(|m| {
                imports[m]
                    .1
                    .iter()
                    .filter(|i| circle.contains(&i.target) && !within(&i.target, m))
                    .map(move |i| format!("{m} uses {}", i.written))
            })
            .collect();
        problems.push(format!(
            "these modules import each other in a circle: {} ({})",
            circle.join(" ↔ "),
            detail.into_iter().collect::<Vec<_>>().join("; ")
        ));
    }
    problems.sort();
    problems.dedup();
    problems
}

#[test]
fn core_is_layered_without_circles() {
    let imports = core_imports();
    // The reader must see the crate: a parser that finds nothing would pass anything.
    assert!(imports.len() > 30, "only {} modules found", imports.len());
    let found: usize = imports.values().map(|(_, l)| l.len()).sum();
    assert!(found > 100, "only {found} imports found");
    let problems = problems(&imports);
    assert!(
        problems.is_empty(),
        "core's layering is broken (see ARCHITECTURE.md, \"Core layers\"):\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn every_layer_entry_is_a_module() {
    // Entries for modules other branches are adding are allowed while they land; the rest must
    // exist, so a renamed module cannot silently fall out of the check.
    let pending = ["case_table", "protocol"];
    let imports = core_imports();
    for (_, members) in LAYERS {
        for m in members.iter() {
            assert!(
                pending.contains(m) || imports.contains_key(*m),
                "LAYERS names `{m}`, which is not a module of core"
            );
        }
    }
}

#[test]
fn architecture_maps_every_core_module() {
    // "Where is X" takes one step: every core source file has its line in ARCHITECTURE.md's code
    // map (`dir/file.rs`, or `file.rs` in the bullet of `dir/`).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = std::fs::read_to_string(root.join("../ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut blocks: Vec<String> = Vec::new();
    for line in map.lines() {
        let continues = line.starts_with("  ") && !line.trim().is_empty();
        match blocks.last_mut() {
            Some(block) if continues => {
                block.push(' ');
                block.push_str(line.trim());
            }
            _ => blocks.push(line.to_string()),
        }
    }
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut missing = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&src).expect("below src");
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == "lib.rs" {
            continue;
        }
        let mapped = match rel.rsplit_once('/') {
            None => blocks.iter().any(|b| b.contains(&format!("`{rel}`"))),
            Some((dir, file)) => blocks.iter().any(|b| {
                b.contains(&format!("`{rel}`"))
                    || ((b.contains(&format!("`{dir}/")) || b.contains(&format!("/{dir}/`")))
                        && b.contains(&format!("`{file}`")))
            }),
        };
        if !mapped {
            missing.push(rel);
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map has no line for: {}",
        missing.join(", ")
    );
}

// The checker itself, on small made-up crates.

fn imports_of(files: &[(&str, &str)]) -> BTreeMap<String, (PathBuf, Vec<Import>)> {
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.to_string()).collect();
    let lib = files
        .iter()
        .find(|(m, _)| m.is_empty())
        .map_or("", |(_, t)| *t);
    let root = root_names(&strip(lib));
    files
        .iter()
        .map(|(m, text)| {
            let (text, _) = drop_test_modules(&strip(text));
            let imports = paths_in(&text, m)
                .into_iter()
                .map(|p| Import {
                    target: resolve(&p, &modules, &root, 0).expect("resolves"),
                    written: format!("crate::{}", p.join("::")),
                })
                .collect();
            (m.to_string(), (PathBuf::from(format!("{m}.rs")), imports))
        })
        .collect()
}

#[test]
fn a_lower_layer_importing_a_higher_one_is_refused() {
    let imports = imports_of(&[
        (
            "",
            "mod model; pub use action::{apply, Action};\nuse model::project;",
        ),
        (
            "model::project",
            "use crate::ids::SourceId;\nfn f() { crate::apply(); }",
        ),
        ("ids", ""),
        ("action", "use crate::project::Project;"),
    ]);
    let found = problems(&imports);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found[0].contains("`model::project` (model layer) imports `crate::apply` (action layer)")
    );
    assert!(found[1].contains("modules import each other in a circle: action ↔ model::project"));
    assert!(found[2].contains("parts import each other in a circle: action ↔ model"));
}

#[test]
fn circles_between_modules_of_one_layer_are_refused() {
    let imports = imports_of(&[
        ("", ""),
        ("persist", "mod saved; mod diff; pub use diff::diff;"),
        ("persist::saved", "use super::diff::turns_body;"),
        (
            "persist::diff",
            "use super::saved::{TurnV3, Kind};\nuse super::Write;",
        ),
    ]);
    let found = problems(&imports);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("persist::diff ↔ persist::saved"),
        "{found:?}"
    );
}

#[test]
fn comments_strings_and_test_modules_are_not_imports() {
    let imports = imports_of(&[
        ("", ""),
        ("ids", ""),
        ("action", ""),
        (
            "model::project",
            "// crate::action::x\n/* super::action */ const S: &str = \"crate::action\";\n\
             const R: &str = r#\"crate::action\"#; const C: char = '\"';\n\
             fn f<'a>(x: &'a str) -> crate::ids::Id { todo!() }\n\
             #[cfg(test)]\nmod tests {\n    use crate::action::apply;\n    fn g() { { } }\n}\n",
        ),
    ]);
    let list = &imports["model::project"].1;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].target, "ids");
}
