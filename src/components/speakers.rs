//! Speakers in the side panels: the speakers of a source with a case select each (link a
//! participant of a group interview to their case, or make a new case for them in one step),
//! and the matrix's "leave out speakers" control.

use crate::state::{now, BrowserIds};
use framewise_core::matrix::case_tree_order;
use framewise_core::sort::Gather;
use framewise_core::speakers::{project_speakers, same_speaker, speaker_key, speakers_of};
use framewise_core::{Action, Case, CaseId, IdSource, MatrixId, Project, SourceId};
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Value of the "New case…" option.
const NEW_CASE: &str = "new";

/// Props of [`SourceSpeakers`].
#[derive(Properties, PartialEq)]
pub struct SourceSpeakersProps {
    /// The project.
    pub project: Rc<Project>,
    /// The source whose speakers are listed.
    pub source: SourceId,
    /// Dispatches changes.
    pub dispatch: Callback<Action>,
}

/// The case a speaker of `source` is linked to, if any.
fn linked_case(project: &Project, source: SourceId, speaker: &str) -> Option<CaseId> {
    project
        .cases
        .iter()
        .find(|c| {
            c.speakers
                .iter()
                .any(|l| l.source == source && same_speaker(&l.speaker, speaker))
        })
        .map(|c| c.id)
}

/// The action for choosing `value` in the case select of `speaker`: link to a case, unlink
/// (`""`), or create a case named after the speaker and link it (one undo step).
pub fn case_choice(
    project: &Project,
    source: SourceId,
    speaker: &str,
    value: &str,
    ids: &mut impl IdSource,
    created: framewise_core::Timestamp,
) -> Option<Action> {
    let current = linked_case(project, source, speaker);
    let unlink = current.map(|case| {
        let stored = project
            .case(case)
            .and_then(|c| {
                c.speakers
                    .iter()
                    .find(|l| l.source == source && same_speaker(&l.speaker, speaker))
            })
            .map(|l| l.speaker.clone())
            .unwrap_or_else(|| speaker.to_string());
        Action::UnlinkSpeaker {
            case,
            source,
            speaker: stored,
        }
    });
    match value {
        "" => unlink,
        NEW_CASE => {
            let case = Case::new(ids.case_id(), speaker.trim(), created);
            let id = case.id;
            let mut actions: Vec<Action> = unlink.into_iter().collect();
            actions.push(Action::AddCases { cases: vec![case] });
            actions.push(Action::LinkSpeaker {
                case: id,
                source,
                speaker: speaker.to_string(),
            });
            Some(Action::Batch {
                label: format!("New case {} for speaker", speaker.trim()),
                actions,
            })
        }
        other => {
            let case = CaseId::parse(other)?;
            if Some(case) == current {
                return None;
            }
            let mut actions: Vec<Action> = unlink.into_iter().collect();
            actions.push(Action::LinkSpeaker {
                case,
                source,
                speaker: speaker.to_string(),
            });
            Some(Action::Batch {
                label: format!("Link speaker {} to case", speaker.trim()),
                actions,
            })
        }
    }
}

/// Sources with more speakers than this show them folded ("Speakers in this source (N)"), each
/// speaker's controls written only once opened: every speaker has a case choice listing every
/// case and a correction listing the other speakers, so a long meeting record with dozens of
/// speakers in a study of 100 cases wrote ~4,000 elements each time it was opened.
const FOLD_SPEAKERS_OVER: usize = 8;

/// "Speakers in this source": each speaker with its turn count and the case it is linked to.
#[component]
pub fn SourceSpeakers(props: &SourceSpeakersProps) -> Html {
    let open = use_state(|| false);
    // Counting a 1.3 MB transcript's turns and characters takes milliseconds: only again when
    // the source itself changed (coding keeps the same `Arc<Source>`).
    let stats = {
        let source = props.project.source(props.source).cloned();
        let key = source.as_ref().map(|s| std::sync::Arc::as_ptr(s) as usize);
        use_memo(key, move |_| {
            source.map(|s| speakers_of(&s)).unwrap_or_default()
        })
    };
    let Some(source) = props.project.source(props.source) else {
        return html! {};
    };
    if stats.is_empty() {
        return html! {};
    }
    let many = stats.len() > FOLD_SPEAKERS_OVER;
    let heading = format!("Speakers in this source ({})", stats.len());
    let on_toggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::Element = e.target_unchecked_into();
            open.set(details.has_attribute("open"));
        })
    };
    if many && !*open {
        return html! {
            <section class="speakers-panel" aria-label="Speakers in this source">
                <details ontoggle={on_toggle}><summary>{heading}</summary></details>
            </section>
        };
    }
    let order = case_tree_order(&props.project);
    let items = stats.iter().map(|s| {
        let current = linked_case(&props.project, source.id, &s.name);
        let onchange = {
            let project = props.project.clone();
            let dispatch = props.dispatch.clone();
            let (source, speaker) = (source.id, s.name.clone());
            Callback::from(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                if let Some(action) =
                    case_choice(&project, source, &speaker, &select.value(), &mut BrowserIds, now())
                {
                    dispatch.emit(action);
                }
            })
        };
        let turns = if s.turns == 1 {
            "1 turn".to_string()
        } else {
            framewise_core::words::count(s.turns, "turn", "turns")
        };
        html! {
            <li key={speaker_key(&s.name)}>
                <span class="segment-speaker">{&s.name}</span>
                <span class="muted">{turns}</span>
                // Keyed by the linked case: a new link renders a fresh select, so the browser's
                // own choice ("New case…") never outlives the change it asked for.
                <select key={current.map(|c| c.to_string()).unwrap_or_default()} aria-label={format!("Case for {}", s.name)} {onchange}>
                    <option value="" selected={current.is_none()}>{"No case"}</option>
                    {for order.iter().filter_map(|id| props.project.case(*id)).map(|c| html! {
                        <option value={c.id.to_string()} selected={current == Some(c.id)}>{&c.name}</option>
                    })}
                    <option value={NEW_CASE}>{"New case…"}</option>
                </select>
                <SpeakerCorrection source={source.id} speaker={s.name.clone()}
                    others={stats.iter().filter(|o| !same_speaker(&o.name, &s.name)).map(|o| o.name.clone()).collect::<Vec<_>>()}
                    dispatch={props.dispatch.clone()} />
            </li>
        }
    });
    if many {
        return html! {
            <section class="speakers-panel" aria-label="Speakers in this source">
                <details open=true ontoggle={on_toggle}><summary>{heading}</summary><ul>{for items}</ul></details>
            </section>
        };
    }
    html! {
        <section class="speakers-panel" aria-label="Speakers in this source">
            <h3>{"Speakers in this source"}</h3>
            <ul>{for items}</ul>
        </section>
    }
}

/// Props of [`SpeakerCorrection`].
#[derive(Properties, PartialEq)]
pub struct SpeakerCorrectionProps {
    /// The source.
    pub source: SourceId,
    /// The speaker's label.
    pub speaker: String,
    /// The source's other speakers (to merge into).
    pub others: Vec<String>,
    /// Dispatches changes.
    pub dispatch: Callback<Action>,
}

/// Correcting a detected speaker: rename, merge into another speaker of the source, or "not a
/// speaker" (its turns rejoin the text before them). Each is one undo step.
#[component]
pub fn SpeakerCorrection(props: &SpeakerCorrectionProps) -> Html {
    let name = use_state(|| props.speaker.clone());
    let into = use_state(String::new);
    let (source, speaker) = (props.source, props.speaker.clone());
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            name.set(input.value());
        })
    };
    let rename = {
        let (dispatch, name, speaker) = (props.dispatch.clone(), name.clone(), speaker.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !name.trim().is_empty() && name.trim() != speaker.trim() {
                dispatch.emit(Action::RenameSpeaker {
                    source,
                    from: speaker.clone(),
                    to: name.trim().to_string(),
                });
            }
        })
    };
    let on_into = {
        let into = into.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            into.set(select.value());
        })
    };
    let merge = {
        let (dispatch, into, speaker) = (props.dispatch.clone(), into.clone(), speaker.clone());
        Callback::from(move |_: MouseEvent| {
            if !into.is_empty() {
                dispatch.emit(Action::MergeSpeakers {
                    source,
                    from: speaker.clone(),
                    into: (*into).clone(),
                });
            }
        })
    };
    let not_a_speaker = {
        let (dispatch, speaker) = (props.dispatch.clone(), speaker.clone());
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::NotASpeaker {
                source,
                speaker: speaker.clone(),
            })
        })
    };
    html! {
        <details class="speaker-correct">
            <summary aria-label={format!("Correct speaker {speaker}")}>{"Correct…"}</summary>
            <form onsubmit={rename}>
                <label>{"Name"}<input value={(*name).clone()} oninput={on_name} aria-label={format!("New name for {speaker}")} /></label>
                <button type="submit">{"Rename"}</button>
            </form>
            if !props.others.is_empty() {
                <div>
                    <select aria-label={format!("Merge {speaker} into")} onchange={on_into}>
                        <option value="" selected={into.is_empty()}>{"Merge into…"}</option>
                        {for props.others.iter().map(|o| html! { <option value={o.clone()} selected={*into == *o}>{o}</option> })}
                    </select>
                    <button onclick={merge} disabled={into.is_empty()}>{"Merge"}</button>
                </div>
            }
            <button onclick={not_a_speaker} title="A heading or other text taken for a speaker: its turns rejoin the text before them">{"Not a speaker"}</button>
        </details>
    }
}

/// Props of [`MatrixSpeakers`].
#[derive(Properties, PartialEq)]
pub struct MatrixSpeakersProps {
    /// The project.
    pub project: Rc<Project>,
    /// The matrix.
    pub matrix: MatrixId,
    /// The speakers it leaves out now.
    pub excluded: BTreeSet<String>,
    /// Dispatches changes.
    pub dispatch: Callback<Action>,
}

/// "Speakers: all / excluding Interviewer": a checkbox per speaker of the project to leave its
/// turns out of the matrix's cells.
#[component]
pub fn MatrixSpeakers(props: &MatrixSpeakersProps) -> Html {
    let speakers = {
        let project = props.project.clone();
        use_memo(Rc::as_ptr(&props.project) as usize, move |_| {
            project_speakers(&project)
        })
    };
    if speakers.is_empty() && props.excluded.is_empty() {
        return html! {};
    }
    let keys: BTreeSet<String> = props.excluded.iter().map(|s| speaker_key(s)).to_set();
    let summary = if props.excluded.is_empty() {
        "Speakers: all".to_string()
    } else {
        let names: Vec<&str> = props.excluded.iter().map(String::as_str).collect();
        format!("Speakers: excluding {}", names.join(", "))
    };
    let boxes = speakers.iter().map(|name| {
        let key = speaker_key(name);
        let checked = keys.contains(&key);
        let onchange = {
            let dispatch = props.dispatch.clone();
            let excluded = props.excluded.clone();
            let (id, name) = (props.matrix, name.clone());
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                let mut next: BTreeSet<String> = excluded
                    .iter()
                    .filter(|s| !same_speaker(s, &name))
                    .cloned()
                    .to_set();
                if input.checked() {
                    next.insert(name.clone());
                }
                dispatch.emit(Action::SetMatrixExcludedSpeakers { id, speakers: next });
            })
        };
        html! {
            <label class="check">
                <input type="checkbox" aria-label={format!("Leave out {name}")} {checked} {onchange} />
                {name.clone()}
            </label>
        }
    });
    html! {
        <details class="matrix-speakers">
            <summary>{summary}</summary>
            <div class="speaker-filter" role="group" aria-label="Leave out speakers">{for boxes}</div>
        </details>
    }
}
