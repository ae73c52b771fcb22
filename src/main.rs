//! Framewise web app entry point; the app itself lives in the library (`src/lib.rs`).

fn main() {
    framewise::start();
}
