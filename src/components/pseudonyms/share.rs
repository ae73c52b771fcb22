//! "Save a copy to hand over…": the project file with chosen parts left out (the
//! pseudonymisation key, memos, source texts: core's `share::shared_copy`), optionally encrypted
//! with a passphrase in the standard age format, checked for real names of the key like every
//! export: all in the worker (`Request::SharedCopy`). The dialog says what the encryption protects (the file) and what it
//! does not (this browser's own storage).

use super::export::{open_check, NamesFound};
use crate::components::dialog::Dialog;
use crate::dom;
use crate::state::now;
use crate::worker_client;
use framewise_core::persist;
use framewise_core::protocol::{ProjectFile, Reply, Request};
use framewise_core::share::LeaveOut;
use framewise_core::{Action, Project};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The shortest passphrase accepted (age itself accepts any; a hand-over deserves more).
pub const MIN_PASSPHRASE: usize = 8;

/// Props of [`ShareDialog`].
#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    /// The project.
    pub project: Rc<Project>,
    /// Applies an action (pseudonymising first, when the check offers it).
    pub dispatch: Callback<Action>,
    /// Close the dialog.
    pub on_close: Callback<()>,
}

/// What is being done.
#[derive(Clone, PartialEq)]
enum Stage {
    Choosing,
    Encrypting,
    Failed(String),
}

/// The file name of a shared copy: the project file's, with `.age` when encrypted.
fn file_name(project: &Project, encrypted: bool) -> String {
    let name = persist::project_file_name(project);
    if encrypted {
        format!("{name}.age")
    } else {
        name
    }
}

/// The copy of `project` without what `leave_out` names, made in the worker
/// (`Request::SharedCopy`): with `check`, first checked there for real names of the key (found:
/// set in `held`, nothing is written), then written as a project file, encrypted when a
/// passphrase is given, and downloaded.
fn save(
    project: &Project,
    leave_out: LeaveOut,
    check: bool,
    passphrase: Option<String>,
    stage: UseStateHandle<Stage>,
    held: UseStateHandle<Option<Rc<NamesFound>>>,
    on_done: Callback<()>,
) {
    let name = file_name(project, passphrase.is_some());
    let failed = match passphrase {
        Some(_) => {
            stage.set(Stage::Encrypting);
            "Could not encrypt the file"
        }
        None => "Could not save the file",
    };
    let request = Request::SharedCopy {
        project: ProjectFile::of(project, now()),
        leave_out,
        key: if check {
            project.pseudonyms.clone()
        } else {
            Vec::new()
        },
        passphrase,
        now: now(),
    };
    spawn_local(async move {
        let result = match worker_client::request(request, None).await {
            Ok((Reply::Pseudonym(found), _)) => {
                stage.set(Stage::Choosing);
                held.set(Some(Rc::new(found)));
                return;
            }
            Ok(answer) => worker_client::exported_bytes(answer),
            Err(e) => Err(e),
        };
        match result.and_then(|(bytes, mime)| dom::download_bytes(&name, &mime, &bytes)) {
            Ok(()) => on_done.emit(()),
            Err(e) => stage.set(Stage::Failed(format!("{failed}: {e}"))),
        }
    });
}

fn checkbox(label: &'static str, checked: bool, disabled: bool, on: Callback<bool>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        on.emit(
            e.target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked()),
        )
    });
    html! {
        <label class="checkbox"><input type="checkbox" {checked} {disabled} {onchange} />{" "}{label}</label>
    }
}

/// "Save a copy to hand over".
#[component]
pub fn ShareDialog(props: &ShareDialogProps) -> Html {
    let has_key = !props.project.pseudonyms.is_empty();
    let leave_out = use_state(|| LeaveOut {
        key: true,
        memos: false,
        texts: false,
    });
    let encrypt = use_state(|| true);
    let pass = use_state(String::new);
    let again = use_state(String::new);
    let stage = use_state(|| Stage::Choosing);
    let check = use_state(|| None::<Rc<NamesFound>>);

    let set = |f: fn(&mut LeaveOut, bool)| {
        let leave_out = leave_out.clone();
        Callback::from(move |on: bool| {
            let mut next = *leave_out;
            f(&mut next, on);
            leave_out.set(next);
        })
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                state.set(i.value());
            }
        })
    };
    let problem = if !*encrypt {
        None
    } else if pass.chars().count() < MIN_PASSPHRASE {
        Some(format!(
            "Choose a passphrase of at least {MIN_PASSPHRASE} characters."
        ))
    } else if *pass != *again {
        Some("The two passphrases differ.".to_string())
    } else {
        None
    };
    let passphrase = (*encrypt).then(|| (*pass).clone());

    let on_save = {
        let project = props.project.clone();
        let leave_out = *leave_out;
        let stage = stage.clone();
        let check = check.clone();
        let passphrase = passphrase.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            save(
                &project,
                leave_out,
                true,
                passphrase.clone(),
                stage.clone(),
                check.clone(),
                on_close.clone(),
            );
        })
    };
    let check_dialog = {
        let leave_out = *leave_out;
        let stage = stage.clone();
        let passphrase = passphrase.clone();
        let on_close = props.on_close.clone();
        let held = check.clone();
        open_check(
            &check,
            &props.project,
            file_name(&props.project, passphrase.is_some()),
            &props.dispatch,
            move |p| {
                save(
                    &p,
                    leave_out,
                    false,
                    passphrase.clone(),
                    stage.clone(),
                    held.clone(),
                    on_close.clone(),
                )
            },
        )
    };
    let busy = *stage == Stage::Encrypting;
    let close = props.on_close.clone();
    html! {
        <>
        <Dialog title="Save a copy to hand over" on_close={props.on_close.clone()} class="share-dialog">
            <form onsubmit={on_save}>
                <fieldset>
                    <legend>{"Leave out"}</legend>
                    {checkbox("The pseudonymisation key (real names)", leave_out.key || !has_key, !has_key, set(|l, on| l.key = on))}
                    {checkbox("Memos (project, sources, codes, cases)", leave_out.memos, false, set(|l, on| l.memos = on))}
                    {checkbox("Source texts: codebook, cases and codings only (texts blanked, positions kept)", leave_out.texts, false, set(|l, on| l.texts = on))}
                </fieldset>
                <fieldset>
                    <legend>{"Protect the file"}</legend>
                    {checkbox("Encrypt with a passphrase (age format)", *encrypt, false, { let encrypt = encrypt.clone(); Callback::from(move |on| encrypt.set(on)) })}
                    if *encrypt {
                        <label for="share-pass">{"Passphrase"}</label>
                        <input id="share-pass" type="password" autocomplete="new-password" value={(*pass).clone()} oninput={text_input(&pass)} />
                        <label for="share-pass-again">{"Passphrase again"}</label>
                        <input id="share-pass-again" type="password" autocomplete="new-password" value={(*again).clone()} oninput={text_input(&again)} />
                        <p class="hint">{"Tell the passphrase to the recipient another way (by phone, not in the same e-mail). Without it the file cannot be opened: there is no recovery. Anyone can decrypt it with the age tool too (age -d)."}</p>
                    }
                    <p class="hint">{"Encryption protects the saved file only. This project stays unencrypted in this browser’s storage on this computer; remove it there when the laptop is shared."}</p>
                </fieldset>
                if let Some(p) = &problem { <p class="hint" role="status">{p}</p> }
                if let Stage::Failed(e) = &*stage { <p class="error" role="alert">{e}</p> }
                if busy { <p role="status">{"Encrypting… (a few seconds: the passphrase is stretched on purpose)"}</p> }
                <div class="dialog-actions">
                    <button type="button" onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button type="submit" class="primary" disabled={problem.is_some() || busy}>
                        {if *encrypt { "Save encrypted copy" } else { "Save copy" }}
                    </button>
                </div>
            </form>
        </Dialog>
        {check_dialog.unwrap_or_default()}
        </>
    }
}

/// Props of [`UnlockDialog`].
#[derive(Properties, PartialEq)]
pub struct UnlockDialogProps {
    /// The encrypted file's name.
    pub name: AttrValue,
    /// Its bytes.
    pub bytes: Rc<Vec<u8>>,
    /// The decrypted bytes.
    pub on_open: Callback<Vec<u8>>,
    /// Close without opening.
    pub on_close: Callback<()>,
}

/// "Open encrypted file": asks for the passphrase and decrypts in the worker; a wrong
/// passphrase or a changed file says so and opens nothing.
#[component]
pub fn UnlockDialog(props: &UnlockDialogProps) -> Html {
    let pass = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let oninput = {
        let pass = pass.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                pass.set(i.value());
            }
        })
    };
    let onsubmit = {
        let pass = pass.clone();
        let busy = busy.clone();
        let error = error.clone();
        let bytes = props.bytes.clone();
        let on_open = props.on_open.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let (pass, busy, error, bytes, on_open) = (
                (*pass).clone(),
                busy.clone(),
                error.clone(),
                bytes.clone(),
                on_open.clone(),
            );
            spawn_local(async move {
                match worker_client::unseal(&bytes, &pass).await {
                    Ok(plain) => on_open.emit(plain),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let close = props.on_close.clone();
    html! {
        <Dialog title="Open encrypted file" on_close={props.on_close.clone()}>
            <form {onsubmit}>
                <p>{format!("“{}” is encrypted. Enter its passphrase to open it.", props.name)}</p>
                <label for="unlock-pass">{"Passphrase"}</label>
                <input id="unlock-pass" type="password" autocomplete="current-password" value={(*pass).clone()} {oninput} />
                if let Some(e) = &*error { <p class="error" role="alert">{e}</p> }
                if *busy { <p role="status">{"Decrypting…"}</p> }
                <div class="dialog-actions">
                    <button type="button" onclick={move |_| close.emit(())}>{"Cancel"}</button>
                    <button type="submit" class="primary" disabled={*busy || pass.is_empty()}>{"Open"}</button>
                </div>
            </form>
        </Dialog>
    }
}
