/**
 * The baseline a signed-in page is held against (issue 27 item 1): a bare node:http handler that
 * does what the page's data needs and nothing else. It validates the same session cookie through
 * the same function (`getCurrentSession`, with its cache), runs the same queries through the
 * same driver (the repositories' queries in one `selectBatch`, as the page does), and writes a
 * small HTML string. No Astro, no middleware, no rendering, no security headers.
 *
 *   tsx bench/lib/baseline-server.ts   (PORT, and MATWISE_DATA_DIR or DATABASE_URL, as `matwise serve`)
 */
import { createServer } from "node:http";
import { getCurrentSession } from "../../src/server/auth/session";
import { selectBatch } from "../../src/server/db/batch";
import { openDatabase, setProcessDatabase } from "../../src/server/db/client";
import { parseEnv } from "../../src/server/env";
import { listDevices } from "../../src/server/repositories/devices";
import { experimentsQuery } from "../../src/server/repositories/experiments";
import {
  matSessionsPageQuery,
  sessionTrendsQueries,
  toRecord,
  toSessionTrends,
} from "../../src/server/repositories/mat-sessions";
import { planQuery } from "../../src/server/repositories/plans";
import { latestSafetyCheckQuery } from "../../src/server/repositories/safety-checks";
import { userMatsQuery } from "../../src/server/repositories/user-mats";

const handle = await openDatabase(parseEnv());
setProcessDatabase(handle);
const db = handle.db;

type Page = (userId: string, timeZone: string, sessionId: string) => Promise<string>;

const PAGES: Record<string, Page> = {
  "/today": async (userId, timeZone) => {
    const rows = await selectBatch(db, {
      plan: planQuery(db, userId),
      check: latestSafetyCheckQuery(db, userId),
      ...sessionTrendsQueries(db, userId, timeZone, 30),
      recent: matSessionsPageQuery(db, userId, { offset: 0, limit: 5 }),
      mats: userMatsQuery(db, userId),
      experiments: experimentsQuery(db, userId),
    });
    return `<p>${toSessionTrends(rows).count} sessions, ${rows.recent.map(toRecord).length} recent, plan ${rows.plan.length}</p>`;
  },
  "/sessions": async (userId, timeZone) => {
    const rows = await selectBatch(db, {
      ...sessionTrendsQueries(db, userId, timeZone),
      mats: userMatsQuery(db, userId),
      page: matSessionsPageQuery(db, userId, { offset: 0, limit: 20 }),
    });
    return `<p>${toSessionTrends(rows).count} sessions</p><ul>${rows.page.map((s) => `<li>${s.startedAt.toISOString()}</li>`).join("")}</ul>`;
  },
  "/account": async (userId) => `<p>${(await listDevices(db, userId)).length} devices</p>`,
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const page = PAGES[url.pathname];
  if (req.method === "GET" && url.pathname === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    return;
  }
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  const request = new Request(`http://localhost${url.pathname}`, { headers: { cookie: req.headers.cookie ?? "" } });
  getCurrentSession(request)
    .then(async (current) => {
      if (!current) return void res.writeHead(303, { location: "/account/sign-in" }).end();
      const body = await page(current.user.id, current.user.timeZone, current.session.id);
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(`<!doctype html><html lang="en"><title>baseline</title>${body}</html>`);
    })
    .catch((err: unknown) => {
      console.error(err);
      res.writeHead(500).end();
    });
});
server.listen(Number(process.env["PORT"] ?? 4399), "127.0.0.1", () =>
  console.log(`baseline listening on ${process.env["PORT"]}`),
);
process.on("SIGTERM", () => {
  server.close();
  void handle.close().then(() => process.exit(0));
});
