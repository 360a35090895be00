/** Why a file operation failed, in words users can look up: its errno code (ENOENT, EISDIR), else the error's text. */
export function errorCode(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return code ?? String(error);
}
