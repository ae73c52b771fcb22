//! The labelled `<select>` and checkbox that set one of the Crosstabs view's choices (core's
//! `crosstab::Choice`: table, columns, count, percentages, flags).

use framewise_core::crosstab::Choice;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

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
