/**
 * Security headers for every response. The Content-Security-Policy allows scripts only from
 * this origin plus the inline scripts the build produced (by SHA-256 hash, collected at build
 * time by src/server/script-hashes-integration.ts), so there is never an 'unsafe-inline' for
 * scripts and nothing a page renders (a URL, a person's data) can add to the list.
 * @module
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Name of the file beside the server build that lists the build's script hashes. */
export const SCRIPT_HASHES_FILE = "script-hashes.json";

/** The CSP source expression of one inline script. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** The hashes the build wrote to `serverDir`, or null when the file is missing (not built with the integration). */
export function loadScriptHashes(serverDir: string): string[] | null {
  const file = join(serverDir, SCRIPT_HASHES_FILE);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { scriptHashes?: unknown };
  const hashes = Array.isArray(parsed.scriptHashes) ? parsed.scriptHashes : [];
  return hashes.filter((h): h is string => typeof h === "string" && /^'sha256-[A-Za-z0-9+/=]+'$/.test(h));
}

/** The policy for a response; `scriptHashes` are the build's own inline scripts (see `loadScriptHashes`). */
export function contentSecurityPolicy(scriptHashes: readonly string[] = []): string {
  const scripts = ["'self'", "'wasm-unsafe-eval'", ...scriptHashes].join(" ");
  return [
    "default-src 'self'",
    `script-src ${scripts}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers every response carries (the CSP here suits responses without inline scripts). */
export const baseSecurityHeaders: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
};
