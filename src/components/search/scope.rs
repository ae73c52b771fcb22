//! The "Search in" choices of the search view: every source, chosen sources, the cases an
//! attribute value picks, a case, a theme or set, a speaker's turns.

use framewise_core::search::SearchScope;
use framewise_core::{AttrValue, AttributeFilter, AttributeId, FilterOp, Project, SourceId};
use yew::prelude::*;

/// The scope a "Search in" value names: `all`, `case:ID`, `set:ID`, `speaker:NAME`, `sources`
/// (the sources chosen below it, none yet) or `filter` (the cases an attribute value picks: the
/// first value of the first attribute until one is chosen below it).
pub(super) fn scope_of(project: &Project, value: &str) -> SearchScope {
    let (kind, rest) = value.split_once(':').unwrap_or((value, ""));
    match kind {
        "case" => framewise_core::CaseId::parse(rest).map_or(SearchScope::All, SearchScope::Case),
        "set" => framewise_core::SetId::parse(rest).map_or(SearchScope::All, SearchScope::Set),
        "speaker" if !rest.is_empty() => SearchScope::Speaker(rest.to_string()),
        "sources" => SearchScope::Sources(Vec::new()),
        "filter" => project
            .attributes
            .iter()
            .find_map(|a| {
                let value = attribute_values(project, a.id).into_iter().next()?;
                Some(filter_scope(a.id, value))
            })
            .unwrap_or(SearchScope::Filter(Vec::new())),
        _ => SearchScope::All,
    }
}

/// The "Search in" value of a scope (see [`scope_of`]).
pub(super) fn scope_value(scope: &SearchScope) -> String {
    match scope {
        SearchScope::All => "all".into(),
        SearchScope::Sources(_) => "sources".into(),
        SearchScope::Case(id) => format!("case:{id}"),
        SearchScope::Filter(_) => "filter".into(),
        SearchScope::Set(id) => format!("set:{id}"),
        SearchScope::Speaker(name) => format!("speaker:{name}"),
    }
}

/// The cases whose `attribute` equals `value`.
fn filter_scope(attribute: AttributeId, value: AttrValue) -> SearchScope {
    SearchScope::Filter(vec![AttributeFilter {
        attribute,
        op: FilterOp::Equals,
        value,
    }])
}

/// The values `attribute` has in the project's cases, each once, in the order first met.
fn attribute_values(project: &Project, attribute: AttributeId) -> Vec<AttrValue> {
    let mut values: Vec<AttrValue> = Vec::new();
    for value in project
        .cases
        .iter()
        .filter_map(|c| c.values.get(&attribute))
    {
        if !values.contains(value) {
            values.push(value.clone());
        }
    }
    values
}

/// The "Search in" choices: every source, a case (with its sub-cases), a theme or set (its
/// coded passages), a speaker's turns.
pub(super) fn scope_options(project: &Project, speakers: &[String], current: &SearchScope) -> Html {
    let cases = project.case_tree().into_iter().filter_map(|(id, depth)| {
        let case = project.case(id)?;
        let indent = "\u{a0}\u{a0}".repeat(depth);
        let selected = *current == SearchScope::Case(id);
        Some(html! { <option value={format!("case:{id}")} {selected}>{format!("{indent}{}", case.name)}</option> })
    });
    let sets = project.sets.iter().map(|set| {
        let selected = *current == SearchScope::Set(set.id);
        html! { <option value={format!("set:{}", set.id)} {selected}>{&set.name}</option> }
    });
    let speakers = speakers.iter().map(|name| {
        let selected = *current == SearchScope::Speaker(name.clone());
        html! { <option value={format!("speaker:{name}")} {selected}>{name}</option> }
    });
    let has_values = project.cases.iter().any(|c| !c.values.is_empty());
    html! {
        <>
            <option value="all" selected={*current == SearchScope::All}>{"Every source"}</option>
            <option value="sources" selected={matches!(current, SearchScope::Sources(_))}>{"Chosen sources…"}</option>
            if has_values {
                <option value="filter" selected={matches!(current, SearchScope::Filter(_))}>{"Cases with an attribute value…"}</option>
            }
            if !project.cases.is_empty() { <optgroup label="A case and its sub-cases">{for cases}</optgroup> }
            if !project.sets.is_empty() { <optgroup label="The coded passages of a theme or set">{for sets}</optgroup> }
            <optgroup label="The turns of a speaker">{for speakers}</optgroup>
        </>
    }
}

/// Below "Search in": the sources to search (for "Chosen sources…") or the attribute and value
/// that pick the cases (for "Cases with an attribute value…").
pub(super) fn scope_details(
    project: &Project,
    scope: &SearchScope,
    rescope: &Callback<SearchScope>,
) -> Html {
    let selected_values = |e: &Event| -> Vec<String> {
        let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() else {
            return Vec::new();
        };
        let options = select.selected_options();
        (0..options.length())
            .filter_map(|i| options.item(i))
            .filter_map(|o| o.get_attribute("value"))
            .collect()
    };
    match scope {
        SearchScope::Sources(chosen) => {
            let onchange = {
                let rescope = rescope.clone();
                Callback::from(move |e: Event| {
                    let ids = selected_values(&e)
                        .iter()
                        .filter_map(|v| SourceId::parse(v))
                        .collect();
                    rescope.emit(SearchScope::Sources(ids));
                })
            };
            let options = project.sources.iter().map(|s| {
                html! { <option value={s.id.to_string()} selected={chosen.contains(&s.id)}>{&s.name}</option> }
            });
            html! {
                <label class="search-scope-detail">
                    <span>{"Sources to search (Ctrl+click for several)"}</span>
                    <select multiple=true size="6" {onchange}>{for options}</select>
                </label>
            }
        }
        SearchScope::Filter(filters) => {
            let current = filters.first();
            let attribute = current.map(|f| f.attribute);
            let on_attribute = {
                let (rescope, project) = (rescope.clone(), project.clone());
                Callback::from(move |e: Event| {
                    let picked = selected_values(&e)
                        .first()
                        .and_then(|v| AttributeId::parse(v))
                        .and_then(|a| {
                            Some(filter_scope(
                                a,
                                attribute_values(&project, a).into_iter().next()?,
                            ))
                        });
                    rescope.emit(picked.unwrap_or(SearchScope::Filter(Vec::new())));
                })
            };
            let values = attribute
                .map(|a| attribute_values(project, a))
                .unwrap_or_default();
            let on_value = {
                let (rescope, values) = (rescope.clone(), values.clone());
                Callback::from(move |e: Event| {
                    let picked = selected_values(&e)
                        .first()
                        .and_then(|v| v.parse::<usize>().ok())
                        .and_then(|i| values.get(i).cloned());
                    if let (Some(a), Some(value)) = (attribute, picked) {
                        rescope.emit(filter_scope(a, value));
                    }
                })
            };
            let attributes = project.attributes.iter().map(|a| {
                html! { <option value={a.id.to_string()} selected={attribute == Some(a.id)}>{&a.name}</option> }
            });
            let value_options = values.iter().enumerate().map(|(i, v)| {
                let selected = current.is_some_and(|f| f.value == *v);
                html! { <option value={i.to_string()} {selected}>{v.to_string()}</option> }
            });
            html! {
                <span class="search-scope-detail">
                    <span><label for="search-attribute">{"Attribute"}</label>
                        <select id="search-attribute" onchange={on_attribute}>{for attributes}</select></span>
                    <span><label for="search-attribute-value">{"Value"}</label>
                        <select id="search-attribute-value" onchange={on_value}>{for value_options}</select></span>
                </span>
            }
        }
        _ => html! {},
    }
}
