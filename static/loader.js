// Framewise boot loader.
//
// Trunk's default loader is an inline <script>, which the Content-Security-Policy in
// index.html forbids (script-src 'self' only). Trunk.toml's `pattern_script` instead emits
//   <script type="module" src="/loader.js" data-framewise-js="/framewise-HASH.js"
//           data-framewise-wasm="/framewise-HASH_bg.wasm"></script>
// and this static file does what the inline loader did. It never changes between builds.
const boot = document.querySelector("script[data-framewise-js][data-framewise-wasm]");
if (!boot) {
  throw new Error("Framewise: boot <script> with data-framewise-js/-wasm not found");
}
const bindings = await import(boot.dataset.framewiseJs);
const wasm = await bindings.default({ module_or_path: boot.dataset.framewiseWasm });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
