/**
 * Probes every example under examples/ and writes its trace to fixtures/traces/<example>.json, so
 * detector tests can use real traces as well as synthetic ones. Traces are deterministic for a
 * config, seed and backend; these are from the wasm backend.
 *
 * Usage: npx tsx scripts/dump-example-traces.ts [example ...]
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { probeConfig } from '../src/probe/index.js';

const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
const tracesDir = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
const names = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(examplesDir);

for (const name of names) {
  const { trace } = await probeConfig(await loadConfig(`${examplesDir}${name}/convdoc.yaml`), { backend: 'wasm' });
  // Timing varies from run to run; everything else is deterministic.
  writeFileSync(`${tracesDir}${name}.json`, `${JSON.stringify({ ...trace, seconds: 0 })}\n`);
  console.log(`${name}: ${trace.stepsRun} steps${trace.stoppedEarly ? `, stopped early (${trace.stoppedEarly})` : ''}`);
}
