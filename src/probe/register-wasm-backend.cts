/**
 * Registers tfjs' wasm backend, the side effect of its import; through `require` like tfjs itself
 * (../util/tfjs.cts says why: an ES import would make Node scan its 0.45 MB bundle for export names).
 */
import '@tensorflow/tfjs-backend-wasm';
