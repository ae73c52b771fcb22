//! The workbench's UI state (what the researcher looks at, not the project): one reducer, so
//! every change of place, selection or dialog is one [`UiAction`], and at most one [`Dialog`]
//! is open at a time.

use super::coders::CoderView;
use crate::components::import::ImportBatch;
use crate::components::reader::{FocusRequest, TextSelection};
use crate::components::search::LastSearch;
use framewise_core::{CaseId, CodeId, CodingId, MatrixId, SourceId, Span};
use std::rc::Rc;
use yew::Reducible;

/// What the middle pane shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    /// The reading view of the open source.
    Read,
    /// Every coded segment of a code.
    Retrieve(CodeId),
    /// The case table (with this case active, for the address).
    Cases(Option<CaseId>),
    /// Framework matrices (the one named, else the first or the last one looked at).
    Matrices(Option<MatrixId>),
    /// Themes and sets.
    Themes,
    /// Text search over the sources.
    Search,
    /// Crosstabs and code co-occurrence.
    Crosstab,
    /// Agreement between coders.
    Agreement,
    /// Charts.
    Charts,
    /// Reports.
    Reports,
    /// Every memo and annotation.
    Memos,
}

impl View {
    /// The tab this view belongs to (the retrieval of a code belongs to Reading).
    pub fn tab(self) -> Tab {
        match self {
            View::Read | View::Retrieve(_) => Tab::Reading,
            View::Cases(_) => Tab::Cases,
            View::Matrices(_) => Tab::Matrices,
            View::Themes => Tab::Themes,
            View::Search => Tab::Search,
            View::Crosstab => Tab::Crosstab,
            View::Agreement => Tab::Agreement,
            View::Charts => Tab::Charts,
            View::Reports => Tab::Reports,
            View::Memos => Tab::Memos,
        }
    }
}

/// The view tabs above the middle pane.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    /// Reading (and retrieval).
    Reading,
    /// The case table.
    Cases,
    /// Framework matrices.
    Matrices,
    /// Themes and sets.
    Themes,
    /// Text search.
    Search,
    /// Crosstabs and code co-occurrence.
    Crosstab,
    /// Agreement between coders.
    Agreement,
    /// Charts.
    Charts,
    /// Reports.
    Reports,
    /// The memo list.
    Memos,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 10] = [
        Tab::Reading,
        Tab::Cases,
        Tab::Matrices,
        Tab::Themes,
        Tab::Search,
        Tab::Crosstab,
        Tab::Agreement,
        Tab::Charts,
        Tab::Reports,
        Tab::Memos,
    ];
    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Reading => "Reading",
            Tab::Cases => "Cases",
            Tab::Matrices => "Matrices",
            Tab::Themes => "Themes",
            Tab::Search => "Search",
            Tab::Crosstab => "Crosstabs",
            Tab::Agreement => "Agreement",
            Tab::Charts => "Charts",
            Tab::Reports => "Reports",
            Tab::Memos => "Memos",
        }
    }
    /// The view the tab opens.
    pub fn view(self) -> View {
        match self {
            Tab::Reading => View::Read,
            Tab::Cases => View::Cases(None),
            Tab::Matrices => View::Matrices(None),
            Tab::Themes => View::Themes,
            Tab::Search => View::Search,
            Tab::Crosstab => View::Crosstab,
            Tab::Agreement => View::Agreement,
            Tab::Charts => View::Charts,
            Tab::Reports => View::Reports,
            Tab::Memos => View::Memos,
        }
    }
}

/// A coding waiting for the coder's name.
#[derive(Clone, PartialEq, Debug)]
pub enum Pending {
    /// Apply an existing code.
    Apply(CodeId),
    /// Create a code of this name (or reuse one of the same name) and apply it.
    Create(String),
    /// The selected words become a new code.
    InVivo,
}

/// The one dialog (or popup panel) open over the workbench.
#[derive(Clone, PartialEq, Debug)]
pub enum Dialog {
    /// The undo history panel.
    History,
    /// Keyboard shortcuts.
    Help,
    /// The project memo.
    ProjectMemo,
    /// "Remove source?" for this source.
    RemoveSource(SourceId),
    /// The pseudonymisation dialog.
    Pseudonyms,
    /// "Who is coding?", then this coding.
    Coder(Pending),
    /// The active coder and whose codings are shown.
    Coders,
    /// "Save a copy to hand over" (parts left out, encrypted).
    Share,
    /// Import progress and results.
    Import(ImportBatch),
    /// "Annotate": a new annotation of this passage (of this coding, if given).
    Annotate(SourceId, Span, Option<CodingId>),
}

/// A side panel of the workbench.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    /// The sources pane (left).
    Sources,
    /// The codebook pane (right).
    Codebook,
}

/// Which side panels are open, for the reading views (reading, retrieval) and for the wide
/// views (cases, matrices, themes, search), which start with both collapsed so the table or grid has
/// the full width. Remembered per project in `localStorage`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Panels {
    /// Reading views: `[sources, codebook]` open.
    pub reading: [bool; 2],
    /// Wide views: `[sources, codebook]` open.
    pub wide: [bool; 2],
}

impl Default for Panels {
    fn default() -> Self {
        Self {
            reading: [true, true],
            wide: [false, false],
        }
    }
}

impl Panels {
    fn slot(&mut self, view: View) -> &mut [bool; 2] {
        match view.tab() {
            Tab::Reading => &mut self.reading,
            _ => &mut self.wide,
        }
    }
    /// Whether `side` is open in `view`.
    pub fn is_open(mut self, view: View, side: Side) -> bool {
        self.slot(view)[side as usize]
    }
    /// As kept in `localStorage`: `reading=11;wide=00` (1 = open).
    pub fn to_text(self) -> String {
        let bits = |b: [bool; 2]| format!("{}{}", u8::from(b[0]), u8::from(b[1]));
        format!("reading={};wide={}", bits(self.reading), bits(self.wide))
    }
    /// Reads [`Panels::to_text`]; anything else gives the defaults.
    pub fn parse(text: &str) -> Self {
        let mut panels = Self::default();
        for part in text.split(';') {
            let Some((key, value)) = part.split_once('=') else {
                continue;
            };
            let mut chars = value.chars();
            let (Some(a), Some(b)) = (chars.next(), chars.next()) else {
                continue;
            };
            let bits = [a == '1', b == '1'];
            match key {
                "reading" => panels.reading = bits,
                "wide" => panels.wide = bits,
                _ => {}
            }
        }
        panels
    }
}

/// The position of the "Codings here" popover: byte offset clicked, viewport x and y.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Popover {
    /// Byte offset of the click in the source.
    pub offset: usize,
    /// Viewport x.
    pub x: f64,
    /// Viewport y.
    pub y: f64,
}

/// Everything the workbench shows that is not the project itself.
#[derive(Clone, PartialEq, Debug)]
pub struct Ui {
    /// What the middle pane shows.
    pub view: View,
    /// The open source (reading view).
    pub source: Option<SourceId>,
    /// The text selected in the reading view: the code picker's target.
    pub selection: Option<TextSelection>,
    /// Increases when the picker should take keyboard focus.
    pub picker_focus: u32,
    /// The "Codings here" popover.
    pub popover: Option<Popover>,
    /// The coding outlined in the reading view.
    pub selected_coding: Option<CodingId>,
    /// The code selected in the codebook.
    pub selected_code: Option<CodeId>,
    /// The passage to scroll to and flash.
    pub focus: Option<FocusRequest>,
    /// Recently applied codes, most recent first (at most 8).
    pub recent: Rc<Vec<CodeId>>,
    /// The open dialog, if any.
    pub dialog: Option<Dialog>,
    /// The source whose text is being edited.
    pub editing: Option<SourceId>,
    /// Which side panels are open.
    pub panels: Panels,
    /// Files are dragged over the window.
    pub drag_over: bool,
    /// Sources just imported into a project with a pseudonymisation key: offered the key once
    /// the import dialog is closed.
    pub key_offer: Rc<Vec<SourceId>>,
    /// The last search and its results, shown again when the researcher comes back to Search
    /// (after opening a hit, say). Written by the Search view without re-rendering the
    /// workbench (a search's answer repaints only the view).
    pub last_search: LastSearchCell,
    /// The reading view's find bar: 0 when closed, else bumped by each Ctrl+F (which focuses it).
    pub finding: u32,
    /// Whose codings are shown (reading view, retrieval, matrix counts).
    pub coders: CoderView,
}

/// Where the Search view keeps its last answered search (one cell per open project; equal
/// only to itself).
#[derive(Clone, Default, Debug)]
pub struct LastSearchCell(Rc<std::cell::RefCell<Option<Rc<LastSearch>>>>);

impl PartialEq for LastSearchCell {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl LastSearchCell {
    /// The last search answered, if any.
    pub fn get(&self) -> Option<Rc<LastSearch>> {
        self.0.borrow().clone()
    }
    /// Remembers `last`.
    pub fn set(&self, last: Rc<LastSearch>) {
        *self.0.borrow_mut() = Some(last);
    }
}

impl Ui {
    /// The state of a freshly opened project: its first source in the reading view.
    pub fn new(first_source: Option<SourceId>) -> Self {
        Self {
            view: View::Read,
            source: first_source,
            selection: None,
            picker_focus: 0,
            popover: None,
            selected_coding: None,
            selected_code: None,
            focus: None,
            recent: Rc::new(Vec::new()),
            dialog: None,
            editing: None,
            panels: Panels::default(),
            drag_over: false,
            key_offer: Rc::new(Vec::new()),
            last_search: LastSearchCell::default(),
            finding: 0,
            coders: CoderView::default(),
        }
    }
}

/// A change of the UI state.
#[derive(Debug)]
pub enum UiAction {
    /// Open a source in the reading view.
    OpenSource(SourceId),
    /// Open a source scrolled to a passage, highlighted.
    OpenPassage(SourceId, Span),
    /// Show another view (keeps the open source).
    Show(View),
    /// The reader's selection changed (a new selection always replaces the picker's target).
    Select(Option<TextSelection>),
    /// Move keyboard focus into the picker.
    FocusPicker,
    /// A code was applied to the selection: it becomes the most recent, the picker closes.
    Applied(CodeId),
    /// Coded text was clicked: list the codings there.
    CodedClick(Popover),
    /// Close the "Codings here" popover.
    ClosePopover,
    /// Outline a coding.
    SelectCoding(CodingId),
    /// Select a code in the codebook.
    SelectCode(Option<CodeId>),
    /// Open the find bar of the reading view (or focus it again).
    Find,
    /// Close the find bar.
    CloseFind,
    /// Show the codings of these coders.
    ShowCoders(CoderView),
    /// The case table's active case (for the address).
    CaseShown(Option<CaseId>),
    /// The matrices view shows this matrix (for the address).
    MatrixShown(Option<MatrixId>),
    /// Open a dialog (closing any other).
    Open(Dialog),
    /// Open the dialog, or close it when it is the one open.
    Toggle(Dialog),
    /// Close the open dialog.
    CloseDialog,
    /// Import progress: shows the import dialog with this batch.
    ImportProgress(ImportBatch),
    /// Edit a source's text (or stop editing).
    Edit(Option<SourceId>),
    /// A new source was made to be written in: open and edit it.
    Created(SourceId),
    /// A source was removed: show `next` instead.
    Removed(Option<SourceId>),
    /// Show the first imported source when none was open.
    Imported(Option<SourceId>),
    /// Open or collapse a side panel (of the current kind of view).
    TogglePanel(Side),
    /// Offer the pseudonymisation key to these imported sources too.
    OfferKey(Vec<SourceId>),
    /// The key offer was answered.
    KeyOffered,
    /// Reading mode: collapse both side panels (of the current kind of view).
    ReadingMode,
    /// The panels as remembered for this project.
    SetPanels(Panels),
    /// Files dragged over the window (or not any more).
    DragOver(bool),
    /// Esc: close the popover, the picker and the non-modal panels.
    Escape,
    /// Go to a place named by the address (routes).
    Navigate {
        /// The view.
        view: View,
        /// The source to open, if named.
        source: Option<SourceId>,
        /// A passage to scroll to and highlight.
        passage: Option<Span>,
    },
}

impl Reducible for Ui {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut ui = (*self).clone();
        match action {
            UiAction::OpenSource(id) => {
                ui.source = Some(id);
                ui.view = View::Read;
                ui.selection = None;
                ui.popover = None;
                ui.focus = None;
            }
            UiAction::OpenPassage(id, span) => {
                ui.source = Some(id);
                ui.view = View::Read;
                ui.selection = None;
                ui.popover = None;
                ui.focus = Some(FocusRequest {
                    span,
                    nonce: ui.focus.map_or(1, |f| f.nonce.wrapping_add(1)),
                });
            }
            UiAction::Show(view) => {
                if view != View::Read {
                    ui.selection = None;
                    ui.popover = None;
                }
                if let View::Retrieve(code) = view {
                    ui.selected_code = Some(code);
                }
                ui.view = view;
            }
            UiAction::Select(selection) => {
                if selection.is_some() {
                    ui.popover = None;
                }
                ui.selection = selection;
            }
            UiAction::FocusPicker => {
                if ui.selection.is_some() {
                    ui.picker_focus = ui.picker_focus.wrapping_add(1);
                }
            }
            UiAction::Applied(code) => {
                let mut list: Vec<CodeId> =
                    ui.recent.iter().copied().filter(|c| *c != code).collect();
                list.insert(0, code);
                list.truncate(8);
                ui.recent = Rc::new(list);
                // The picker closes (it would cover the next lines) and the next selection
                // starts afresh.
                ui.selection = None;
            }
            UiAction::CodedClick(at) => ui.popover = Some(at),
            UiAction::ClosePopover => ui.popover = None,
            UiAction::SelectCoding(id) => ui.selected_coding = Some(id),
            UiAction::SelectCode(code) => ui.selected_code = code,
            UiAction::Find => ui.finding = ui.finding.wrapping_add(1).max(1),
            UiAction::CloseFind => ui.finding = 0,
            UiAction::ShowCoders(view) => ui.coders = view,
            UiAction::CaseShown(case) => {
                if let View::Cases(_) = ui.view {
                    ui.view = View::Cases(case);
                }
            }
            UiAction::MatrixShown(m) => {
                if let View::Matrices(_) = ui.view {
                    ui.view = View::Matrices(m);
                }
            }
            UiAction::Open(dialog) => ui.dialog = Some(dialog),
            UiAction::Toggle(dialog) => {
                ui.dialog = if ui.dialog.as_ref() == Some(&dialog) {
                    None
                } else {
                    Some(dialog)
                }
            }
            UiAction::CloseDialog => ui.dialog = None,
            UiAction::ImportProgress(batch) => ui.dialog = Some(Dialog::Import(batch)),
            UiAction::Edit(editing) => {
                ui.selection = None;
                ui.editing = editing;
            }
            UiAction::Created(id) => {
                ui.selection = None;
                ui.source = Some(id);
                ui.view = View::Read;
                ui.editing = Some(id);
            }
            UiAction::Removed(next) => {
                ui.source = next;
                ui.selection = None;
                ui.dialog = None;
            }
            UiAction::Imported(first) => {
                if ui.source.is_none() {
                    ui.source = first;
                }
            }
            UiAction::TogglePanel(side) => {
                let slot = ui.panels.slot(ui.view);
                slot[side as usize] = !slot[side as usize];
            }
            UiAction::OfferKey(ids) => {
                let mut list = (*ui.key_offer).clone();
                list.extend(ids);
                ui.key_offer = Rc::new(list);
            }
            UiAction::KeyOffered => ui.key_offer = Rc::new(Vec::new()),
            UiAction::ReadingMode => *ui.panels.slot(ui.view) = [false, false],
            UiAction::SetPanels(panels) => ui.panels = panels,
            UiAction::DragOver(over) => {
                if ui.drag_over == over {
                    return self;
                }
                ui.drag_over = over;
            }
            UiAction::Escape => {
                ui.popover = None;
                ui.selection = None;
                if matches!(ui.dialog, Some(Dialog::History | Dialog::Help)) {
                    ui.dialog = None;
                }
            }
            UiAction::Navigate {
                view,
                source,
                passage,
            } => {
                ui.view = view;
                if source.is_some() && source != ui.source {
                    ui.source = source;
                    ui.selection = None;
                    ui.editing = None;
                }
                if view != View::Read {
                    ui.selection = None;
                }
                ui.popover = None;
                if let View::Retrieve(code) = view {
                    ui.selected_code = Some(code);
                }
                if let (Some(span), Some(_)) = (passage, ui.source) {
                    ui.focus = Some(FocusRequest {
                        span,
                        nonce: ui.focus.map_or(1, |f| f.nonce.wrapping_add(1)),
                    });
                }
            }
        }
        if ui == *self {
            self
        } else {
            Rc::new(ui)
        }
    }
}
