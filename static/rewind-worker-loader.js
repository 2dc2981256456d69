// Starts the page's worker (src/bin/rewind-worker.rs): trunk builds it as a classic script
// that defines `wasm_bindgen`; its main() then listens for the page's messages.
importScripts('./rewind-worker.js');
wasm_bindgen({ module_or_path: './rewind-worker_bg.wasm' });
