//! Small browser helpers shared by components: files, downloads, focus, timing.

use wasm_bindgen::JsCast;

/// The document, if there is one.
pub fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Offers `contents` as a file download named `file_name`.
pub fn download(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let parts = js_sys::Array::new();
    parts.push(&wasm_bindgen::JsValue::from_str(contents));
    download_parts(file_name, mime, &parts)
}

/// Offers `bytes` as a file download named `file_name` (binary files such as XLSX).
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    download_parts(file_name, mime, &parts)
}

/// Makes a Blob of `parts` (strings or byte arrays) and clicks a hidden download link to it.
/// The file is made in the page: nothing leaves the machine but what the user saves.
fn download_parts(file_name: &str, mime: &str, parts: &js_sys::Array) -> Result<(), String> {
    let url = blob_url(mime, parts)?;
    let clicked = click_download(&url, file_name);
    let _ = web_sys::Url::revoke_object_url(&url);
    clicked
}

/// A `blob:` URL of `parts` as a file of type `mime` (revoke it when done).
fn blob_url(mime: &str, parts: &js_sys::Array) -> Result<String, String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(parts, &options)
        .map_err(|_| "the browser could not prepare the file".to_string())?;
    web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not prepare the file".to_string())
}

/// Clicks a hidden link that downloads `url` as `file_name`.
fn click_download(url: &str, file_name: &str) -> Result<(), String> {
    let doc = document().ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "no link element")?
        .dyn_into()
        .map_err(|_| "no link element")?;
    a.set_href(url);
    a.set_download(file_name);
    a.style().set_property("display", "none").ok();
    if let Some(body) = doc.body() {
        body.append_child(&a).ok();
        a.click();
        body.remove_child(&a).ok();
    }
    Ok(())
}

/// Offers the SVG document `svg` as a PNG named `file_name`, drawn at twice its size: the SVG
/// is loaded as an image from a `blob:` URL (the CSP's `img-src` allows `blob:`) and painted on
/// a canvas.
pub async fn download_svg_as_png(file_name: &str, svg: &str) -> Result<(), String> {
    const FAILED: &str = "the browser could not draw the chart as an image";
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let url = blob_url("image/svg+xml", &parts)?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| FAILED)?;
    image.set_src(&url);
    let decoded = wasm_bindgen_futures::JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(|_| FAILED)?;
    let (width, height) = (image.natural_width() * 2, image.natural_height() * 2);
    let canvas: web_sys::HtmlCanvasElement = document()
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|c| c.dyn_into().ok())
        .ok_or(FAILED)?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or(FAILED)?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &image,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(|_| FAILED)?;
    let png = canvas.to_data_url().map_err(|_| FAILED)?;
    click_download(&png, file_name)
}

/// Reads a browser `File` as bytes.
pub async fn read_file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let promise = file.array_buffer();
    let buffer = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| "the browser could not read the file".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The first file chosen in a file input's `change` event; the input is cleared so the same
/// file can be chosen again.
pub fn take_first_file(e: &web_sys::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = e.target()?.dyn_into().ok()?;
    let first = files_of(input.files()).into_iter().next();
    input.set_value("");
    first
}

/// Reads a CSV file chosen by the researcher as UTF-8 text; the error says how to fix it.
pub async fn read_csv_text(file: &web_sys::File) -> Result<String, String> {
    let bytes = read_file_bytes(file).await?;
    String::from_utf8(bytes).map_err(|_| {
        "it is not UTF-8 text (save it from your spreadsheet as “CSV UTF-8”)".to_string()
    })
}

/// The handler of a "choose a CSV file" input (codebook, case table): reads the first chosen file
/// as UTF-8 text, has the worker read it as `kind` for `project` and hands the preview and its
/// action to `read`; a file that cannot be read or is not such a CSV is reported on
/// `on_message`, naming the file.
pub fn on_csv_file(
    project: std::rc::Rc<framewise_core::Project>,
    kind: framewise_core::protocol::CsvKind,
    on_message: yew::Callback<String>,
    read: impl Fn(crate::worker_client::CsvImport) + 'static,
) -> yew::Callback<web_sys::Event> {
    let read = std::rc::Rc::new(read);
    yew::Callback::from(move |e: web_sys::Event| {
        let Some(file) = take_first_file(&e) else {
            return;
        };
        let (project, on_message, read) = (project.clone(), on_message.clone(), read.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.name();
            let text = match read_csv_text(&file).await {
                Ok(text) => text,
                Err(e) => return on_message.emit(format!("{name} could not be read: {e}.")),
            };
            match crate::worker_client::csv_import(&project, kind, name.clone(), text).await {
                Ok(Ok(import)) => read(import),
                Ok(Err(why)) => on_message.emit(why),
                Err(e) => on_message.emit(format!("{name} could not be read: {e}.")),
            }
        });
    })
}

/// Files of a `FileList`, in order.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// True when keyboard focus is in a text field (shortcuts must leave such keys alone).
pub fn focus_in_text_field() -> bool {
    let Some(active) = document().and_then(|d| d.active_element()) else {
        return false;
    };
    let tag = active.tag_name().to_ascii_lowercase();
    tag == "input"
        || tag == "textarea"
        || tag == "select"
        || active.has_attribute("contenteditable")
}

/// Formats a timestamp as a local date and time.
pub fn format_time(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let text: String = date
        .to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED)
        .into();
    text
}
