/**
 * Child process of the wasm gradient check: computes every case's gradients
 * (cases.ts: GRADIENT_CASES, then BROKEN_ON_WASM_CASES) on ONE backend and
 * prints them as JSON, {case: {variable: number[]}}.
 *
 *   node --import tsx test/probe/gradcheck/compute-gradients.ts <cpu|wasm> [--only=a,b] [--stock-max-pool-grad]
 *
 * --stock-max-pool-grad keeps tfjs' own (buggy) wasm MaxPoolGrad, to show that
 * the comparison catches its bug.
 */
import { BROKEN_ON_WASM_CASES, GRADIENT_CASES, type CaseResult } from './cases.js';
import { parseBackendName, useBackend } from './backend.js';

interface Arguments {
  backend: ReturnType<typeof parseBackendName>;
  only: Set<string> | null;
  stockMaxPoolGrad: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const [backend, ...flags] = argv;
  const only = flags.find((flag) => flag.startsWith('--only='));
  return {
    backend: parseBackendName(backend),
    only: only === undefined ? null : new Set(only.slice('--only='.length).split(',')),
    stockMaxPoolGrad: flags.includes('--stock-max-pool-grad'),
  };
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  await useBackend(args.backend, { stockMaxPoolGrad: args.stockMaxPoolGrad });
  const results: Record<string, CaseResult> = {};
  for (const gradientCase of [...GRADIENT_CASES, ...BROKEN_ON_WASM_CASES.values()]) {
    if (args.only === null || args.only.has(gradientCase.name)) {
      results[gradientCase.name] = gradientCase.run();
    }
  }
  process.stdout.write(JSON.stringify(results));
}

await main();
