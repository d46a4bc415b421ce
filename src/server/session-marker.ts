/**
 * The session marker on server-rendered pages (issue 25 item 5): which session made a page, as a
 * short one-way hash, so the service worker can tie its offline copies to that session and drop
 * them once the server answers for another one or for nobody.
 * @module
 */
import { createHash } from "node:crypto";
import { NO_SESSION } from "../core/offline/pages";
import { getCurrentSession, mayBeSignedIn } from "./auth/session";

/** A short hash of a session id: the same session gives the same marker, and the marker gives nothing away. */
export const markerOf = (sessionId: string) =>
  createHash("sha256").update(`matwise-session-marker:${sessionId}`).digest("hex").slice(0, 24);

/** The marker for the session `request` carries, or NO_SESSION when it carries none or one that is no longer valid. */
export async function getSessionMarker(request: Request): Promise<string> {
  if (!mayBeSignedIn(request)) return NO_SESSION;
  const current = await getCurrentSession(request).catch(() => null);
  return current ? markerOf(current.session.id) : NO_SESSION;
}
