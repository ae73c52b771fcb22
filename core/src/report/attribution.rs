//! Attributed quotes: which case a coding belongs to, the attribution template
//! (`({case}, {role}, {rurality})` → `(P02, ARRS staff, urban)`) and quotes trimmed to whole
//! words. Small and always compiled: the app's live preview uses it as the worker's writers do.
//!
//! **Which case a coding belongs to** follows the framework matrix's rows
//! (`crate::matrix::cell_segments`): a case holds its sources whole and the turns of the speakers
//! linked to it. A coding can fall under several cases (a focus group's case and a participant's
//! case linked to a speaker of it); the attribution names the most specific one: a case linked to
//! the coding's speaker before a case holding the whole source, then the deepest case in the case
//! tree, then the first in case-tree order.
//!
//! An attribute's value is the case's own or, when it has none, its nearest ancestor's (a
//! participant under a site case is attributed with the site's `rurality`).

use crate::ids::{AttributeId, CaseId, SourceId};
use crate::model::case::Case;
use crate::project::{Coding, Project, Source};
use crate::speakers::{coding_speaker, speaker_key};
use std::collections::HashMap;

/// A placeholder of the template.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    /// The case's name (the source's name when the coding belongs to no case).
    Case,
    /// The source's name.
    Source,
    /// The speaker of the coding's turn.
    Speaker,
    /// The code's name.
    Code,
    /// An attribute's value for the case (or its nearest ancestor with one).
    Attribute(AttributeId),
    /// A name that is nothing of the above: written as nothing.
    Unknown,
}

#[derive(Clone, PartialEq, Eq, Debug)]
enum Part {
    Text(String),
    Field(Field),
}

/// An attribution template, read once against a project's attributes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Template {
    parts: Vec<Part>,
    problems: Vec<String>,
}

impl Template {
    /// Reads `text`: `{name}` is a placeholder (`case`, `source`, `speaker`, `code` or an
    /// attribute's name, ignoring case); a brace without its partner is plain text. Unknown
    /// names are written as nothing and listed in [`Template::problems`].
    pub fn parse(project: &Project, text: &str) -> Self {
        let mut parts = Vec::new();
        let mut problems = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                break;
            };
            let name = &after[..close];
            if name.contains('{') {
                // `{{x}`: the first brace is text.
                parts.push(Part::Text(rest[..open + 1].to_string()));
                rest = &rest[open + 1..];
                continue;
            }
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let field = field_named(project, name.trim());
            if field == Field::Unknown {
                problems.push(unknown_field(project, name.trim()));
            }
            parts.push(Part::Field(field));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Self { parts, problems }
    }

    /// Sentences about placeholders that name nothing.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

fn field_named(project: &Project, name: &str) -> Field {
    let lower = name.to_lowercase();
    match lower.as_str() {
        "case" => Field::Case,
        "source" => Field::Source,
        "speaker" => Field::Speaker,
        "code" => Field::Code,
        _ => project
            .attributes
            .iter()
            .find(|a| a.name.trim().to_lowercase() == lower)
            .map_or(Field::Unknown, |a| Field::Attribute(a.id)),
    }
}

fn unknown_field(project: &Project, name: &str) -> String {
    let mut known: Vec<String> = ["case", "source", "speaker", "code"]
        .iter()
        .map(|s| format!("{{{s}}}"))
        .collect();
    known.extend(project.attributes.iter().map(|a| format!("{{{}}}", a.name)));
    format!("“{{{name}}}” names nothing: use {}.", known.join(", "))
}

/// Finds the case of a coding (see the module docs), with indexes built once per project.
pub struct CaseFinder<'p> {
    project: &'p Project,
    by_speaker: HashMap<(SourceId, String), Vec<CaseId>>,
    by_source: HashMap<SourceId, Vec<CaseId>>,
    /// Depth and position in case-tree order.
    rank: HashMap<CaseId, (usize, usize)>,
    cases: HashMap<CaseId, &'p Case>,
}

impl<'p> CaseFinder<'p> {
    /// Indexes the project's cases.
    pub fn new(project: &'p Project) -> Self {
        let mut by_speaker: HashMap<(SourceId, String), Vec<CaseId>> = HashMap::new();
        let mut by_source: HashMap<SourceId, Vec<CaseId>> = HashMap::new();
        for case in &project.cases {
            for source in &case.sources {
                by_source.entry(*source).or_default().push(case.id);
            }
            for link in &case.speakers {
                by_speaker
                    .entry((link.source, speaker_key(&link.speaker)))
                    .or_default()
                    .push(case.id);
            }
        }
        let rank = project
            .case_tree()
            .into_iter()
            .enumerate()
            .map(|(i, (id, depth))| (id, (depth, i)))
            .collect();
        Self {
            project,
            by_speaker,
            by_source,
            rank,
            cases: project.cases.iter().map(|c| (c.id, c)).collect(),
        }
    }

    /// The case a coding is attributed to, if any.
    pub fn case_of(&self, source: &Source, coding: &Coding) -> Option<&'p Case> {
        let linked = coding_speaker(source, coding)
            .and_then(|s| self.by_speaker.get(&(source.id, speaker_key(s))));
        let candidates = match linked {
            Some(list) if !list.is_empty() => list,
            _ => self.by_source.get(&source.id)?,
        };
        candidates
            .iter()
            .min_by_key(|id| {
                let (depth, order) = self.rank.get(id).copied().unwrap_or((0, usize::MAX));
                (std::cmp::Reverse(depth), order)
            })
            .and_then(|id| self.cases.get(id).copied())
    }

    /// The value of `attribute` for `case`, or for its nearest ancestor with one.
    pub fn value(&self, case: &Case, attribute: AttributeId) -> Option<String> {
        let mut current = Some(case);
        let mut steps = 0;
        while let Some(c) = current {
            if let Some(v) = c.values.get(&attribute) {
                return Some(v.to_string());
            }
            steps += 1;
            if steps > self.project.cases.len() {
                break;
            }
            current = c.parent.and_then(|p| self.cases.get(&p).copied());
        }
        None
    }
}

/// Writes attributions for one template over one project.
pub struct Attributor<'p> {
    project: &'p Project,
    template: Template,
    cases: CaseFinder<'p>,
}

/// A coding's attribution and what it was made of.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Attributed {
    /// The case the coding belongs to, if any.
    pub case: Option<CaseId>,
    /// The case's name (empty without a case).
    pub case_name: String,
    /// The speaker of the coding's turn, if any.
    pub speaker: Option<String>,
    /// The source's name.
    pub source_name: String,
    /// The template filled in, e.g. `(P02, ARRS staff, urban)`.
    pub text: String,
}

impl<'p> Attributor<'p> {
    /// An attributor for `template` (see [`Template::parse`]).
    pub fn new(project: &'p Project, template: &str) -> Self {
        Self {
            project,
            template: Template::parse(project, template),
            cases: CaseFinder::new(project),
        }
    }

    /// The template as read.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The case finder.
    pub fn cases(&self) -> &CaseFinder<'p> {
        &self.cases
    }

    /// The attribution of a coding.
    pub fn attribute(&self, coding: &Coding) -> Attributed {
        let Some(source) = self.project.source(coding.source) else {
            return Attributed::default();
        };
        let case = self.cases.case_of(source, coding);
        let speaker = coding_speaker(source, coding).map(str::to_string);
        let values: Vec<Option<String>> = self
            .template
            .parts
            .iter()
            .map(|part| match part {
                Part::Text(_) => None,
                Part::Field(field) => Some(match field {
                    Field::Case => case.map_or_else(|| source.name.clone(), |c| c.name.clone()),
                    Field::Source => source.name.clone(),
                    Field::Speaker => speaker.clone().unwrap_or_default(),
                    Field::Code => self
                        .project
                        .code(coding.code)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    Field::Attribute(a) => case
                        .and_then(|c| self.cases.value(c, *a))
                        .unwrap_or_default(),
                    Field::Unknown => String::new(),
                }),
            })
            .collect();
        Attributed {
            case: case.map(|c| c.id),
            case_name: case.map(|c| c.name.clone()).unwrap_or_default(),
            speaker,
            source_name: source.name.clone(),
            text: fill(&self.template.parts, &values),
        }
    }
}

/// True for text that only separates fields (`, `, ` · `, `; `, ` – `, `/`).
fn is_separator(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| {
            c.is_whitespace() || matches!(c, ',' | ';' | '·' | '|' | '/' | '-' | '–' | '—')
        })
}

/// The template with its fields filled in; an empty field takes the separator before it with
/// it (or after it, for the first field), and a template whose fields are all empty is empty.
fn fill(parts: &[Part], values: &[Option<String>]) -> String {
    let filled = |i: usize| values.get(i).and_then(|v| v.as_deref()).map(str::trim);
    let any = (0..parts.len()).any(|i| filled(i).is_some_and(|v| !v.is_empty()));
    let has_fields = parts.iter().any(|p| matches!(p, Part::Field(_)));
    if has_fields && !any {
        return String::new();
    }
    let mut keep = vec![true; parts.len()];
    let mut seen_value = false;
    for (i, part) in parts.iter().enumerate() {
        if !matches!(part, Part::Field(_)) {
            continue;
        }
        if filled(i).is_some_and(|v| !v.is_empty()) {
            seen_value = true;
            continue;
        }
        let separator_at =
            |j: usize| matches!(parts.get(j), Some(Part::Text(t)) if is_separator(t)) && keep[j];
        if seen_value && i > 0 && separator_at(i - 1) {
            keep[i - 1] = false;
        } else if separator_at(i + 1) && matches!(parts.get(i + 2), Some(Part::Field(_))) {
            keep[i + 1] = false;
        }
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Field(_) => out.push_str(filled(i).unwrap_or("")),
        }
    }
    out.trim().to_string()
}

/// A quote as written in a report: on one line (runs of white space become one space) and,
/// with `max_words`, cut after that many words, marked with ` …` when `ellipsis` is set.
pub fn quote_text(text: &str, max_words: Option<usize>, ellipsis: bool) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    match max_words {
        Some(n) if words.len() > n => {
            let mut out = words[..n].join(" ");
            if ellipsis {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push('…');
            }
            out
        }
        _ => words.join(" "),
    }
}

/// What the options form previews: the first coding of the chosen codes and sources whose
/// speaker is not left out (or, when there is none, the project's first coding), as a trimmed
/// quote and its attribution.
pub fn preview(project: &Project, options: &super::ReportOptions) -> Option<(String, String)> {
    let attributor = Attributor::new(project, &options.attribution);
    let first = project
        .sources
        .iter()
        .filter(|s| options.sources.is_empty() || options.sources.contains(&s.id))
        .flat_map(|s| project.codings_of(s.id).iter().map(move |c| (s, c)))
        .find(|(s, c)| {
            let speaker = crate::speakers::coding_speaker(s, c);
            (options.codes.is_empty() || options.codes.contains(&c.code))
                && !speaker.is_some_and(|name| {
                    options
                        .exclude_speakers
                        .iter()
                        .any(|x| crate::speakers::same_speaker(x, name))
                })
        })
        .map(|(_, c)| c)
        .or_else(|| project.all_codings().next())?;
    let quote = quote_text(
        project.coded_text(first),
        options.max_words,
        options.ellipsis,
    );
    Some((quote, attributor.attribute(first).text))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<Part> {
        use crate::IdSource;
        Template::parse(
            &Project::new(crate::SeqIds::new(1).project_id(), "p", 0),
            text,
        )
        .parts
    }

    fn filled(template: &str, values: &[&str]) -> String {
        let parts = parts(template);
        let mut given = values.iter();
        let values: Vec<Option<String>> = parts
            .iter()
            .map(|p| match p {
                Part::Field(_) => given.next().map(|v| v.to_string()),
                Part::Text(_) => None,
            })
            .collect();
        fill(&parts, &values)
    }

    #[test]
    fn empty_fields_take_their_separator_with_them() {
        let t = "({case}, {role}, {site})";
        assert_eq!(
            filled(t, &["P12", "ARRS staff", "Site 3"]),
            "(P12, ARRS staff, Site 3)"
        );
        assert_eq!(filled(t, &["P12", "", "Site 3"]), "(P12, Site 3)");
        assert_eq!(filled(t, &["P12", "ARRS staff", ""]), "(P12, ARRS staff)");
        assert_eq!(
            filled(t, &["", "ARRS staff", "Site 3"]),
            "(ARRS staff, Site 3)"
        );
        assert_eq!(filled(t, &["", "", "Site 3"]), "(Site 3)");
        assert_eq!(filled(t, &["", "", ""]), "");
        assert_eq!(filled("— {case}", &["P1"]), "— P1");
        assert_eq!(filled("[{case} · {role}]", &["P1", ""]), "[P1]");
    }

    #[test]
    fn braces_without_partner_are_text() {
        assert_eq!(filled("{case", &[]), "{case");
        assert_eq!(filled("{{case}", &["P1"]), "{P1");
        assert_eq!(filled("a}b", &[]), "a}b");
    }

    #[test]
    fn quotes_are_cut_at_whole_words() {
        let text = "  We never\n had the   rooms for them. ";
        assert_eq!(
            quote_text(text, None, true),
            "We never had the rooms for them."
        );
        assert_eq!(quote_text(text, Some(3), true), "We never had …");
        assert_eq!(quote_text(text, Some(3), false), "We never had");
        assert_eq!(
            quote_text(text, Some(7), true),
            "We never had the rooms for them."
        );
        assert_eq!(quote_text(text, Some(0), true), "…");
    }
}
