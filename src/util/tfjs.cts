/**
 * TensorFlow.js, loaded through `require`. tfjs ships CommonJS bundles only; an ES module importing
 * them makes Node scan each bundle's source for its export names (cjs-module-lexer), ~5 MB of
 * JavaScript, which cost every convdoc process 0.35 CPU s of its 0.5 s tfjs start-up on the 2-core
 * machine of issue 14. Imported from here (`import tf from '../util/tfjs.cjs'`), the ES modules see
 * one small CommonJS module and tfjs is compiled once, as CommonJS.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loading tfjs through require is this file's purpose
import tf = require('@tensorflow/tfjs');

export = tf;
