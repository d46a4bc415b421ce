/** Minimal structured logging to stderr/stdout; one line per event. */
function line(level: string, msg: string, extra?: unknown): string {
  const detail =
    extra instanceof Error ? (extra.stack ?? extra.message) : extra === undefined ? "" : JSON.stringify(extra);
  return `${new Date().toISOString()} ${level} ${msg}${detail ? ` ${detail}` : ""}`;
}
export const logger = {
  info: (msg: string, extra?: unknown) => console.log(line("info", msg, extra)),
  warn: (msg: string, extra?: unknown) => console.warn(line("warn", msg, extra)),
  error: (msg: string, extra?: unknown) => console.error(line("error", msg, extra)),
};
