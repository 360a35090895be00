import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A writer of small log files into a fresh temporary folder, for reader tests that need a file on disk. */
export function tempLogWriter(prefix: string): (name: string, content: string | Uint8Array) => string {
  const directory = mkdtempSync(path.join(tmpdir(), `convdoc-${prefix}-`));
  return (name, content) => {
    const file = path.join(directory, name);
    writeFileSync(file, content);
    return file;
  };
}
