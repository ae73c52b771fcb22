//! Cases — the units of analysis (sites, participants within them) — and their attributes
//! (typed case classifications such as `rurality: urban|rural|mixed`). Values are shown per case
//! only: a sub-case inherits nothing from its parent.

use crate::ids::{AttributeId, CaseId, SourceId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A case: a row of the framework matrix.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Case {
    /// Stable id.
    pub id: CaseId,
    /// Name, e.g. "Northgate PCN" or "P03".
    pub name: String,
    /// Parent case (a participant within a site), `None` at the top level.
    #[serde(default)]
    pub parent: Option<CaseId>,
    /// Sources that belong to this case, in link order.
    #[serde(default)]
    pub sources: Vec<SourceId>,
    /// The researcher's memo on this case.
    #[serde(default)]
    pub memo: String,
    /// Attribute values of this case (absent: no value).
    #[serde(default)]
    pub values: BTreeMap<AttributeId, AttrValue>,
    /// Speakers of sources who are this case (a participant in a group interview): the turns
    /// of `speaker` in `source` belong to this case even when the source as a whole does not.
    #[serde(default)]
    pub speakers: Vec<SpeakerLink>,
    /// When it was created.
    pub created: Timestamp,
}

/// A speaker of one source, linked to a case.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct SpeakerLink {
    /// The source.
    pub source: SourceId,
    /// The speaker's label as in the source's turns.
    pub speaker: String,
}

impl Case {
    /// A new top-level case named `name`, with no sources, values, speakers or memo.
    pub fn new(id: CaseId, name: impl Into<String>, created: Timestamp) -> Self {
        Self {
            id,
            name: name.into(),
            parent: None,
            sources: Vec::new(),
            memo: String::new(),
            values: BTreeMap::new(),
            speakers: Vec::new(),
            created,
        }
    }
}

/// The type of an attribute.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "values", rename_all = "snake_case")]
pub enum AttributeKind {
    /// Free text.
    Text,
    /// A number (integer or decimal).
    Number,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// Yes or no.
    YesNo,
    /// One of a fixed list of values, in this order.
    Category(Vec<String>),
}

impl AttributeKind {
    /// The researcher's word for the type.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Text => "Text",
            Self::Number => "Number",
            Self::Date => "Date",
            Self::YesNo => "Yes/no",
            Self::Category(_) => "Category",
        }
    }

    /// Stable key of the type, used in saved files and form values (`text`, `number`, `date`,
    /// `yes_no`, `category`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::YesNo => "yes_no",
            Self::Category(_) => "category",
        }
    }
}

/// A case attribute (variable).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Attribute {
    /// Stable id.
    pub id: AttributeId,
    /// Name, e.g. "rurality".
    pub name: String,
    /// Its type.
    pub kind: AttributeKind,
}

/// One attribute value of one case.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AttrValue {
    /// Free text.
    Text(String),
    /// A number.
    Number(f64),
    /// A date, `YYYY-MM-DD`.
    Date(String),
    /// Yes or no.
    YesNo(bool),
    /// One of the attribute's categories.
    Category(String),
}

/// Numbers are always finite (`parse` and `fits` refuse NaN and infinities), so equality is
/// reflexive and values can be `Eq`, which lets a whole `Project` be compared by pointer first.
impl Eq for AttrValue {}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(t) | Self::Date(t) | Self::Category(t) => f.write_str(t),
            Self::Number(n) => write!(f, "{n}"),
            Self::YesNo(true) => f.write_str("yes"),
            Self::YesNo(false) => f.write_str("no"),
        }
    }
}

/// True for `YYYY-MM-DD` with a plausible month and day.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return false;
    }
    let num = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    matches!(
        (num(parts[0]), num(parts[1]), num(parts[2])),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

impl AttrValue {
    /// Reads a value typed or pasted by the researcher, for an attribute of `kind`. Empty text
    /// means "no value" (`Ok(None)`); anything that does not fit the type is an error sentence.
    pub fn parse(kind: &AttributeKind, text: &str) -> Result<Option<AttrValue>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match kind {
            AttributeKind::Text => Ok(Some(Self::Text(text.to_string()))),
            AttributeKind::Number => text
                .replace(',', "")
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|n| Some(Self::Number(n)))
                .ok_or_else(|| format!("“{text}” is not a number")),
            AttributeKind::Date => {
                if is_date(text) {
                    Ok(Some(Self::Date(text.to_string())))
                } else {
                    Err(format!("“{text}” is not a date like 2026-03-31"))
                }
            }
            AttributeKind::YesNo => match text.to_lowercase().as_str() {
                "yes" | "y" | "true" | "1" => Ok(Some(Self::YesNo(true))),
                "no" | "n" | "false" | "0" => Ok(Some(Self::YesNo(false))),
                _ => Err(format!("“{text}” is not yes or no")),
            },
            AttributeKind::Category(values) => values
                .iter()
                .find(|v| v.eq_ignore_ascii_case(text))
                .map(|v| Some(Self::Category(v.clone())))
                .ok_or_else(|| format!("“{text}” is not one of: {}", values.join(", "))),
        }
    }

    /// True when this value fits an attribute of `kind`.
    pub fn fits(&self, kind: &AttributeKind) -> bool {
        match (self, kind) {
            (Self::Number(n), AttributeKind::Number) => n.is_finite(),
            (Self::Text(_), AttributeKind::Text) | (Self::YesNo(_), AttributeKind::YesNo) => true,
            (Self::Date(d), AttributeKind::Date) => is_date(d),
            (Self::Category(c), AttributeKind::Category(values)) => values.contains(c),
            _ => false,
        }
    }
}
