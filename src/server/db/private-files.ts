/**
 * The embedded database, its backups and what is restored from them belong to the server's
 * user alone: folders 0700, files 0600, whatever the umask (issue 25, item 1).
 *
 * PGlite (Emscripten's NODEFS) creates its files with mode 0666 and ignores the umask, so the
 * barrier is the data folder's own mode (0700: nobody else can even look inside), and every
 * file found inside is put back to 0600 when the database opens, after PGlite created its
 * catalogues, and when it closes. Snapshots are written 0600 into a 0700 backups folder, and the
 * modes recorded inside their tarballs are rewritten to 0600/0700 so a restore by another tool
 * does not bring 0666 back.
 * @module
 */
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, writeSync } from "node:fs";
import { join } from "node:path";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents, those with mode 0700) and makes `dir` itself 0700. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Makes `root` and everything under it private: folders 0700, files 0600. Symbolic links are not
 * followed (their own mode means nothing on Linux). Returns how many entries had to change; a
 * missing `root` changes nothing. Entries that vanish during the walk (a WAL segment recycled)
 * are skipped.
 */
export function makeTreePrivate(root: string): number {
  let changed = 0;
  const visit = (path: string): void => {
    let st;
    try {
      st = lstatSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    if (st.isSymbolicLink()) return;
    const want = st.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((st.mode & 0o7777) !== want) {
      chmodSync(path, want);
      changed++;
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return changed;
}

/** Entries under `root` (itself included) that anyone but the owner can read, write or enter. */
export function openToOthers(root: string): string[] {
  const found: string[] = [];
  const visit = (path: string): void => {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    if (st.isSymbolicLink()) return;
    if ((st.mode & 0o077) !== 0) found.push(path);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return found;
}

/**
 * Writes `bytes` to `file` with mode 0600 from the first byte (a file that already exists is
 * made 0600 before it is written), and flushes it.
 */
export function writePrivateFile(file: string, bytes: Uint8Array): void {
  const fd = openSync(file, "w", PRIVATE_FILE_MODE);
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const BLOCK = 512;

/**
 * Rewrites the mode of every entry in a ustar tarball (PGlite's dumpDataDir) to 0700 for
 * folders and 0600 for everything else, fixing each header's checksum. Works in place and
 * returns the same bytes. Stops at the end-of-archive block; anything it does not understand
 * (a size it cannot read) ends the walk, leaving the rest as it was.
 */
export function privateTarModes(tar: Uint8Array): Uint8Array {
  let at = 0;
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const type = String.fromCharCode(header[156] ?? 0);
    const mode = type === "5" ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    writeOctal(header, 100, 8, mode);
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    writeOctal(header, 148, 8, sum);
    const sizeText = new TextDecoder().decode(header.subarray(124, 136)).replace(/\0/g, "").trim();
    const size = sizeText === "" ? 0 : Number.parseInt(sizeText, 8);
    if (!Number.isFinite(size) || size < 0) break;
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return tar;
}

/** Writes `value` as zero-padded octal of width-1 digits and a NUL, as ustar headers do. */
function writeOctal(header: Uint8Array, offset: number, width: number, value: number): void {
  const text = value.toString(8).padStart(width - 1, "0");
  for (let i = 0; i < width - 1; i++) header[offset + i] = text.charCodeAt(i);
  header[offset + width - 1] = 0;
}
