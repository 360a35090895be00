/**
 * The text encoding of a log file, from its byte-order mark: UTF-16 little-endian when it opens
 * with FF FE (PowerShell 5's `>` and `Tee-Object` write a Python script's printed output so, bench
 * log 316), else UTF-8. UTF-16 without a mark, and big-endian UTF-16, are not read: Node decodes
 * neither, and no training log seen so far is written in them.
 */
import { open } from 'node:fs/promises';

export type LogEncoding = 'utf8' | 'utf16le';

const UTF16LE_BOM = [0xff, 0xfe];

/** The encoding of a file whose first bytes are `head`. */
export function encodingOf(head: Uint8Array): LogEncoding {
  return head[0] === UTF16LE_BOM[0] && head[1] === UTF16LE_BOM[1] ? 'utf16le' : 'utf8';
}

/** The encoding of `file`, read from its first two bytes. */
export async function fileEncoding(file: string): Promise<LogEncoding> {
  const handle = await open(file);
  try {
    const head = new Uint8Array(UTF16LE_BOM.length);
    await handle.read(head, 0, head.length, 0);
    return encodingOf(head);
  } finally {
    await handle.close();
  }
}
