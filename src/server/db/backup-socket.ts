/**
 * Online backups of the embedded database. Only one process may open the folder, so while the
 * server runs, `matwise backup` asks the server for the snapshot instead of opening it.
 *
 * The channel is a Unix socket beside the data folder, `<data dir>.sock` (beside it, like the
 * lock file, because a snapshot copies the folder itself). It is created with mode 0600, so only
 * the user that runs matwise (and root) can connect; it has no address on any network and no
 * browser can reach it. It offers one read-only request, a snapshot:
 *
 *   client → `{"op":"snapshot"}\n`
 *   server → `{"ok":true,"bytes":N}\n` then N bytes of gzipped tarball, or `{"ok":false,"error":"…"}\n`
 * @module
 */
import { chmodSync, existsSync, lstatSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { DbHandle } from "./client";
import { snapshotBytes } from "./client";

/** Longest path a Unix socket may have on Linux (sun_path is 108 bytes with the final NUL). */
const MAX_SOCKET_PATH = 107;
const MAX_REQUEST_BYTES = 1024;
/** A client that sends nothing, or a server that sends nothing, for this long is given up on. */
const IDLE_MS = 60_000;

export function backupSocketPath(dataDir: string): string {
  return `${dataDir}.sock`;
}

export interface BackupListener {
  path: string;
  close(): Promise<void>;
}

function answer(socket: Socket, header: object, body?: Buffer): void {
  socket.end(body ? Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), body]) : `${JSON.stringify(header)}\n`);
}

/**
 * Listens for snapshot requests at `path`. The caller holds the data-folder lock, so a socket
 * file already there was left by a process that is gone and is replaced. Returns null (after
 * `warn`) when the path is too long for a Unix socket.
 */
export async function listenForBackups(
  handle: DbHandle,
  path: string,
  warn: (message: string) => void = () => {},
): Promise<BackupListener | null> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    warn(
      `online backups are off: the socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes (move MATWISE_DATA_DIR to a shorter path); stop the server to back up`,
    );
    return null;
  }
  if (existsSync(path) && lstatSync(path).isSocket()) unlinkSync(path);
  /** Open connections, and whether each is being sent a snapshot. */
  const open = new Map<Socket, { busy: boolean }>();
  const server: Server = createServer((socket) => {
    const state = { busy: false };
    open.set(socket, state);
    socket.once("close", () => open.delete(socket));
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    let request = "";
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: Buffer) => {
      request += chunk.toString("utf8");
      if (request.length > MAX_REQUEST_BYTES) {
        socket.removeAllListeners("data");
        answer(socket, { ok: false, error: "request too long" });
        return;
      }
      const newline = request.indexOf("\n");
      if (newline < 0) return;
      socket.removeAllListeners("data");
      let op: unknown;
      try {
        op = (JSON.parse(request.slice(0, newline)) as { op?: unknown }).op;
      } catch {
        op = undefined;
      }
      if (op !== "snapshot") {
        answer(socket, { ok: false, error: 'unknown request (the only one is {"op":"snapshot"})' });
        return;
      }
      state.busy = true;
      snapshotBytes(handle).then(
        (bytes) => answer(socket, { ok: true, bytes: bytes.length }, bytes),
        (err: unknown) => answer(socket, { ok: false, error: (err as Error).message.split("\n")[0] }),
      );
    });
  });
  // Create the socket file with no permissions for group and others from the first instant.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((ok, fail) => {
      server.once("error", fail);
      server.listen(path, () => ok());
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(path, 0o600);
  return {
    path,
    // A snapshot being sent is finished; a connection that has asked for nothing is closed.
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        for (const [socket, state] of open) if (!state.busy) socket.destroy();
      }),
  };
}

export class BackupRequestError extends Error {
  override readonly name = "BackupRequestError";
}

/**
 * Asks the server listening at `path` for a snapshot. Resolves with its bytes, or with null
 * when no server listens there (no socket file, or one left by a process that is gone).
 */
export function requestSnapshot(path: string): Promise<Buffer | null> {
  if (!existsSync(path)) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const chunks: Buffer[] = [];
    let connected = false;
    socket.setTimeout(IDLE_MS, () =>
      socket.destroy(new BackupRequestError(`the server sent nothing for ${IDLE_MS / 1000} s`)),
    );
    socket.on("connect", () => {
      connected = true;
      socket.write(`${JSON.stringify({ op: "snapshot" })}\n`);
    });
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (!connected && (err.code === "ECONNREFUSED" || err.code === "ENOENT")) resolve(null);
      else
        reject(
          err instanceof BackupRequestError
            ? err
            : new BackupRequestError(`the connection to the server failed: ${err.message}`),
        );
    });
    socket.on("end", () => {
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(0x0a);
      if (newline < 0) return reject(new BackupRequestError("the server closed the connection without an answer"));
      let header: { ok?: boolean; bytes?: number; error?: string };
      try {
        header = JSON.parse(all.subarray(0, newline).toString("utf8")) as typeof header;
      } catch {
        return reject(new BackupRequestError("the server's answer could not be read"));
      }
      if (!header.ok)
        return reject(
          new BackupRequestError(`the server could not make a snapshot: ${header.error ?? "no reason given"}`),
        );
      const body = all.subarray(newline + 1);
      if (body.length !== header.bytes)
        return reject(
          new BackupRequestError(`the snapshot is incomplete (${body.length} of ${header.bytes ?? "?"} bytes)`),
        );
      resolve(body);
    });
  });
}
