//! Builds a [`Report`] from a project and [`ReportOptions`]: which codings are quoted (the
//! filters), how they are grouped, and the codebook, theme and memo reports.

use super::attribution::{quote_text, Attributor};
use super::document::{Block, Quote, Report, Table};
use super::options::{Grouping, ReportKind, ReportOptions};
use crate::ids::{CaseId, CodeId, CodingId};
use crate::matrix::{summary_parts, visit_case_codings, SummaryPart, BROKEN_QUOTE};
use crate::model::case::{AttrValue, AttributeKind};
use crate::project::{CodeCounts, Coding, Project};
use crate::sort::Gather;
use crate::speakers::{coding_speaker, speaker_key};
use crate::words;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The deepest heading level written.
const MAX_LEVEL: u8 = 6;

/// The header of the segment list (CSV and the XLSX "Quotes" sheet).
pub const SEGMENT_COLUMNS: [&str; 10] = [
    "Section",
    "Code",
    "Case",
    "Source",
    "Speaker",
    "Quote",
    "Attribution",
    "Start",
    "End",
    "Coder",
];

/// The report the options ask for.
pub fn build(project: &Project, options: &ReportOptions) -> Report {
    let mut b = Builder::new(project, options);
    match options.kind {
        ReportKind::CodedSegments => b.coded_segments(),
        ReportKind::Codebook => b.codebook(),
        ReportKind::Themes => b.themes(),
        ReportKind::Memos => b.memos(),
    }
    b.finish()
}

struct Builder<'p, 'o> {
    project: &'p Project,
    options: &'o ReportOptions,
    attributor: Attributor<'p>,
    /// Codings the filters let through, in document order.
    eligible: Vec<&'p Coding>,
    blocks: Vec<Block>,
    list: Table,
    anchors: usize,
    /// The heading the next quotes are listed under in the segment list.
    section: String,
}

impl<'p, 'o> Builder<'p, 'o> {
    fn new(project: &'p Project, options: &'o ReportOptions) -> Self {
        let excluded: BTreeSet<String> = options
            .exclude_speakers
            .iter()
            .map(|s| speaker_key(s))
            .to_set();
        let codes: HashSet<CodeId> = options.codes.iter().copied().collect();
        let sources: HashSet<_> = options.sources.iter().copied().collect();
        let in_cases: Option<HashSet<CodingId>> = (!options.cases.is_empty()).then(|| {
            per_case(
                project,
                std::slice::from_ref(&options.cases),
                true,
                &excluded,
            )
            .into_iter()
            .flatten()
            .map(|c| c.id)
            .collect()
        });
        let mut eligible = Vec::new();
        for source in &project.sources {
            if !sources.is_empty() && !sources.contains(&source.id) {
                continue;
            }
            for coding in project.codings_of(source.id) {
                if !codes.is_empty() && !codes.contains(&coding.code) {
                    continue;
                }
                if in_cases
                    .as_ref()
                    .is_some_and(|set| !set.contains(&coding.id))
                {
                    continue;
                }
                if !excluded.is_empty()
                    && coding_speaker(source, coding)
                        .is_some_and(|s| excluded.contains(&speaker_key(s)))
                {
                    continue;
                }
                eligible.push(coding);
            }
        }
        Self {
            project,
            options,
            attributor: Attributor::new(project, &options.attribution),
            eligible,
            blocks: Vec::new(),
            list: Table::default(),
            anchors: 0,
            section: String::new(),
        }
    }

    fn finish(self) -> Report {
        let kind = self.options.kind;
        let subtitle = match kind {
            ReportKind::CodedSegments | ReportKind::Themes => {
                let quotes = self
                    .blocks
                    .iter()
                    .filter(|b| matches!(b, Block::Quote(_)))
                    .count();
                let sources: HashSet<_> = self.eligible.iter().map(|c| c.source).collect();
                let grouped = match (kind, self.options.grouping) {
                    (ReportKind::Themes, _) => "by theme".to_string(),
                    (_, Grouping::Code) => "by code".to_string(),
                    (_, Grouping::Theme) => "by theme and set".to_string(),
                    (_, Grouping::Case) => "by case".to_string(),
                    (_, Grouping::Attribute(a)) => format!(
                        "by {}",
                        self.project
                            .attribute(a)
                            .map_or("attribute", |a| a.name.as_str())
                    ),
                };
                format!(
                    "{} from {}, {grouped}",
                    words::count(quotes, "quote", "quotes"),
                    words::count(sources.len(), "source", "sources")
                )
            }
            ReportKind::Codebook => words::count(self.project.codes.len(), "code", "codes"),
            ReportKind::Memos => words::count(self.list.rows.len(), "memo", "memos"),
        };
        Report {
            title: format!("{}: {}", kind.label(), self.project.name),
            subtitle,
            blocks: self.blocks,
            list: self.list,
        }
    }

    fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.anchors += 1;
        let text = text.into();
        self.section = text.clone();
        self.blocks.push(Block::Heading {
            level: level.clamp(2, MAX_LEVEL),
            text,
            anchor: format!("s{}", self.anchors),
        });
    }

    fn note(&mut self, text: String) {
        if !text.is_empty() {
            self.blocks.push(Block::Note(text));
        }
    }

    fn labelled(&mut self, label: &str, text: &str) {
        if !text.trim().is_empty() {
            self.blocks.push(Block::Labelled {
                label: label.to_string(),
                text: text.trim().to_string(),
            });
        }
    }

    fn paragraph(&mut self, text: &str) {
        if !text.trim().is_empty() {
            self.blocks.push(Block::Paragraph(text.trim().to_string()));
        }
    }

    /// A code's note, definition and memo, as the options ask.
    fn code_details(&mut self, code: CodeId, counts: CodeCounts) {
        let Some(c) = self.project.code(code) else {
            return;
        };
        let mut note = Vec::new();
        if self.options.include_origin {
            note.push(c.origin.label().to_string());
        }
        note.push(counts_text(counts));
        self.note(note.join(" · "));
        if self.options.include_definitions {
            self.labelled("Definition", &c.description);
        }
        if self.options.include_memos {
            self.labelled("Memo", &c.memo);
        }
    }

    fn quote_of(&self, coding: &Coding) -> Quote {
        Quote {
            text: quote_text(
                self.project.coded_text(coding),
                self.options.max_words,
                self.options.ellipsis,
            ),
            attribution: self.attributor.attribute(coding).text,
        }
    }

    /// Quotes `codings` (in the order given) and lists them.
    fn quotes(&mut self, codings: &[&Coding]) {
        if codings.is_empty() {
            self.blocks
                .push(Block::Note("No coded segments.".to_string()));
            return;
        }
        for coding in codings {
            let who = self.attributor.attribute(coding);
            let quote = Quote {
                text: quote_text(
                    self.project.coded_text(coding),
                    self.options.max_words,
                    self.options.ellipsis,
                ),
                attribution: who.text.clone(),
            };
            let text = self
                .project
                .source(coding.source)
                .map(|s| &*s.text)
                .unwrap_or("");
            let point = |byte: usize| {
                crate::text::byte_to_char(text, byte)
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            };
            self.list.rows.push(vec![
                self.section.clone(),
                self.project.code_path(coding.code),
                who.case_name,
                who.source_name,
                who.speaker.unwrap_or_default(),
                quote.text.clone(),
                quote.attribution.clone(),
                point(coding.span.start),
                point(coding.span.end),
                coding.coder.clone(),
            ]);
            self.blocks.push(Block::Quote(quote));
        }
    }

    fn segment_list(&mut self) {
        self.list.caption = "Quotes".to_string();
        self.list.header = SEGMENT_COLUMNS.iter().map(|s| s.to_string()).collect();
    }

    /// Eligible codings of any of `codes`, one per passage (a passage coded with two of the
    /// codes is quoted once).
    fn codings_of(&self, codes: &HashSet<CodeId>) -> Vec<&'p Coding> {
        let mut out: Vec<&Coding> = Vec::new();
        let mut seen = HashSet::new();
        for c in &self.eligible {
            if codes.contains(&c.code) && seen.insert((c.source, c.span)) {
                out.push(c);
            }
        }
        out
    }

    fn chosen(&self, code: CodeId) -> bool {
        self.options.codes.is_empty() || self.options.codes.contains(&code)
    }

    fn coded_segments(&mut self) {
        self.segment_list();
        match self.options.grouping {
            Grouping::Code => self.by_code(),
            Grouping::Theme => self.by_theme(),
            Grouping::Case => self.by_case(),
            Grouping::Attribute(a) => self.by_attribute(a),
        }
    }

    fn by_code(&mut self) {
        let mut per_code: HashMap<CodeId, Vec<&Coding>> = HashMap::new();
        for c in &self.eligible {
            per_code.entry(c.code).or_default().push(c);
        }
        for (code, _) in self.project.code_tree() {
            let list = per_code.remove(&code).unwrap_or_default();
            if list.is_empty() && self.options.codes.is_empty() {
                continue;
            }
            if !self.chosen(code) {
                continue;
            }
            self.heading(2, self.project.code_path(code));
            self.code_details(code, counts(&list));
            self.quotes(&list);
        }
    }

    fn by_theme(&mut self) {
        let themes: Vec<CodeId> = self.project.children(None).map(|c| c.id).collect();
        for theme in themes {
            let codes: HashSet<CodeId> = self
                .project
                .descendants_and_self(theme)
                .into_iter()
                .filter(|c| self.chosen(*c))
                .collect();
            if codes.is_empty() {
                continue;
            }
            let list = self.codings_of(&codes);
            let Some(code) = self.project.code(theme) else {
                continue;
            };
            let kind = theme_kind(self.project, theme);
            self.heading(2, format!("{kind}: {}", code.name));
            self.code_details(theme, counts(&list));
            self.quotes(&list);
        }
        let sets = self.project.sets.clone();
        for set in sets {
            let codes: HashSet<CodeId> = set
                .codes
                .iter()
                .copied()
                .filter(|c| self.chosen(*c))
                .collect();
            if codes.is_empty() {
                continue;
            }
            let list = self.codings_of(&codes);
            self.heading(2, format!("Set: {}", set.name));
            self.note(counts_text(counts(&list)));
            if self.options.include_definitions {
                self.labelled("Description", &set.description);
            }
            self.quotes(&list);
        }
    }

    /// Quotes under one case or value: a sub-section per code, in codebook order.
    fn per_code_sections(&mut self, codings: &[&'p Coding]) {
        let eligible: HashSet<CodingId> = self.eligible.iter().map(|c| c.id).collect();
        let mut per_code: HashMap<CodeId, Vec<&Coding>> = HashMap::new();
        for c in codings.iter().filter(|c| eligible.contains(&c.id)) {
            per_code.entry(c.code).or_default().push(c);
        }
        for (code, _) in self.project.code_tree() {
            let Some(list) = per_code.remove(&code) else {
                continue;
            };
            self.heading(3, self.project.code_path(code));
            if self.options.include_definitions {
                let description = self
                    .project
                    .code(code)
                    .map(|c| c.description.clone())
                    .unwrap_or_default();
                self.labelled("Definition", &description);
            }
            self.quotes(&list);
        }
    }

    fn case_order(&self) -> Vec<CaseId> {
        self.project
            .case_tree()
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| self.options.cases.is_empty() || self.in_chosen_cases(*id))
            .collect()
    }

    fn in_chosen_cases(&self, id: CaseId) -> bool {
        self.options
            .cases
            .iter()
            .any(|c| self.project.is_case_ancestor_or_self(*c, id))
    }

    fn by_case(&mut self) {
        let cases = self.case_order();
        let groups: Vec<Vec<CaseId>> = cases.iter().map(|c| vec![*c]).collect();
        let per_case = per_case(self.project, &groups, false, &BTreeSet::new());
        let eligible: HashSet<CodingId> = self.eligible.iter().map(|c| c.id).collect();
        for (case, codings) in cases.iter().zip(per_case) {
            let codings: Vec<&Coding> = codings
                .into_iter()
                .filter(|c| eligible.contains(&c.id))
                .collect();
            if codings.is_empty() {
                continue;
            }
            let Some(c) = self.project.case(*case) else {
                continue;
            };
            let (name, memo) = (c.name.clone(), c.memo.clone());
            let values: Vec<String> = self
                .project
                .attributes
                .iter()
                .filter_map(|a| {
                    self.attributor
                        .cases()
                        .value(c, a.id)
                        .map(|v| format!("{}: {v}", a.name))
                })
                .collect();
            self.heading(2, name);
            let mut note = vec![counts_text(counts(&codings))];
            note.extend(values);
            self.note(note.join(" · "));
            if self.options.include_memos {
                self.labelled("Memo", &memo);
            }
            self.per_code_sections(&codings);
        }
    }

    /// One section per value of `attribute`: each coding goes to the value of the case it is
    /// attributed to (see `attribution.rs`; a case without a value takes its nearest
    /// ancestor's), so every quote appears once; codings of no case or no value come last.
    fn by_attribute(&mut self, attribute: crate::ids::AttributeId) {
        let Some(attr) = self.project.attribute(attribute).cloned() else {
            self.paragraph("The attribute chosen for grouping is not in the project any more.");
            return;
        };
        let mut groups: Vec<(Option<AttrValue>, Vec<&Coding>)> = Vec::new();
        let eligible = self.eligible.clone();
        for coding in eligible {
            let value = self
                .project
                .source(coding.source)
                .and_then(|s| self.attributor.cases().case_of(s, coding))
                .and_then(|c| inherited(self.project, c.id, attribute));
            match groups.iter_mut().find(|(v, _)| *v == value) {
                Some((_, list)) => list.push(coding),
                None => groups.push((value, vec![coding])),
            }
        }
        let rank = |v: &Option<AttrValue>| -> (u8, usize, f64, String) {
            match v {
                None => (2, 0, 0.0, String::new()),
                Some(AttrValue::Category(c)) => match &attr.kind {
                    AttributeKind::Category(list) => (
                        0,
                        list.iter()
                            .position(|x| x.eq_ignore_ascii_case(c))
                            .unwrap_or(usize::MAX),
                        0.0,
                        c.to_lowercase(),
                    ),
                    _ => (1, 0, 0.0, c.to_lowercase()),
                },
                Some(AttrValue::Number(n)) => (1, 0, *n, String::new()),
                Some(other) => (1, 0, 0.0, other.to_string().to_lowercase()),
            }
        };
        crate::sort::sort_by(&mut groups, |a, b| {
            let (x, y) = (rank(&a.0), rank(&b.0));
            x.0.cmp(&y.0)
                .then(x.1.cmp(&y.1))
                .then(x.2.total_cmp(&y.2))
                .then(x.3.cmp(&y.3))
        });
        for (value, list) in groups {
            let label = match &value {
                Some(v) => format!("{}: {v}", attr.name),
                None => format!("{}: {}", attr.name, crate::matrix::NO_VALUE),
            };
            self.heading(2, label);
            self.note(counts_text(counts(&list)));
            self.per_code_sections(&list);
        }
    }

    fn codebook(&mut self) {
        let all = self.project.code_counts();
        let tree: Vec<(CodeId, usize)> = self
            .project
            .code_tree()
            .into_iter()
            .filter(|(c, _)| self.chosen(*c))
            .collect();
        let row = |code: CodeId, depth: usize| -> Option<Vec<String>> {
            let c = self.project.code(code)?;
            let n = all.get(&code).copied().unwrap_or_default();
            Some(vec![
                format!("{}{}", "\u{a0}\u{a0}\u{a0}".repeat(depth), c.name),
                c.origin.label().to_string(),
                n.codings.to_string(),
                n.sources.to_string(),
                c.description.trim().to_string(),
            ])
        };
        let overview = Table {
            caption: "The codebook".to_string(),
            header: ["Code", "D/I", "Segments", "Sources", "Definition"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: tree.iter().filter_map(|(c, d)| row(*c, *d)).collect(),
        };
        self.list = Table {
            caption: "Codebook".to_string(),
            header: [
                "Code",
                "Path",
                "Parent",
                "D/I",
                "Definition",
                "Segments",
                "Sources",
                "Memo",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            rows: tree
                .iter()
                .filter_map(|(code, _)| {
                    let c = self.project.code(*code)?;
                    let n = all.get(code).copied().unwrap_or_default();
                    Some(vec![
                        c.name.clone(),
                        self.project.code_path(*code),
                        c.parent
                            .and_then(|p| self.project.code(p))
                            .map(|p| p.name.clone())
                            .unwrap_or_default(),
                        c.origin.label().to_string(),
                        c.description.clone(),
                        n.codings.to_string(),
                        n.sources.to_string(),
                        c.memo.clone(),
                    ])
                })
                .collect(),
        };
        self.heading(2, "Overview");
        self.blocks.push(Block::Table(overview));
        let examples = self.options.examples;
        for (code, depth) in tree {
            let Some(c) = self.project.code(code) else {
                continue;
            };
            let name = c.name.clone();
            let n = all.get(&code).copied().unwrap_or_default();
            self.heading(2 + depth.min(4) as u8, name);
            let saved = self.list.clone();
            self.code_details(code, n);
            let list: Vec<&Coding> = self
                .eligible
                .iter()
                .filter(|c| c.code == code)
                .take(examples)
                .copied()
                .collect();
            if !list.is_empty() {
                self.quotes(&list);
            }
            // The codebook's list is its codes, not the example quotes.
            self.list = saved;
        }
    }

    fn themes(&mut self) {
        self.segment_list();
        let themes: Vec<CodeId> = self.project.children(None).map(|c| c.id).collect();
        for theme in themes {
            if !self
                .project
                .descendants_and_self(theme)
                .iter()
                .any(|c| self.chosen(*c))
            {
                continue;
            }
            self.theme_section(theme, 2, 0);
        }
        let sets = self.project.sets.clone();
        if !sets.is_empty() {
            self.heading(2, "Sets");
        }
        for set in sets {
            let codes: HashSet<CodeId> = set
                .codes
                .iter()
                .copied()
                .filter(|c| self.chosen(*c))
                .collect();
            let list = self.codings_of(&codes);
            self.heading(3, set.name.clone());
            self.note(counts_text(counts(&list)));
            self.paragraph(&set.description);
            let ordered: Vec<CodeId> = self
                .project
                .code_tree()
                .into_iter()
                .map(|(c, _)| c)
                .filter(|c| codes.contains(c))
                .collect();
            self.codes_table(&ordered, None);
            self.summary_tables(&codes);
            let examples: Vec<&Coding> = list.into_iter().take(self.options.examples).collect();
            self.quotes(&examples);
        }
    }

    /// A theme (or, below a meta-theme, one of its themes): description, codes, matrix
    /// summaries and quotes (those the summaries chose, or the first examples).
    fn theme_section(&mut self, theme: CodeId, level: u8, depth: usize) {
        let Some(code) = self.project.code(theme).cloned() else {
            return;
        };
        let kind = theme_kind(self.project, theme);
        let all: HashSet<CodeId> = self
            .project
            .descendants_and_self(theme)
            .into_iter()
            .collect();
        let everything = self.codings_of(&all);
        self.heading(level, code.name.clone());
        let mut note = vec![kind.to_string()];
        if self.options.include_origin {
            note.push(code.origin.label().to_string());
        }
        note.push(counts_text(counts(&everything)));
        self.note(note.join(" · "));
        self.paragraph(&code.description);
        if self.options.include_memos {
            self.labelled("Memo", &code.memo);
        }
        let children: Vec<CodeId> = self.project.children(Some(theme)).map(|c| c.id).collect();
        let is_meta = kind == "Meta-theme";
        // A meta-theme's themes get their own sections; its other codes are listed here.
        let (sub_themes, here): (Vec<CodeId>, Vec<CodeId>) = if is_meta {
            children
                .into_iter()
                .partition(|c| self.project.children(Some(*c)).next().is_some())
        } else {
            let below: Vec<CodeId> = self
                .project
                .code_tree()
                .into_iter()
                .map(|(c, _)| c)
                .filter(|c| *c != theme && all.contains(c))
                .collect();
            (Vec::new(), below)
        };
        let here: Vec<CodeId> = here.into_iter().filter(|c| self.chosen(*c)).collect();
        self.codes_table(&here, Some(theme));
        let mut own: HashSet<CodeId> = here.iter().copied().collect();
        if self.chosen(theme) {
            own.insert(theme);
        }
        if !is_meta {
            own.extend(all.iter().copied().filter(|c| self.chosen(*c)));
        }
        let chosen = self.summary_tables(&own);
        if chosen.is_empty() {
            let examples: Vec<&Coding> = self
                .codings_of(&own)
                .into_iter()
                .take(self.options.examples)
                .collect();
            if !examples.is_empty() {
                self.blocks.push(Block::Note("Example quotes:".to_string()));
                self.quotes(&examples);
            }
        } else {
            self.blocks.push(Block::Note(
                "Quotes chosen in the matrix summaries:".to_string(),
            ));
            self.quotes(&chosen);
        }
        if depth < 8 {
            for sub in sub_themes {
                if self
                    .project
                    .descendants_and_self(sub)
                    .iter()
                    .any(|c| self.chosen(*c))
                {
                    self.theme_section(sub, level + 1, depth + 1);
                }
            }
        }
    }

    /// A table of codes: name (path below `under`), D/I, segments, definition.
    fn codes_table(&mut self, codes: &[CodeId], under: Option<CodeId>) {
        if codes.is_empty() {
            return;
        }
        let mut header = vec!["Code".to_string()];
        if self.options.include_origin {
            header.push("D/I".to_string());
        }
        header.push("Segments".to_string());
        if self.options.include_definitions {
            header.push("Definition".to_string());
        }
        let prefix = under.map(|u| format!("{} > ", self.project.code_path(u)));
        let rows = codes
            .iter()
            .filter_map(|id| {
                let c = self.project.code(*id)?;
                let path = self.project.code_path(*id);
                let name = match &prefix {
                    Some(p) => path.strip_prefix(p.as_str()).unwrap_or(&path).to_string(),
                    None => path,
                };
                let n = self.eligible.iter().filter(|x| x.code == *id).count();
                let mut row = vec![name];
                if self.options.include_origin {
                    row.push(c.origin.label().to_string());
                }
                row.push(n.to_string());
                if self.options.include_definitions {
                    row.push(c.description.trim().to_string());
                }
                Some(row)
            })
            .collect();
        self.blocks.push(Block::Table(Table {
            caption: "Codes".to_string(),
            header,
            rows,
        }));
    }

    /// One table per matrix with columns among `codes` and a summary in them: cases down, those
    /// codes across, quote references written as the quote and its attribution. Returns the
    /// codings the summaries quote (each once, in order), the researcher's chosen quotes.
    fn summary_tables(&mut self, codes: &HashSet<CodeId>) -> Vec<&'p Coding> {
        let mut chosen: Vec<&Coding> = Vec::new();
        let lookup: HashMap<CodingId, &Coding> =
            self.project.all_codings().map(|c| (c.id, c)).collect();
        let matrices = self.project.matrices.clone();
        for matrix in matrices {
            let columns: Vec<CodeId> = matrix
                .columns
                .iter()
                .copied()
                .filter(|c| codes.contains(c) && self.project.code(*c).is_some())
                .collect();
            if columns.is_empty() {
                continue;
            }
            let mut rows = Vec::new();
            for case in crate::matrix::row_cases(self.project, &matrix) {
                let summaries: Vec<&str> =
                    columns.iter().map(|c| matrix.summary(case, *c)).collect();
                if summaries.iter().all(|s| s.trim().is_empty()) {
                    continue;
                }
                let mut row = vec![self
                    .project
                    .case(case)
                    .map(|c| c.name.clone())
                    .unwrap_or_default()];
                for s in summaries {
                    row.push(self.render_summary(s, &lookup, &mut chosen));
                }
                rows.push(row);
            }
            if rows.is_empty() {
                continue;
            }
            let mut header = vec!["Case".to_string()];
            header.extend(
                columns
                    .iter()
                    .filter_map(|c| self.project.code(*c))
                    .map(|c| c.name.clone()),
            );
            self.blocks.push(Block::Table(Table {
                caption: format!("Matrix “{}”", matrix.name),
                header,
                rows,
            }));
        }
        chosen
    }

    /// A summary as plain text: a quote reference becomes “quote” (attribution), or only the
    /// attribution when the researcher's text right before it already ends with the quote.
    fn render_summary(
        &self,
        summary: &str,
        lookup: &HashMap<CodingId, &'p Coding>,
        chosen: &mut Vec<&'p Coding>,
    ) -> String {
        let mut out = String::new();
        for part in summary_parts(summary) {
            match part {
                SummaryPart::Text(t) => out.push_str(t),
                SummaryPart::Quote(id) => match lookup.get(&id) {
                    Some(coding) => {
                        if !chosen.iter().any(|c| c.id == id) {
                            chosen.push(coding);
                        }
                        let quote = self.quote_of(coding);
                        if out.trim_end().ends_with('”') || out.trim_end().ends_with('"') {
                            out.push_str(&quote.attribution);
                        } else {
                            out.push_str(&format!("“{}” {}", quote.text, quote.attribution));
                        }
                    }
                    None => out.push_str(BROKEN_QUOTE),
                },
            }
        }
        out.trim().to_string()
    }

    fn memos(&mut self) {
        self.list = Table {
            caption: "Memos".to_string(),
            header: ["Attached to", "Name", "Memo"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: Vec::new(),
        };
        let project = self.project;
        if !project.memo.trim().is_empty() {
            self.heading(2, "Project");
            self.memo_entry("Project", &project.name, &project.memo, None);
        }
        let sources: Vec<_> = project
            .sources
            .iter()
            .filter(|s| !s.memo.trim().is_empty())
            .filter(|s| self.options.sources.is_empty() || self.options.sources.contains(&s.id))
            .collect();
        if !sources.is_empty() {
            self.heading(2, "Sources");
            for s in sources {
                self.memo_entry("Source", &s.name, &s.memo, Some(3));
            }
        }
        let codes: Vec<CodeId> = project
            .code_tree()
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| self.chosen(*c))
            .filter(|c| project.code(*c).is_some_and(|c| !c.memo.trim().is_empty()))
            .collect();
        if !codes.is_empty() {
            self.heading(2, "Codes");
            for c in codes {
                if let Some(code) = project.code(c) {
                    self.memo_entry("Code", &project.code_path(c), &code.memo, Some(3));
                }
            }
        }
        let cases: Vec<CaseId> = project
            .case_tree()
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| self.options.cases.is_empty() || self.in_chosen_cases(*c))
            .filter(|c| project.case(*c).is_some_and(|c| !c.memo.trim().is_empty()))
            .collect();
        if !cases.is_empty() {
            self.heading(2, "Cases");
            for c in cases {
                if let Some(case) = project.case(c) {
                    self.memo_entry("Case", &case.name, &case.memo, Some(3));
                }
            }
        }
        // Annotations: by source (in project order), each with its passage as a quote.
        let annotated: Vec<_> = project
            .sources
            .iter()
            .filter(|s| self.options.sources.is_empty() || self.options.sources.contains(&s.id))
            .filter(|s| !project.annotations_of(s.id).is_empty())
            .collect();
        if !annotated.is_empty() {
            self.heading(2, "Annotations");
            for s in annotated {
                self.heading(3, s.name.clone());
                for a in project.annotations_of(s.id) {
                    let target = crate::memos::annotation_target(project, a);
                    self.note(target.clone());
                    self.blocks.push(Block::Quote(Quote {
                        text: quote_text(
                            s.text.get(a.span.start..a.span.end).unwrap_or(""),
                            self.options.max_words,
                            self.options.ellipsis,
                        ),
                        attribution: String::new(),
                    }));
                    self.labelled("Annotation", &a.text);
                    let passage =
                        crate::memos::passage_words(project, a, crate::memos::PASSAGE_CHARS);
                    self.list.rows.push(vec![
                        "Annotation".to_string(),
                        format!("{target}: “{passage}”"),
                        a.text.trim().to_string(),
                    ]);
                }
            }
        }
        if self.list.rows.is_empty() {
            self.paragraph("No memos yet.");
        }
    }

    fn memo_entry(&mut self, kind: &str, name: &str, memo: &str, level: Option<u8>) {
        if let Some(level) = level {
            self.heading(level, name);
        }
        for line in memo.lines() {
            self.paragraph(line);
        }
        self.list.rows.push(vec![
            kind.to_string(),
            name.to_string(),
            memo.trim().to_string(),
        ]);
    }
}

/// The codings under each group of cases (the matrix rows' rule, `visit_case_codings`), each
/// list in document order.
fn per_case<'p>(
    project: &'p Project,
    groups: &[Vec<CaseId>],
    include_subcases: bool,
    excluded: &BTreeSet<String>,
) -> Vec<Vec<&'p Coding>> {
    let mut out: Vec<Vec<&Coding>> = vec![Vec::new(); groups.len()];
    visit_case_codings(
        project,
        groups,
        include_subcases,
        excluded,
        &|_| true,
        &mut |coding, within| {
            for g in within {
                if let Some(list) = out.get_mut(*g) {
                    list.push(coding);
                }
            }
        },
    );
    out
}

/// Coded segments and distinct sources of a list of codings.
fn counts(codings: &[&Coding]) -> CodeCounts {
    let sources: HashSet<_> = codings.iter().map(|c| c.source).collect();
    CodeCounts {
        codings: codings.len(),
        sources: sources.len(),
    }
}

fn counts_text(n: CodeCounts) -> String {
    format!(
        "{} in {}",
        words::count(n.codings, "segment", "segments"),
        words::count(n.sources, "source", "sources")
    )
}

/// "Meta-theme" (some child has children), "Theme" (a top-level code) or "Code".
fn theme_kind(project: &Project, id: CodeId) -> &'static str {
    if project
        .children(Some(id))
        .any(|c| project.children(Some(c.id)).next().is_some())
    {
        "Meta-theme"
    } else if project.code(id).is_some_and(|c| c.parent.is_none())
        || project.children(Some(id)).next().is_some()
    {
        "Theme"
    } else {
        "Code"
    }
}

/// The value of an attribute for a case, or its nearest ancestor's.
fn inherited(
    project: &Project,
    case: CaseId,
    attribute: crate::ids::AttributeId,
) -> Option<AttrValue> {
    let mut current = project.case(case);
    let mut steps = 0;
    while let Some(c) = current {
        if let Some(v) = c.values.get(&attribute) {
            return Some(v.clone());
        }
        steps += 1;
        if steps > project.cases.len() {
            break;
        }
        current = c.parent.and_then(|p| project.case(p));
    }
    None
}
