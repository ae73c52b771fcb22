//! The case table's header row: the fixed columns, then one column per attribute with its type
//! and a menu (rename, change type, delete). At most one column menu is open.

use super::Dialog;
use framewise_core::{Attribute, AttributeId, AttributeKind};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`GridHead`].
#[derive(Properties, PartialEq)]
pub struct GridHeadProps {
    pub attributes: Rc<Vec<Attribute>>,
    pub on_dialog: Callback<Dialog>,
}

/// The header row of the case table.
#[component]
pub fn GridHead(props: &GridHeadProps) -> Html {
    let column_menu = use_state_eq(|| None::<AttributeId>);
    let header_cells = props.attributes.iter().map(|a| {
        let id = a.id;
        let menu_open = *column_menu == Some(id);
        let toggle = {
            let column_menu = column_menu.clone();
            Callback::from(move |_: MouseEvent| {
                column_menu.set(if menu_open { None } else { Some(id) });
            })
        };
        let close_menu = {
            let column_menu = column_menu.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" && menu_open {
                    e.stop_propagation();
                    column_menu.set(None);
                }
            })
        };
        let choose = |d: Dialog| {
            let on_dialog = props.on_dialog.clone();
            let column_menu = column_menu.clone();
            Callback::from(move |_: MouseEvent| {
                column_menu.set(None);
                on_dialog.emit(d.clone());
            })
        };
        let title = match &a.kind {
            AttributeKind::Category(values) => format!("Category: {}", values.join(" | ")),
            k => k.label().to_string(),
        };
        html! {
            <th role="columnheader" scope="col" key={id.to_string()} class="attr-head" onkeydown={close_menu}>
                <span class="attr-name">{&a.name}</span>
                <span class="attr-type" {title}>{a.kind.label()}</span>
                <button class="small col-menu" aria-label={format!("Column {} actions", a.name)}
                    aria-haspopup="true" aria-expanded={menu_open.to_string()} onclick={toggle}>{"▾"}</button>
                if menu_open {
                    <div class="col-menu-list" role="group" aria-label={format!("Actions for {}", a.name)}>
                        <button class="small" onclick={choose(Dialog::RenameAttribute(id))}>{"Rename…"}</button>
                        <button class="small" onclick={choose(Dialog::AttributeType(id))}>{"Change type…"}</button>
                        <button class="small danger" onclick={choose(Dialog::DeleteAttribute(id))}>{"Delete…"}</button>
                    </div>
                }
            </th>
        }
    });

    html! {
        <thead>
            <tr role="row" aria-rowindex="1">
                <th role="columnheader" scope="col" class="name-head">{"Case"}</th>
                <th role="columnheader" scope="col">{"Parent"}</th>
                <th role="columnheader" scope="col">{"Sources"}</th>
                {for header_cells}
            </tr>
        </thead>
    }
}
