//! Framewise: a qualitative data analysis workbench that runs entirely in the browser.
//! This crate is the Yew app (a library so that browser tests can render its components);
//! the domain lives in `framewise-core`. The binary (`src/main.rs`) just calls [`start`].

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod dom;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod tab_lock;
#[cfg(target_arch = "wasm32")]
pub mod worker_client;

/// Mounts the app on `#app` (or on `<body>` when there is no such element).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    {
        yew::Renderer::<app::App>::with_root(root).render();
    } else {
        yew::Renderer::<app::App>::new().render();
    }
}

/// The app only runs in the browser; natively there is nothing to start
/// (build and test `framewise-core` instead).
#[cfg(not(target_arch = "wasm32"))]
pub fn start() {}
