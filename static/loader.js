// Framewise boot loader.
//
// Trunk's default loader is an inline <script>, which the Content-Security-Policy in
// index.html forbids (script-src 'self' only). Trunk.toml's `pattern_script` instead emits
//   <script type="module" src="/loader.js" data-framewise-js="/framewise-app-HASH.js"
//           data-framewise-wasm="/framewise-app-HASH_bg.wasm"
//           data-framewise-worker="/framewise-worker-HASH_loader.js"></script>
// and this static file does what the inline loader did. It never changes between builds.
// (data-framewise-worker is read by the app, src/worker_client.rs, when it starts the worker.)
const boot = document.querySelector("script[data-framewise-js][data-framewise-wasm]");
if (!boot) {
  throw new Error("Framewise: boot <script> with data-framewise-js/-wasm not found");
}
const bindings = await import(boot.dataset.framewiseJs);
const wasm = await bindings.default({ module_or_path: boot.dataset.framewiseWasm });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
