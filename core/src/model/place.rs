//! Places in a project where a researcher's or participant's words live (source text, speaker
//! names, names, memos, summaries, attribute values…), as pseudonymisation finds and replaces
//! real names in them ([`crate::pseudonym`], [`crate::Action::ReplaceNames`]), and how its
//! preview groups them.

use crate::ids::{AnnotationId, AttributeId, CaseId, CodeId, MatrixId, QueryId, SetId, SourceId};
use crate::model::project::{Project, Source};
use crate::words::count;

/// A place in a project where a real name can live.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Place {
    /// The project's name.
    ProjectName,
    /// The project memo.
    ProjectMemo,
    /// A source's name.
    SourceName(SourceId),
    /// The name of the file a source came from ("Interview_JohnSmith.docx").
    SourceFile(SourceId),
    /// A source's text.
    SourceText(SourceId),
    /// A speaker of a source: every turn with exactly this label.
    Speaker {
        /// The source.
        source: SourceId,
        /// The speaker's label as it is now.
        speaker: String,
    },
    /// A source's memo.
    SourceMemo(SourceId),
    /// A code's name (in vivo codes are participants' words).
    CodeName(CodeId),
    /// A code's description.
    CodeDescription(CodeId),
    /// A code's memo.
    CodeMemo(CodeId),
    /// A case's name.
    CaseName(CaseId),
    /// A case's memo.
    CaseMemo(CaseId),
    /// A text attribute value of a case.
    AttributeValue {
        /// The case.
        case: CaseId,
        /// The attribute.
        attribute: AttributeId,
    },
    /// A category of a category attribute (renamed in the list and in every case that has it).
    Category {
        /// The attribute.
        attribute: AttributeId,
        /// The category as it is now.
        value: String,
    },
    /// A matrix's name.
    MatrixName(MatrixId),
    /// A cell summary of a matrix.
    CellSummary {
        /// The matrix.
        matrix: MatrixId,
        /// The row.
        case: CaseId,
        /// The column.
        code: CodeId,
    },
    /// A case summary of a matrix.
    CaseSummary {
        /// The matrix.
        matrix: MatrixId,
        /// The row.
        case: CaseId,
    },
    /// A set's (theme's) name.
    SetName(SetId),
    /// A set's (theme's) description.
    SetDescription(SetId),
    /// A saved search's name.
    QueryName(QueryId),
    /// What a saved search looks for (a name searched for is a name).
    QueryText(QueryId),
    /// The text of an annotation (a comment on a passage or a coding).
    Annotation(AnnotationId),
}

/// How the preview groups places.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Group {
    /// Source text.
    SourceText,
    /// Speaker names of turns.
    Speakers,
    /// Source names and file names.
    SourceNames,
    /// Case names.
    CaseNames,
    /// Code names and descriptions.
    Codes,
    /// Memos of every kind.
    Memos,
    /// Matrix cell and case summaries.
    Summaries,
    /// Attribute values.
    AttributeValues,
    /// Set and theme names and descriptions.
    Sets,
    /// The project's and matrices' names, saved searches.
    Names,
}

impl Group {
    /// Every group, in preview order.
    pub const ALL: [Group; 10] = [
        Self::SourceText,
        Self::Speakers,
        Self::SourceNames,
        Self::CaseNames,
        Self::Codes,
        Self::Memos,
        Self::Summaries,
        Self::AttributeValues,
        Self::Sets,
        Self::Names,
    ];
    /// The researcher's words for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::SourceText => "Source text",
            Self::Speakers => "Speakers",
            Self::SourceNames => "Source names",
            Self::CaseNames => "Case names",
            Self::Codes => "Codes",
            Self::Memos => "Memos",
            Self::Summaries => "Summaries",
            Self::AttributeValues => "Attribute values",
            Self::Sets => "Sets and themes",
            Self::Names => "Project, matrix and saved search names",
        }
    }
}

impl Place {
    /// The preview group of this place.
    pub fn group(&self) -> Group {
        match self {
            Self::SourceText(_) => Group::SourceText,
            Self::Speaker { .. } => Group::Speakers,
            Self::SourceName(_) | Self::SourceFile(_) => Group::SourceNames,
            Self::CaseName(_) => Group::CaseNames,
            Self::CodeName(_) | Self::CodeDescription(_) => Group::Codes,
            Self::ProjectMemo
            | Self::SourceMemo(_)
            | Self::CodeMemo(_)
            | Self::CaseMemo(_)
            | Self::Annotation(_) => Group::Memos,
            Self::CellSummary { .. } | Self::CaseSummary { .. } => Group::Summaries,
            Self::AttributeValue { .. } | Self::Category { .. } => Group::AttributeValues,
            Self::SetName(_) | Self::SetDescription(_) => Group::Sets,
            Self::ProjectName | Self::MatrixName(_) | Self::QueryName(_) | Self::QueryText(_) => {
                Group::Names
            }
        }
    }

    /// The source this place belongs to, if any.
    pub fn source(&self) -> Option<SourceId> {
        match self {
            Self::SourceName(s)
            | Self::SourceFile(s)
            | Self::SourceText(s)
            | Self::SourceMemo(s) => Some(*s),
            Self::Speaker { source, .. } => Some(*source),
            _ => None,
        }
    }

    /// The place in words, naming what it belongs to ("memo of code “Trust”").
    pub fn describe(&self, project: &Project) -> String {
        let source = |id: &SourceId| {
            project
                .source(*id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let code = |id: &CodeId| {
            project
                .code(*id)
                .map_or_else(|| id.to_string(), |_| project.code_path(*id))
        };
        let case = |id: &CaseId| {
            project
                .case(*id)
                .map_or_else(|| id.to_string(), |c| c.name.clone())
        };
        let matrix = |id: &MatrixId| {
            project
                .matrix(*id)
                .map_or_else(|| id.to_string(), |m| m.name.clone())
        };
        let set = |id: &SetId| {
            project
                .set(*id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let query = |id: &QueryId| {
            project
                .query(*id)
                .map_or_else(|| id.to_string(), |q| q.name.clone())
        };
        let attribute = |id: &AttributeId| {
            project
                .attribute(*id)
                .map_or_else(|| id.to_string(), |a| a.name.clone())
        };
        match self {
            Self::ProjectName => "project name".into(),
            Self::ProjectMemo => "project memo".into(),
            Self::SourceName(s) => format!("name of source “{}”", source(s)),
            Self::SourceFile(s) => format!("file name of source “{}”", source(s)),
            Self::SourceText(s) => format!("text of source “{}”", source(s)),
            Self::Speaker { source: s, speaker } => {
                let turns = project.source(*s).map_or(0, |src| turns_of(src, speaker));
                format!(
                    "speaker “{speaker}” in source “{}” ({})",
                    source(s),
                    count(turns, "turn", "turns")
                )
            }
            Self::SourceMemo(s) => format!("memo of source “{}”", source(s)),
            Self::CodeName(c) => format!("name of code “{}”", code(c)),
            Self::CodeDescription(c) => format!("description of code “{}”", code(c)),
            Self::CodeMemo(c) => format!("memo of code “{}”", code(c)),
            Self::CaseName(c) => format!("name of case “{}”", case(c)),
            Self::CaseMemo(c) => format!("memo of case “{}”", case(c)),
            Self::AttributeValue {
                case: c,
                attribute: a,
            } => format!("“{}” of case “{}”", attribute(a), case(c)),
            Self::Category {
                attribute: a,
                value,
            } => format!("category “{value}” of attribute “{}”", attribute(a)),
            Self::MatrixName(m) => format!("name of matrix “{}”", matrix(m)),
            Self::CellSummary {
                matrix: m,
                case: c,
                code: k,
            } => format!(
                "cell summary {} × {} in matrix “{}”",
                case(c),
                code(k),
                matrix(m)
            ),
            Self::CaseSummary { matrix: m, case: c } => {
                format!("case summary of {} in matrix “{}”", case(c), matrix(m))
            }
            Self::SetName(s) => format!("name of set “{}”", set(s)),
            Self::SetDescription(s) => format!("description of set “{}”", set(s)),
            Self::QueryName(q) => format!("name of saved search “{}”", query(q)),
            Self::QueryText(q) => format!("words of saved search “{}”", query(q)),
            Self::Annotation(a) => match project.annotation(*a) {
                Some(a) => format!("annotation in source “{}”", source(&a.source)),
                None => format!("annotation {a}"),
            },
        }
    }
}

impl Place {
    /// The place written as one line of text, read back by [`Place::from_code`]: how a plan
    /// travels from the worker to the page (`crate::pseudonym::shown::flat_edits`) without the
    /// enum's own decoder. A tag, then the ids, then the one free text (a speaker, a category)
    /// last, separated by `/`.
    pub fn code(&self) -> String {
        match self {
            Self::ProjectName => "pn".into(),
            Self::ProjectMemo => "pm".into(),
            Self::SourceName(s) => format!("sn/{s}"),
            Self::SourceFile(s) => format!("sf/{s}"),
            Self::SourceText(s) => format!("st/{s}"),
            Self::Speaker { source, speaker } => format!("sp/{source}/{speaker}"),
            Self::SourceMemo(s) => format!("sm/{s}"),
            Self::CodeName(c) => format!("kn/{c}"),
            Self::CodeDescription(c) => format!("kd/{c}"),
            Self::CodeMemo(c) => format!("km/{c}"),
            Self::CaseName(c) => format!("cn/{c}"),
            Self::CaseMemo(c) => format!("cm/{c}"),
            Self::AttributeValue { case, attribute } => format!("av/{case}/{attribute}"),
            Self::Category { attribute, value } => format!("ca/{attribute}/{value}"),
            Self::MatrixName(m) => format!("mn/{m}"),
            Self::CellSummary { matrix, case, code } => format!("ms/{matrix}/{case}/{code}"),
            Self::CaseSummary { matrix, case } => format!("mc/{matrix}/{case}"),
            Self::SetName(s) => format!("en/{s}"),
            Self::SetDescription(s) => format!("ed/{s}"),
            Self::QueryName(q) => format!("qn/{q}"),
            Self::QueryText(q) => format!("qt/{q}"),
            Self::Annotation(a) => format!("an/{a}"),
        }
    }

    /// The place [`Place::code`] wrote; `None` for any other text.
    pub fn from_code(code: &str) -> Option<Place> {
        let (tag, rest) = code.split_once('/').unwrap_or((code, ""));
        // A free text comes last and may hold `/` itself.
        let fields: Vec<&str> = rest
            .splitn(if matches!(tag, "sp" | "ca") { 2 } else { 3 }, '/')
            .collect();
        let id = |i: usize| uuid_at(&fields, i);
        let text = || fields.get(1).map(|f| f.to_string());
        Some(match tag {
            "pn" => Self::ProjectName,
            "pm" => Self::ProjectMemo,
            "sn" => Self::SourceName(SourceId(id(0)?)),
            "sf" => Self::SourceFile(SourceId(id(0)?)),
            "st" => Self::SourceText(SourceId(id(0)?)),
            "sp" => Self::Speaker {
                source: SourceId(id(0)?),
                speaker: text()?,
            },
            "sm" => Self::SourceMemo(SourceId(id(0)?)),
            "kn" => Self::CodeName(CodeId(id(0)?)),
            "kd" => Self::CodeDescription(CodeId(id(0)?)),
            "km" => Self::CodeMemo(CodeId(id(0)?)),
            "cn" => Self::CaseName(CaseId(id(0)?)),
            "cm" => Self::CaseMemo(CaseId(id(0)?)),
            "av" => Self::AttributeValue {
                case: CaseId(id(0)?),
                attribute: AttributeId(id(1)?),
            },
            "ca" => Self::Category {
                attribute: AttributeId(id(0)?),
                value: text()?,
            },
            "mn" => Self::MatrixName(MatrixId(id(0)?)),
            "ms" => Self::CellSummary {
                matrix: MatrixId(id(0)?),
                case: CaseId(id(1)?),
                code: CodeId(id(2)?),
            },
            "mc" => Self::CaseSummary {
                matrix: MatrixId(id(0)?),
                case: CaseId(id(1)?),
            },
            "en" => Self::SetName(SetId(id(0)?)),
            "ed" => Self::SetDescription(SetId(id(0)?)),
            "qn" => Self::QueryName(QueryId(id(0)?)),
            "qt" => Self::QueryText(QueryId(id(0)?)),
            "an" => Self::Annotation(AnnotationId(id(0)?)),
            _ => return None,
        })
    }
}

/// The id in `fields[i]` (kept out of line: [`Place::from_code`] runs in the page).
#[inline(never)]
fn uuid_at(fields: &[&str], i: usize) -> Option<uuid::Uuid> {
    fields.get(i).and_then(|f| uuid::Uuid::parse_str(f).ok())
}

/// How many turns of `source` have exactly this speaker label.
pub(crate) fn turns_of(source: &Source, speaker: &str) -> usize {
    source
        .turns
        .iter()
        .filter(|t| t.speaker.as_deref() == Some(speaker))
        .count()
}
