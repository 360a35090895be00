/** The `--backend` choices, apart from the backend code so the CLI can list them without loading tfjs. */
export const BACKEND_CHOICES = ['auto', 'node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
