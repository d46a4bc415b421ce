/**
 * The service worker, built with Workbox (decision 091): bundled by esbuild and given its
 * precache list by `workbox-build`'s injectManifest after `astro build`
 * (scripts/build-sw.ts). It precaches the app shell (scripts, styles,
 * icons, the manifest, the offline page) and every guide and evidence page; keeps a copy of
 * Today, the timer, the log and the experiment pages after each visit online (network first);
 * empties those copies before any sign-in, sign-up, sign-out or account deletion is sent, and
 * whenever a page arrives made for another session than the copies were (the session marker:
 * signed out elsewhere, expired, cookies cleared); and answers a page it has no copy of with
 * the offline page, only when the network really failed (Back to the answer of a form sent
 * earlier is sent to that page afresh, never told to send the form again). It never caches a
 * post or a response that was redirected or refused. Push reminders are shown by `/sw-push.js`, which it
 * imports (decision 090).
 */
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkFirst, NetworkOnly } from "workbox-strategies";
import type { WorkboxPlugin } from "workbox-core/types";
import {
  changesAccount,
  isKeptPage,
  OFFLINE_PATH,
  PAGES_CACHE,
  SESSION_MARKER_HEADER,
  WARM_PATHS,
} from "../core/offline/pages";

/** The worker's own loader for classic scripts. */
declare function importScripts(...urls: string[]): void;

interface WorkerScope {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  location: Location;
  skipWaiting(): Promise<void>;
  addEventListener(type: "activate", listener: (event: { waitUntil(p: Promise<unknown>): void }) => void): void;
}
declare const self: WorkerScope;

// Showing reminders and their "Stop these" action (decision 090) lives in its own small file.
importScripts("/sw-push.js");

void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

/** One copy per page, whatever its query (`/timer?minutes=10` and `/timer` share it). */
const keyOf = (url: string) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

/** Only a plain 200 answer is kept: never a redirect (to sign in, say), an error or an opaque answer. */
const keepable = (response: Response) => response.status === 200 && response.type === "basic" && !response.redirected;

/** Where the worker notes whose session the kept copies belong to. */
const MARKER_CACHE = "matwise-session-marker";
const MARKER_KEY = "/__session-marker";

/**
 * A page arrived from the server: if it was made for another session than the kept copies (or for
 * nobody), the copies are dropped before anything else is kept. Answers without a marker (files,
 * prerendered pages) change nothing.
 */
async function adoptMarker(response: Response): Promise<void> {
  const marker = response.headers.get(SESSION_MARKER_HEADER);
  if (!marker) return;
  const meta = await caches.open(MARKER_CACHE);
  const known = await (await meta.match(MARKER_KEY))?.text();
  if (known === marker) return;
  await caches.delete(PAGES_CACHE);
  await meta.put(MARKER_KEY, new Response(marker));
}

/** Every page answer from the network goes through adoptMarker. */
const markerPlugin: WorkboxPlugin = {
  fetchDidSucceed: async ({ response }) => {
    await adoptMarker(response);
    return response;
  },
};

/**
 * Fetches the pages worth having before the person goes offline (with their cookies, as the page
 * would). A warm fetch never decides whose copies these are (only a page the person opens does):
 * one started before a sign-in can answer after it, for the visitor, and must then be dropped,
 * not kept beside the new person's pages. So a warmed page is kept only when it was made for the
 * session the copies already belong to.
 */
async function warm(): Promise<void> {
  await Promise.all(
    WARM_PATHS.map(async (path) => {
      try {
        const response = await fetch(path, { credentials: "same-origin", redirect: "follow" });
        const marker = response.headers.get(SESSION_MARKER_HEADER);
        const known = await (await (await caches.open(MARKER_CACHE)).match(MARKER_KEY))?.text();
        // Before any page has said whose the copies are (the worker's first start), this one says it.
        if (known === undefined) await adoptMarker(response);
        else if (marker !== null && marker !== known) return;
        if (!keepable(response)) return;
        await (await caches.open(PAGES_CACHE)).put(keyOf(new URL(path, self.location.href).href), response);
      } catch {
        // Offline or refused: the copy from the last visit stays.
      }
    }),
  );
}

self.addEventListener("activate", (event) => event.waitUntil(warm()));

registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin && isKeptPage(url.pathname),
  new NetworkFirst({
    cacheName: PAGES_CACHE,
    plugins: [
      markerPlugin,
      {
        cacheKeyWillBeUsed: ({ request }) => Promise.resolve(keyOf(request.url)),
        cacheWillUpdate: ({ response }) => Promise.resolve(keepable(response) ? response : null),
        cacheDidUpdate: async ({ request }) => {
          if (new URL(request.url).pathname === "/today") await warm();
        },
      },
    ],
  }),
);

// Whoever signs in next must not see the last person's pages: empty the copies first.
registerRoute(
  ({ request, url }) => url.origin === self.location.origin && changesAccount(request.method, url.pathname),
  async ({ request }) => {
    await caches.delete(PAGES_CACHE);
    return fetch(request);
  },
  "POST",
);

// Every other page and form goes to the network as before; only its failure is handled here.
const otherPage = ({ request }: { request: Request }) => request.mode === "navigate";
registerRoute(otherPage, new NetworkOnly({ plugins: [markerPlugin] }), "GET");

/** Whether the server answers at all: tells a real network failure from a request the browser would not send. */
async function serverAnswers(): Promise<boolean> {
  try {
    return (await fetch("/healthz", { cache: "no-store" })).ok;
  } catch {
    return false;
  }
}

// A form sent, passed on as it is; only a failure is handled below.
registerRoute(otherPage, new NetworkOnly({ plugins: [markerPlugin] }), "POST");

// A page with no copy, or a form sent, while offline: the offline page says what still works. But
// Back or Forward to the answer of a form sent earlier fails here too (the browser asks its cache
// only, and never sends a form twice): that is no network failure, so the page is shown afresh (a
// GET of the same address), never the offline page that says to send the form again.
setCatchHandler(async ({ request }) => {
  if (request.mode !== "navigate") return Response.error();
  const historyVisit = request.cache === "only-if-cached";
  if (request.method === "POST" && (historyVisit || (await serverAnswers())))
    return Response.redirect(request.url, 303);
  if (historyVisit) {
    try {
      return await fetch(request.url, { credentials: "same-origin" });
    } catch {
      // Really offline: the offline page below.
    }
  }
  return (await matchPrecache(OFFLINE_PATH)) ?? Response.error();
});
