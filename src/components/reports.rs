//! Reports: the researcher chooses a report (coded segments, codebook, themes, memos), how coded
//! segments are grouped, what to include, the attribution template (with a live preview of one
//! attributed quote, core's `report::preview`) and the format; "Save report" has the worker
//! build and write it (`Request::Report`: the writers and docx-rs stay out of the main wasm),
//! checks it for real names of the pseudonymisation key (`check_export`, in the worker, on the text itself, or
//! on the same report as HTML for DOCX and XLSX, which the page cannot unpack) and downloads it.

use crate::components::pseudonyms::{check_export, ExportCheck, NamesFound, Written};
use crate::dom;
use framewise_core::protocol::{ProjectFile, Request};
use framewise_core::report::{preview, Grouping, ReportFormat, ReportKind, ReportOptions};
use framewise_core::speakers::same_speaker;
use framewise_core::{Action, CaseId, CodeId, Project, SourceId};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`ReportsView`].
#[derive(Properties, PartialEq)]
pub struct ReportsViewProps {
    /// The project reported on.
    pub project: Rc<Project>,
    /// Apply a change (pseudonymising before an export).
    pub dispatch: Callback<Action>,
}

/// A report held back because real names of the key were found in it.
#[derive(Clone, PartialEq)]
struct Held {
    file: String,
    found: Rc<NamesFound>,
}

/// The report written by the worker, in `format`.
async fn written(
    project: &Project,
    options: &ReportOptions,
    format: ReportFormat,
) -> Result<Vec<u8>, String> {
    let request = Request::Report {
        project: ProjectFile::of(project, 0),
        options: options.clone(),
        format,
    };
    let answer = crate::worker_client::request(request, None).await?;
    crate::worker_client::exported_bytes(answer).map(|(bytes, _)| bytes)
}

/// Builds, checks and downloads a report; `check: false` writes it as it is.
fn save(
    project: Rc<Project>,
    options: ReportOptions,
    format: ReportFormat,
    check: bool,
    held: UseStateHandle<Option<Held>>,
    status: UseStateHandle<String>,
) {
    let file = format!("{} report.{}", options.kind.label(), format.extension());
    status.set("Writing the report…".into());
    wasm_bindgen_futures::spawn_local(async move {
        let result = async {
            let bytes = written(&project, &options, format).await?;
            if check && !project.pseudonyms.is_empty() {
                let text = match format {
                    ReportFormat::Docx | ReportFormat::Xlsx => {
                        written(&project, &options, ReportFormat::Html).await?
                    }
                    _ => bytes.clone(),
                };
                if let Some(found) =
                    check_export(&project.pseudonyms, Written::Bytes(&text)).await?
                {
                    held.set(Some(Held {
                        file: file.clone(),
                        found: Rc::new(found),
                    }));
                    return Ok(String::new());
                }
            }
            dom::download_bytes(&file, format.mime(), &bytes)?;
            Ok::<String, String>(format!("Saved “{file}”."))
        }
        .await;
        status.set(result.unwrap_or_else(|e| format!("Could not write the report: {e}")));
    });
}

/// A multiple choice narrowing the report (`name`: which of its lists it sets); none chosen
/// means all.
fn choose_many(
    label: &'static str,
    name: &'static str,
    choices: Vec<(String, String, bool)>,
    onchange: &Callback<Event>,
) -> Html {
    let choices = choices.into_iter().map(|(value, text, selected)| {
        html! { <option {value} {selected}>{text}</option> }
    });
    html! {
        <label class="report-filter"><span>{label}</span>
            <select multiple=true size="5" {name} onchange={onchange.clone()}>{for choices}</select></label>
    }
}

/// The view.
#[component]
pub fn ReportsView(props: &ReportsViewProps) -> Html {
    let options = use_state(ReportOptions::default);
    let format = use_state(|| ReportFormat::Html);
    let held = use_state(|| None::<Held>);
    let status = use_state(String::new);
    let project = props.project.clone();

    let set = |f: fn(&mut ReportOptions, String)| {
        let options = options.clone();
        Callback::from(move |value: String| {
            let mut next = (*options).clone();
            f(&mut next, value);
            options.set(next);
        })
    };
    let select_value = |cb: Callback<String>| {
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let input_value = |cb: Callback<String>| {
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let check_value = |cb: Callback<String>| {
        Callback::from(move |e: Event| {
            cb.emit(
                e.target_unchecked_into::<HtmlInputElement>()
                    .checked()
                    .to_string(),
            )
        })
    };

    let on_kind = select_value(set(|o, v| {
        if let Some(k) = ReportKind::from_key(&v) {
            o.kind = k;
        }
    }));
    let attributes: Vec<(String, String)> = project
        .attributes
        .iter()
        .map(|a| (a.id.to_string(), a.name.clone()))
        .collect();
    let on_grouping = {
        let project = project.clone();
        let options = options.clone();
        select_value(Callback::from(move |v: String| {
            let mut next = (*options).clone();
            next.grouping = match v.as_str() {
                "theme" => Grouping::Theme,
                "case" => Grouping::Case,
                "code" => Grouping::Code,
                other => project
                    .attributes
                    .iter()
                    .find(|a| a.id.to_string() == other)
                    .map_or(Grouping::Code, |a| Grouping::Attribute(a.id)),
            };
            options.set(next);
        }))
    };
    let grouping_key = match options.grouping {
        Grouping::Code => "code".to_string(),
        Grouping::Theme => "theme".to_string(),
        Grouping::Case => "case".to_string(),
        Grouping::Attribute(a) => a.to_string(),
    };
    let on_attribution = input_value(set(|o, v| o.attribution = v));
    let on_words = input_value(set(|o, v| {
        o.max_words = v.trim().parse().ok().filter(|n| *n > 0)
    }));
    let on_ellipsis = check_value(set(|o, v| o.ellipsis = v == "true"));
    let on_memos = check_value(set(|o, v| o.include_memos = v == "true"));
    let on_definitions = check_value(set(|o, v| o.include_definitions = v == "true"));
    let on_origin = check_value(set(|o, v| o.include_origin = v == "true"));
    let on_format = {
        let format = format.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(f) = ReportFormat::from_extension(&v) {
                format.set(f);
            }
        })
    };
    let on_save = {
        let (project, options, format) = (project.clone(), options.clone(), format.clone());
        let (held, status) = (held.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            save(
                project.clone(),
                (*options).clone(),
                *format,
                true,
                held.clone(),
                status.clone(),
            )
        })
    };

    // Which codes, sources, cases and speakers' turns the report keeps.
    let on_filter = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let chosen = select.selected_options();
            let values: Vec<String> = (0..chosen.length())
                .filter_map(|i| chosen.item(i))
                .filter_map(|o| o.get_attribute("value"))
                .collect();
            let mut next = (*options).clone();
            match select.name().as_str() {
                "codes" => next.codes = values.iter().filter_map(|v| CodeId::parse(v)).collect(),
                "sources" => {
                    next.sources = values.iter().filter_map(|v| SourceId::parse(v)).collect()
                }
                "cases" => next.cases = values.iter().filter_map(|v| CaseId::parse(v)).collect(),
                _ => next.exclude_speakers = values,
            }
            options.set(next);
        })
    };
    let speakers = {
        let project = project.clone();
        use_memo(Rc::as_ptr(&project) as usize, move |_| {
            framewise_core::speakers::project_speakers(&project)
        })
    };
    let code_choices = project
        .code_tree()
        .into_iter()
        .filter_map(|(id, depth)| {
            let code = project.code(id)?;
            let text = format!("{}{}", "\u{a0}\u{a0}".repeat(depth), code.name);
            Some((id.to_string(), text, options.codes.contains(&id)))
        })
        .collect();
    let source_choices = project
        .sources
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                s.name.clone(),
                options.sources.contains(&s.id),
            )
        })
        .collect();
    let case_choices: Vec<_> = project
        .case_tree()
        .into_iter()
        .filter_map(|(id, depth)| {
            let case = project.case(id)?;
            let text = format!("{}{}", "\u{a0}\u{a0}".repeat(depth), case.name);
            Some((id.to_string(), text, options.cases.contains(&id)))
        })
        .collect();
    let speaker_choices: Vec<_> = speakers
        .iter()
        .map(|name| {
            let out = options
                .exclude_speakers
                .iter()
                .any(|x| same_speaker(x, name));
            (name.clone(), name.clone(), out)
        })
        .collect();
    let template = framewise_core::report::Template::parse(&project, &options.attribution);
    let sample = preview(&project, &options);
    let check_dialog = (*held).clone().map(|h| {
        let on_export = {
            let (options, format) = (options.clone(), format.clone());
            let (held, status) = (held.clone(), status.clone());
            Callback::from(move |p: Rc<Project>| {
                held.set(None);
                save(
                    p,
                    (*options).clone(),
                    *format,
                    false,
                    held.clone(),
                    status.clone(),
                );
            })
        };
        let on_cancel = {
            let held = held.clone();
            Callback::from(move |_| held.set(None))
        };
        html! {
            <ExportCheck project={project.clone()} file={h.file} found={h.found}
                dispatch={props.dispatch.clone()} {on_export} {on_cancel} />
        }
    });
    let kinds = ReportKind::ALL.iter().map(|k| {
        html! { <option value={k.key()} selected={options.kind == *k}>{k.label()}</option> }
    });
    let formats = ReportFormat::ALL.iter().map(|f| {
        html! { <option value={f.extension()} selected={*format == *f}>{f.label()}</option> }
    });
    let groups = [
        ("code", "Code"),
        ("theme", "Theme and set"),
        ("case", "Case"),
    ]
    .iter()
    .map(|(k, l)| (k.to_string(), l.to_string()))
    .chain(
        attributes
            .into_iter()
            .map(|(id, name)| (id, format!("Attribute: {name}"))),
    )
    .map(|(k, l)| html! { <option value={k.clone()} selected={grouping_key == k}>{l}</option> });
    html! {
        <section class="reports-view" aria-label="Reports">
            <div class="view-head">
                <h2>{"Reports"}</h2>
                <p class="hint">{"Write up coded segments with attributed quotes, the codebook, themes with their matrix summaries, or the memos."}</p>
            </div>
            <form class="report-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{"Report "}<select aria-label="Report" onchange={on_kind}>{for kinds}</select></label>
                if options.kind == ReportKind::CodedSegments {
                    <label>{"Group by "}<select aria-label="Group by" onchange={on_grouping}>{for groups}</select></label>
                }
                <fieldset class="report-filters">
                    <legend>{"Only these (none chosen: all; Ctrl+click for several)"}</legend>
                    {choose_many("Codes", "codes", code_choices, &on_filter)}
                    {choose_many("Sources", "sources", source_choices, &on_filter)}
                    if !case_choices.is_empty() {
                        {choose_many("Cases (and their sub-cases)", "cases", case_choices, &on_filter)}
                    }
                    if !speaker_choices.is_empty() {
                        {choose_many("Leave out these speakers", "speakers", speaker_choices, &on_filter)}
                    }
                </fieldset>
                <fieldset>
                    <legend>{"Include"}</legend>
                    <label class="check"><input type="checkbox" checked={options.include_definitions} onchange={on_definitions} />{"Code definitions"}</label>
                    <label class="check"><input type="checkbox" checked={options.include_origin} onchange={on_origin} />{"Deductive / inductive"}</label>
                    <label class="check"><input type="checkbox" checked={options.include_memos} onchange={on_memos} />{"Memos"}</label>
                </fieldset>
                <label>{"Attribution "}<input type="text" aria-label="Attribution" value={options.attribution.clone()} oninput={on_attribution} /></label>
                <p class="hint">{"Placeholders: {case}, {source}, {speaker}, {code} and any attribute in braces, e.g. ({case}, {role})."}</p>
                {for template.problems().iter().map(|p| html! { <p class="error" role="status">{p}</p> })}
                <label>{"Longest quote (words) "}<input type="number" min="0" aria-label="Longest quote in words" value={options.max_words.map(|n| n.to_string()).unwrap_or_default()} oninput={on_words} /></label>
                <label class="check"><input type="checkbox" checked={options.ellipsis} onchange={on_ellipsis} />{"Mark cut quotes with …"}</label>
                <figure class="report-preview" aria-label="Preview">
                    <figcaption>{"Preview"}</figcaption>
                    {match &sample {
                        Some((quote, who)) => html! { <blockquote><p>{format!("“{quote}”")}</p><p class="attribution">{who}</p></blockquote> },
                        None => html! { <p class="hint">{"No coded segments yet."}</p> },
                    }}
                </figure>
                <label>{"Format "}<select aria-label="Format" onchange={on_format}>{for formats}</select></label>
                <button type="button" class="primary" onclick={on_save}>{"Save report"}</button>
                <p class="status" role="status">{(*status).clone()}</p>
            </form>
            {for check_dialog}
        </section>
    }
}
