//! The Crosstabs view's choices ([`Choice`]: table, columns, count, percentages, flags) and the
//! labelled `<select>` and checkbox that set one of them.

use framewise_core::crosstab::{Columns, Count, Percent, Proximity, Spec};
use framewise_core::{AttributeId, Project};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub(super) struct Choice {
    pub(super) cooccur: bool,
    pub(super) by: Option<AttributeId>,
    pub(super) count: Count,
    pub(super) percent: Percent,
    pub(super) children: bool,
    pub(super) subtotals: bool,
    pub(super) subcases: bool,
    pub(super) shading: bool,
    pub(super) proximity: Proximity,
}

impl Choice {
    pub(super) fn spec(&self, project: &Project) -> Spec {
        let columns = match self.by.filter(|a| project.attribute(*a).is_some()) {
            Some(a) => Columns::Attribute(a),
            None => Columns::Cases(project.case_tree().into_iter().map(|(c, _)| c).collect()),
        };
        Spec {
            include_children: self.children,
            subtotals: self.subtotals,
            include_subcases: self.subcases,
            count: self.count,
            ..Spec::new(columns)
        }
    }
}

/// A select's value on change.
pub(super) fn selected(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// A `<select>` of `options` (value, label) with `current` chosen, setting `choice` on change.
pub(super) fn select(
    label: &'static str,
    options: Vec<(String, String)>,
    current: String,
    choice: &UseStateHandle<Choice>,
    set: fn(&mut Choice, &str),
) -> Html {
    let choice = choice.clone();
    let onchange = Callback::from(move |e: Event| {
        let mut next = (*choice).clone();
        set(&mut next, &selected(&e));
        choice.set(next);
    });
    html! {
        <label class="xtab-field">{label}
            <select aria-label={label} {onchange}>
                {for options.into_iter().map(|(value, text)| {
                    let sel = value == current;
                    html! { <option {value} selected={sel}>{text}</option> }
                })}
            </select>
        </label>
    }
}

/// A checkbox setting one flag of `choice`.
pub(super) fn check(
    label: &'static str,
    on: bool,
    choice: &UseStateHandle<Choice>,
    set: fn(&mut Choice, bool),
) -> Html {
    let choice = choice.clone();
    let onchange = Callback::from(move |e: Event| {
        let mut next = (*choice).clone();
        set(
            &mut next,
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked(),
        );
        choice.set(next);
    });
    html! { <label class="check"><input type="checkbox" aria-label={label} checked={on} {onchange} />{label}</label> }
}
