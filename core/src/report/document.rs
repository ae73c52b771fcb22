//! A report as a document, before it is written in any format: headings, paragraphs, attributed
//! quotes and tables, plus the list that CSV and XLSX carry (segments, codes or memos). Every
//! text here is plain text; each writer escapes it for its format.

/// One block of a report, in reading order.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Block {
    /// A section heading; `level` 1 is the report's title, sections start at 2.
    Heading {
        /// 1 to 6.
        level: u8,
        /// The heading's text.
        text: String,
        /// A stable anchor, unique in the report (`s1`, `s2`, …): the HTML table of contents
        /// links to it.
        anchor: String,
    },
    /// A paragraph of plain text.
    Paragraph(String),
    /// A small note, e.g. "Deductive · 12 segments in 4 sources".
    Note(String),
    /// A labelled paragraph, e.g. "Definition: …" or "Memo: …".
    Labelled {
        /// The label, e.g. "Definition".
        label: String,
        /// The text (may hold line breaks).
        text: String,
    },
    /// An attributed quote.
    Quote(Quote),
    /// A table with a header row.
    Table(Table),
}

/// A quote and its attribution.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Quote {
    /// The quoted words, trimmed as the options say.
    pub text: String,
    /// E.g. `(P02, ARRS staff, urban)`; may be empty.
    pub attribution: String,
}

/// A table: caption, header and rows of plain text cells.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Table {
    /// What the table shows (a matrix's name).
    pub caption: String,
    /// The header row.
    pub header: Vec<String>,
    /// The body rows (each as long as the header).
    pub rows: Vec<Vec<String>>,
}

/// A built report.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Report {
    /// The title (the report kind and the project's name).
    pub title: String,
    /// A line under the title: what the report covers.
    pub subtitle: String,
    /// The body.
    pub blocks: Vec<Block>,
    /// The report as one list (every quote with where it comes from, the codebook's codes, or
    /// the memos): what CSV and the first XLSX sheet hold.
    pub list: Table,
}

impl Report {
    /// How many quotes the report holds.
    pub fn quote_count(&self) -> usize {
        self.blocks
            .iter()
            .filter(|b| matches!(b, Block::Quote(_)))
            .count()
    }

    /// The headings of levels 2 and 3 (what a table of contents lists).
    pub fn contents(&self) -> Vec<(u8, &str, &str)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading {
                    level,
                    text,
                    anchor,
                } if (2..=3).contains(level) => Some((*level, text.as_str(), anchor.as_str())),
                _ => None,
            })
            .collect()
    }

    /// The tables of the report's body.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}
