/**
 * Output files are written so that they never harm what they touch. A regular file is written
 * whole or not at all: to a temporary file beside its real path, fsynced, then renamed over it,
 * keeping the old file's mode (and owner, when root can). A symlink is followed and its target
 * written, so the link stays a link. A character device, FIFO or socket, and the descriptor
 * aliases `/dev/stdout` and `/proc/self/fd/1`, are written in place: a rename would replace
 * `/dev/null` with a regular file when run as root.
 */
import { randomBytes } from 'node:crypto';
import { chown, open, readlink, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConvdocError } from '../errors.js';
import { errorCode } from './error-code.js';
import { displayPath } from './paths.js';

export interface OutputFile {
  file: string;
  content: string;
}

/** Where an output path leads once its links are followed, and how it is written there. */
export interface Target {
  file: string;
  /** The path written: a symlink's final target. */
  real: string;
  /** `stream`: a device, FIFO, socket or descriptor alias, written in place. */
  kind: 'new' | 'regular' | 'stream';
  /** The existing file's permission bits and owner, kept by the replacement. */
  mode?: number;
  owner?: { uid: number; gid: number };
}

/** A chain of links longer than Linux follows (MAXSYMLINKS, 40) is a loop. */
const MAX_LINK_HOPS = 40;

/** The descriptor aliases: opening them reopens what the shell gave this process, so they are never renamed over. */
const DESCRIPTOR_ALIAS = /^\/(?:dev\/(?:stdout|stderr|fd\/\d+)|proc\/(?:self|\d+)\/fd\/\d+)$/;

export async function resolveTarget(file: string): Promise<Target> {
  const absolute = path.resolve(file);
  const stats = await stat(absolute).catch(() => undefined);
  if (stats?.isDirectory()) throw cannotWrite(file, 'EISDIR');
  // open(2) of a Unix socket fails with ENXIO; say why rather than blame its folder.
  if (stats?.isSocket())
    throw new ConvdocError(
      `${displayPath(file)}: is a Unix socket, which cannot be written as a file. Choose a regular file, a FIFO or /dev/stdout.`,
    );
  if ((stats !== undefined && !stats.isFile()) || DESCRIPTOR_ALIAS.test(absolute))
    return { file, real: absolute, kind: 'stream' };
  const real = await realTarget(absolute, 0);
  if (stats === undefined) return { file, real, kind: 'new' };
  return { file, real, kind: 'regular', mode: stats.mode & 0o7777, owner: { uid: stats.uid, gid: stats.gid } };
}

/** The real path of a file that may not exist yet: through every link, a dangling one included. */
async function realTarget(file: string, hops: number): Promise<string> {
  const found = await realpath(file).catch(() => undefined);
  if (found !== undefined) return found;
  const link = await readlink(file).catch(() => undefined);
  if (link !== undefined && hops < MAX_LINK_HOPS) return realTarget(path.resolve(path.dirname(file), link), hops + 1);
  const folder = await realpath(path.dirname(file)).catch(() => path.dirname(file));
  return path.join(folder, path.basename(file));
}

/**
 * Writes the files together: every regular file to its temporary first, and only when all are
 * written, the renames, which are atomic on one file system. A failure leaves neither half a report
 * where CI will read it nor a temporary file. Streams are written last, once the files are in place.
 */
export async function writeOutputs(files: readonly OutputFile[]): Promise<void> {
  const targets = await Promise.all(
    files.map(async ({ file, content }) => ({ ...(await resolveTarget(file)), content })),
  );
  const staged: { temporary: string; target: Target }[] = [];
  const cleanUp = () => Promise.all(staged.map(({ temporary }) => unlink(temporary).catch(() => undefined)));
  for (const target of targets.filter(({ kind }) => kind !== 'stream')) {
    const temporary = `${target.real}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      staged.push({ temporary, target });
      await writeDurably(temporary, target.content, target);
    } catch (error) {
      await cleanUp();
      throw cannotWrite(target.file, errorCode(error));
    }
  }
  for (const [index, { temporary, target }] of staged.entries()) {
    try {
      await rename(temporary, target.real);
    } catch (error) {
      await Promise.all(staged.slice(index).map((entry) => unlink(entry.temporary).catch(() => undefined)));
      throw cannotWrite(target.file, errorCode(error));
    }
  }
  await Promise.all(staged.map(({ target }) => syncFolder(path.dirname(target.real))));
  for (const target of targets.filter(({ kind }) => kind === 'stream')) {
    // Append: through /dev/stdout a truncation would also cut what the shell's `>>` file held before.
    await writeFile(target.real, target.content, { encoding: 'utf8', flag: 'a' }).catch((error: unknown) => {
      throw cannotWrite(target.file, errorCode(error));
    });
  }
}

/** The temporary file, created new with the old file's mode and owner, and on disk before the rename. */
async function writeDurably(temporary: string, content: string, target: Target): Promise<void> {
  const handle = await open(temporary, 'wx', target.mode ?? 0o666);
  try {
    await handle.writeFile(content, 'utf8');
    // open() applied the umask; the old file's mode is what the user chose, so it is set exactly.
    if (target.mode !== undefined) await handle.chmod(target.mode);
    if (target.owner !== undefined && process.getuid?.() === 0)
      await chown(temporary, target.owner.uid, target.owner.gid);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The rename is durable once the folder's entry is: best effort, as some file systems refuse to fsync a folder. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

export async function writeOutput(file: string, content: string): Promise<void> {
  await writeOutputs([{ file, content }]);
}

export function cannotWrite(file: string, code: string): ConvdocError {
  return new ConvdocError(
    `${displayPath(file)}: cannot write the output file (${code}). Check that its folder exists and is writable.`,
  );
}
