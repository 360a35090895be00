/**
 * Comparison of two backends' gradient-check results.
 */
export type Results = Record<string, Record<string, number[]>>;

/** ||actual - expected|| / ||expected|| (Euclidean norms); the absolute norm when expected is all zeros. */
function relativeError(actual: readonly number[], expected: readonly number[]): number {
  if (actual.length !== expected.length) {
    return Number.POSITIVE_INFINITY;
  }
  let differenceSquared = 0;
  let expectedSquared = 0;
  for (let i = 0; i < expected.length; ++i) {
    const difference = (actual[i] ?? Number.NaN) - (expected[i] ?? Number.NaN);
    differenceSquared += difference * difference;
    expectedSquared += (expected[i] ?? 0) ** 2;
  }
  const difference = Math.sqrt(differenceSquared);
  return expectedSquared === 0 ? difference : difference / Math.sqrt(expectedSquared);
}

export interface VariableError {
  caseName: string;
  variable: string;
  error: number;
}

/** One entry per case and variable of `expected`; a variable missing from `actual` has an infinite error. */
export function compareResults(actual: Results, expected: Results): VariableError[] {
  const errors: VariableError[] = [];
  for (const [caseName, variables] of Object.entries(expected)) {
    for (const [variable, values] of Object.entries(variables)) {
      const other = actual[caseName]?.[variable];
      errors.push({
        caseName,
        variable,
        error: other === undefined ? Number.POSITIVE_INFINITY : relativeError(other, values),
      });
    }
  }
  return errors;
}

/** The largest error of each case. */
export function maxErrorPerCase(errors: readonly VariableError[]): Map<string, number> {
  const perCase = new Map<string, number>();
  for (const { caseName, error } of errors) {
    perCase.set(caseName, Math.max(perCase.get(caseName) ?? 0, error));
  }
  return perCase;
}
