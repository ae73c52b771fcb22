//! Themes and sets: the output of thematic analysis. The codebook's top-level codes are shown as
//! themes (a top-level code whose children have children of their own is a meta-theme), each with
//! its description, its codes with counts, and a few example quotes; below, sets of codes that
//! cut across the tree, which the researcher creates, edits and deletes here.

use crate::components::codebook::counts_text;
use crate::components::dialog::Dialog;
use crate::state::{now, BrowserIds};
use framewise_core::sort::Gather;
use framewise_core::text::context_after;
use framewise_core::words;
use framewise_core::{
    Action, CodeCounts, CodeId, CodeSet, IdSource, Project, SetId, SourceId, Span,
};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Example quotes shown per theme or set.
pub const EXAMPLE_QUOTES: usize = 3;
/// Characters of an example quote shown before it is cut.
const QUOTE_CHARS: usize = 180;
/// Deepest level rendered (the core prevents cycles; this only bounds recursion).
const MAX_DEPTH: usize = 64;

/// Props of [`ThemesView`].
#[derive(Properties, PartialEq)]
pub struct ThemesViewProps {
    /// The project.
    pub project: Rc<Project>,
    /// Apply a change (one undo step).
    pub dispatch: Callback<Action>,
    /// Open a source scrolled to a passage, highlighted.
    pub on_open: Callback<(SourceId, Span)>,
    /// Show a message to the user.
    pub on_message: Callback<String>,
}

/// One example quote: where it is and what it says (shortened).
#[derive(Clone, PartialEq, Debug)]
pub struct Quote {
    /// The source.
    pub source: SourceId,
    /// The source's name.
    pub source_name: String,
    /// The coded span.
    pub span: Span,
    /// The coded text, cut at a word boundary.
    pub text: String,
}

/// The first `limit` codings of any of `codes`, in document order (sources in project order,
/// then by position), one quote per passage.
pub fn example_quotes(project: &Project, codes: &BTreeSet<CodeId>, limit: usize) -> Vec<Quote> {
    let mut out: Vec<Quote> = Vec::new();
    if codes.is_empty() {
        return out;
    }
    for source in &project.sources {
        for coding in project.codings_of(source.id) {
            if !codes.contains(&coding.code) {
                continue;
            }
            // Overlapping passages coded with two codes of the theme are one example.
            if out
                .last()
                .is_some_and(|q| q.source == source.id && q.span.overlaps(&coding.span))
            {
                continue;
            }
            let text = project.coded_text(coding);
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(Quote {
                source: source.id,
                source_name: source.name.clone(),
                span: coding.span,
                text: context_after(&text, 0, QUOTE_CHARS),
            });
            if out.len() >= limit {
                return out;
            }
        }
    }
    out
}

/// Codings and distinct sources of any of `codes` (a theme with all its codes).
fn total_counts(project: &Project, codes: &BTreeSet<CodeId>) -> CodeCounts {
    let mut total = CodeCounts::default();
    for list in project.codings.values() {
        let n = list.iter().filter(|c| codes.contains(&c.code)).count();
        total.codings += n;
        if n > 0 {
            total.sources += 1;
        }
    }
    total
}

/// True when some child of `id` has children: a meta-theme groups themes.
fn is_meta_theme(project: &Project, id: CodeId) -> bool {
    project
        .children(Some(id))
        .any(|c| project.children(Some(c.id)).next().is_some())
}

fn render_quotes(quotes: &[Quote], on_open: &Callback<(SourceId, Span)>, label: &str) -> Html {
    if quotes.is_empty() {
        return html! { <p class="hint">{"No coded passages yet."}</p> };
    }
    let items = quotes.iter().map(|q| {
        let onclick = {
            let on_open = on_open.clone();
            let at = (q.source, q.span);
            Callback::from(move |_: MouseEvent| on_open.emit(at))
        };
        html! {
            <li>
                // Named by what it shows (the quote and its source, WCAG 2.5.3); what it does is its title.
                <button class="quote" title={format!("Open {} at this passage", q.source_name)} {onclick}>
                    <span class="quote-text">{format!("“{}”", q.text)}</span>
                    <span class="quote-source">{&q.source_name}</span>
                </button>
            </li>
        }
    });
    html! { <ul class="quotes" aria-label={label.to_string()}>{for items}</ul> }
}

/// Child codes of `parent` with counts, nested.
fn render_codes(
    project: &Project,
    counts: &HashMap<CodeId, CodeCounts>,
    parent: CodeId,
    depth: usize,
) -> Html {
    if depth > MAX_DEPTH {
        return Html::default();
    }
    let items = project.children(Some(parent)).map(|c| {
        let n = counts.get(&c.id).copied().unwrap_or_default();
        let has_children = project.children(Some(c.id)).next().is_some();
        html! {
            <li key={c.id.to_string()}>
                <span class="theme-code">
                    <span class="swatch" style={format!("background:{}", c.color)}></span>
                    <span class="theme-code-name">{&c.name}</span>
                    <span class="theme-code-counts">{counts_text(n)}</span>
                </span>
                if has_children {
                    <ul>{render_codes(project, counts, c.id, depth + 1)}</ul>
                }
            </li>
        }
    });
    html! { {for items} }
}

/// A set being created or edited.
#[derive(Clone, PartialEq)]
enum Pending {
    /// New set (`None`) or edit of an existing one.
    Edit(Option<SetId>),
    /// Delete this set?
    Delete(SetId),
}

/// The view.
#[component]
pub fn ThemesView(props: &ThemesViewProps) -> Html {
    let project = props.project.clone();
    let counts = {
        let project = project.clone();
        use_memo(Rc::as_ptr(&props.project) as usize, move |_| {
            project.code_counts()
        })
    };
    let pending = use_state(|| None::<Pending>);

    let themes = project.children(None).map(|theme| {
        let codes = project.descendants_and_self(theme.id);
        let total = total_counts(&project, &codes);
        let quotes = example_quotes(&project, &codes, EXAMPLE_QUOTES);
        let meta = is_meta_theme(&project, theme.id);
        let has_children = project.children(Some(theme.id)).next().is_some();
        let heading_id = format!("theme-{}", theme.id);
        html! {
            <article class="theme-card" key={theme.id.to_string()} aria-labelledby={heading_id.clone()}>
                <header class="theme-head">
                    <span class="swatch" style={format!("background:{}", theme.color)}></span>
                    <h3 id={heading_id}>{&theme.name}</h3>
                    <span class={classes!("theme-kind", meta.then_some("meta"))}>{if meta { "Meta-theme" } else { "Theme" }}</span>
                    <span class="theme-counts">{counts_text(total)}</span>
                </header>
                if theme.description.trim().is_empty() {
                    <p class="hint">{"No description yet (add one in the codebook panel)."}</p>
                } else {
                    <p class="theme-description">{&theme.description}</p>
                }
                if has_children {
                    <ul class="theme-codes" aria-label={format!("Codes of {}", theme.name)}>
                        {render_codes(&project, &counts, theme.id, 0)}
                    </ul>
                }
                {render_quotes(&quotes, &props.on_open, &format!("Example quotes for {}", theme.name))}
            </article>
        }
    });

    let sets = project.sets.iter().map(|set| {
        let members: BTreeSet<CodeId> = set.codes.iter().copied().to_set();
        let total = total_counts(&project, &members);
        let quotes = example_quotes(&project, &members, EXAMPLE_QUOTES);
        let id = set.id;
        let edit = {
            let pending = pending.clone();
            Callback::from(move |_: MouseEvent| pending.set(Some(Pending::Edit(Some(id)))))
        };
        let delete = {
            let pending = pending.clone();
            Callback::from(move |_: MouseEvent| pending.set(Some(Pending::Delete(id))))
        };
        let codes = set.codes.iter().filter_map(|c| project.code(*c)).map(|c| {
            let n = counts.get(&c.id).copied().unwrap_or_default();
            html! {
                <li>
                    <span class="theme-code">
                        <span class="swatch" style={format!("background:{}", c.color)}></span>
                        <span class="theme-code-name">{project.code_path(c.id)}</span>
                        <span class="theme-code-counts">{counts_text(n)}</span>
                    </span>
                </li>
            }
        });
        let heading_id = format!("set-{id}");
        html! {
            <article class="theme-card set-card" key={id.to_string()} aria-labelledby={heading_id.clone()}>
                <header class="theme-head">
                    <h3 id={heading_id}>{&set.name}</h3>
                    <span class="theme-kind set">{"Set"}</span>
                    <span class="theme-counts">{counts_text(total)}</span>
                    <span class="theme-actions">
                        <button class="small" onclick={edit} aria-label={format!("Edit set {}", set.name)}>{"Edit…"}</button>
                        <button class="small danger" onclick={delete} aria-label={format!("Delete set {}", set.name)}>{"Delete…"}</button>
                    </span>
                </header>
                if !set.description.trim().is_empty() {
                    <p class="theme-description">{&set.description}</p>
                }
                if set.codes.is_empty() {
                    <p class="hint">{"No codes in this set yet."}</p>
                } else {
                    <ul class="theme-codes" aria-label={format!("Codes of {}", set.name)}>{for codes}</ul>
                }
                {render_quotes(&quotes, &props.on_open, &format!("Example quotes for {}", set.name))}
            </article>
        }
    });

    let new_set = {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| pending.set(Some(Pending::Edit(None))))
    };
    let close = {
        let pending = pending.clone();
        Callback::from(move |_: ()| pending.set(None))
    };
    let dialog = (*pending).clone().map(|p| match p {
        Pending::Edit(id) => {
            let set = id.and_then(|id| project.set(id)).cloned();
            if id.is_some() && set.is_none() {
                return Html::default();
            }
            html! {
                <SetDialog project={project.clone()} {set} dispatch={props.dispatch.clone()} on_close={close.clone()} />
            }
        }
        Pending::Delete(id) => {
            let Some(set) = project.set(id) else {
                return Html::default();
            };
            let confirm = {
                let dispatch = props.dispatch.clone();
                let close = close.clone();
                Callback::from(move |_: MouseEvent| {
                    dispatch.emit(Action::DeleteSet { id });
                    close.emit(());
                })
            };
            let cancel = {
                let close = close.clone();
                Callback::from(move |_: MouseEvent| close.emit(()))
            };
            html! {
                <Dialog title="Delete set" on_close={close.clone()}>
                    <p>{format!("Delete the set “{}”? Its {} stay in the codebook, with their codings.",
                        set.name, words::count(set.codes.len(), "code", "codes"))}</p>
                    <p class="hint">{"You can undo this with Ctrl+Z."}</p>
                    <div class="dialog-actions">
                        <button class="danger" onclick={confirm}>{"Delete set"}</button>
                        <button onclick={cancel}>{"Cancel"}</button>
                    </div>
                </Dialog>
            }
        }
    });

    html! {
        <section class="themes-view" aria-label="Themes">
            <div class="view-head">
                <h2>{"Themes"}</h2>
                <p class="hint">{"Top-level codes of the codebook are themes; a theme whose codes have codes of their own is a meta-theme. Arrange them in the codebook panel."}</p>
            </div>
            if project.codes.is_empty() {
                <p class="empty-state">{"No codes yet. Create codes in the codebook panel, then group them under top-level codes: those are your themes."}</p>
            } else {
                <div class="theme-list">{for themes}</div>
            }
            <div class="view-head sets-head">
                <h2>{"Sets"}</h2>
                <button onclick={new_set} disabled={project.codes.is_empty()}>{"New set…"}</button>
            </div>
            <p class="hint">{"A set groups codes from anywhere in the codebook, for a theme that cuts across the tree."}</p>
            if project.sets.is_empty() {
                <p class="empty-state">{"No sets yet."}</p>
            } else {
                <div class="theme-list">{for sets}</div>
            }
            {dialog.unwrap_or_default()}
        </section>
    }
}

/// Props of [`SetDialog`].
#[derive(Properties, PartialEq)]
struct SetDialogProps {
    project: Rc<Project>,
    /// The set edited, `None` for a new set.
    set: Option<CodeSet>,
    dispatch: Callback<Action>,
    on_close: Callback<()>,
}

/// Create or edit a set: name, description, and a checkbox tree of codes.
#[component]
fn SetDialog(props: &SetDialogProps) -> Html {
    let chosen = {
        let initial: Vec<CodeId> = props
            .set
            .as_ref()
            .map(|s| s.codes.clone())
            .unwrap_or_default();
        use_state(move || initial)
    };
    let error = use_state(|| None::<String>);
    let name_ref = use_node_ref();
    let description_ref = use_node_ref();
    {
        // Uncontrolled field: its initial text is set once.
        let name_ref = name_ref.clone();
        let name = props
            .set
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default();
        use_effect_with((), move |_| {
            if let Some(input) = name_ref.cast::<HtmlInputElement>() {
                input.set_value(&name);
            }
        });
    }
    let project = &props.project;

    // Codes in tree order with depth.
    let rows: Vec<(CodeId, usize)> = project.code_tree();

    let boxes = rows.iter().filter_map(|(id, depth)| {
        let code = project.code(*id)?;
        let id = *id;
        let checked = chosen.contains(&id);
        let onchange = {
            let chosen = chosen.clone();
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let mut next: Vec<CodeId> = (*chosen).clone();
                next.retain(|c| *c != id);
                if input.checked() {
                    next.push(id);
                }
                chosen.set(next);
            })
        };
        Some(html! {
            <li style={format!("--depth:{depth}")} key={id.to_string()}>
                <label class="check">
                    <input type="checkbox" {checked} {onchange} aria-label={project.code_path(id)} />
                    <span class="swatch" style={format!("background:{}", code.color)}></span>
                    {&code.name}
                </label>
            </li>
        })
    });

    let on_submit = {
        let project = props.project.clone();
        let chosen = chosen.clone();
        let set = props.set.clone();
        let dispatch = props.dispatch.clone();
        let on_close = props.on_close.clone();
        let error = error.clone();
        let name_ref = name_ref.clone();
        let description_ref = description_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = name_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            let description = description_ref
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            if name.is_empty() {
                error.set(Some("The set needs a name.".into()));
                return;
            }
            let taken = project.sets.iter().any(|s| {
                Some(s.id) != set.as_ref().map(|x| x.id) && s.name.eq_ignore_ascii_case(&name)
            });
            if taken {
                error.set(Some(format!("There is already a set named “{name}”.")));
                return;
            }
            // Members in codebook (tree) order, so the set reads like the codebook.
            let order = crate::components::picker::tree_order(&project);
            let codes: Vec<CodeId> = order.into_iter().filter(|c| chosen.contains(c)).collect();
            let action = match &set {
                Some(old) => Action::UpdateSet {
                    set: CodeSet {
                        name,
                        description,
                        codes,
                        ..old.clone()
                    },
                },
                None => Action::CreateSet {
                    set: CodeSet {
                        id: BrowserIds.set_id(),
                        name,
                        description,
                        codes,
                        created: now(),
                    },
                },
            };
            dispatch.emit(action);
            on_close.emit(());
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let editing = props.set.is_some();
    let title = if editing { "Edit set" } else { "New set" };
    let n = chosen.len();
    html! {
        <Dialog {title} on_close={props.on_close.clone()} class="set-dialog">
            <form onsubmit={on_submit}>
                <label>
                    {"Name"}
                    <input type="text" ref={name_ref} autofocus=true />
                </label>
                <label>
                    {"Description (what the theme says)"}
                    <textarea rows="3" ref={description_ref} defaultvalue={props.set.as_ref().map(|s| s.description.clone()).unwrap_or_default()} />
                </label>
                <fieldset class="set-codes">
                    <legend>{format!("Codes ({n} chosen)")}</legend>
                    <ul class="check-tree" aria-label="Codes in the set">{for boxes}</ul>
                </fieldset>
                if let Some(e) = &*error {
                    <p class="field-error" role="alert">{e}</p>
                }
                <div class="dialog-actions">
                    <button type="submit" class="primary">{if editing { "Save set" } else { "Create set" }}</button>
                    <button type="button" onclick={cancel}>{"Cancel"}</button>
                </div>
            </form>
        </Dialog>
    }
}
