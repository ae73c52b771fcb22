//! DOM helpers shared by the browser test files (each test file is its own crate and uses a
//! subset, hence `dead_code` is allowed here).
#![allow(dead_code)]

use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub fn new_root() -> Element {
    let el = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

pub fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

pub fn by_label(root: &Element, label: &str) -> Element {
    one(root, &format!("[aria-label=\"{label}\"]"))
}

/// The form control inside the `<label>` whose text starts with `label`.
pub fn labelled(root: &Element, label: &str) -> Element {
    all(root, "label")
        .into_iter()
        .find(|l| text(l).trim_start().starts_with(label))
        .and_then(|l| l.query_selector("input, select, textarea").ok().flatten())
        .unwrap_or_else(|| panic!("no field labelled {label:?}"))
}

pub fn fire(el: &Element, event: &str) {
    let e = web_sys::Event::new(event).unwrap();
    el.dispatch_event(&e).unwrap();
}

/// Chooses a file of `bytes` named `name` in the file input `input`, as the file chooser would.
pub fn choose_file(input: &Element, name: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap();
    // A FileList holding the file, as the file chooser would give it.
    let to_list = js_sys::Function::new_with_args(
        "f",
        "const dt = new DataTransfer(); dt.items.add(f); return dt.files;",
    );
    let files: web_sys::FileList = to_list
        .call1(&JsValue::NULL, &file)
        .unwrap()
        .unchecked_into();
    let input: &web_sys::HtmlInputElement = input.unchecked_ref();
    input.set_files(Some(&files));
    fire(input, "change");
}

pub fn key(el: &Element, key: &str) {
    let make = js_sys::Function::new_with_args(
        "k",
        "return new KeyboardEvent('keydown', {key: k, bubbles: true, cancelable: true});",
    );
    let event = make.call1(&JsValue::NULL, &JsValue::from_str(key)).unwrap();
    el.dispatch_event(event.unchecked_ref()).unwrap();
}

pub fn active_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}
