// The page's worker: the same wasm module as the page. Its main() sees a worker's global
// scope and answers the page's messages instead of drawing the page (src/worker.rs).
import init from './rewind-web.js';

init({ module_or_path: new URL('./rewind-web_bg.wasm', import.meta.url) });
