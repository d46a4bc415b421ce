/**
 * The baseline a signed-in page is held against (issue 27 item 1): a bare node:http handler that
 * does what the page's data needs and nothing else. It validates the same session cookie through
 * the same function (`getCurrentSession`, with its cache), runs the same queries through the
 * same driver (the repositories' queries in one `selectBatch`, as the page does), and writes a
 * small HTML string. No Astro, no middleware, no rendering, no security headers.
 *
 * `/experiments/<id>` makes the page's reads (the experiment, its days, the nights a device measured over
 * them, the stored analyses, the study it belongs to; src/server/experiments/data.ts itself imports
 * Astro's content and cannot run here). `POST /sessions/new` reads the form, validates it
 * with the same schema against the person's own mats (the same query; the catalogue's ids are
 * content, not read from the database), stores the session and answers 303, as `logSession` does.
 *
 *   tsx bench/lib/baseline-server.ts   (PORT, and MATWISE_DATA_DIR or DATABASE_URL, as `matwise serve`)
 */
import { createServer, type IncomingMessage } from "node:http";
import { ownMatId } from "../../src/core/mats/user-mat";
import { createSessionFormSchema } from "../../src/core/sessions/schema";
import { getCurrentSession } from "../../src/server/auth/session";
import { selectBatch } from "../../src/server/db/batch";
import { openDatabase, setProcessDatabase } from "../../src/server/db/client";
import { parseEnv } from "../../src/server/env";
import { parseWith } from "../../src/server/http";
import { listSleepRecordsBetween } from "../../src/server/repositories/sleep-records";
import { findStudyOfExperiment } from "../../src/server/repositories/studies";
import { listDevices } from "../../src/server/repositories/devices";
import {
  experimentsQuery,
  getAnalysisCache,
  listExperimentDays,
  requireExperiment,
} from "../../src/server/repositories/experiments";
import {
  createMatSession,
  matSessionsPageQuery,
  sessionTrendsQueries,
  toRecord,
  toSessionTrends,
} from "../../src/server/repositories/mat-sessions";
import { planQuery } from "../../src/server/repositories/plans";
import { latestSafetyCheckQuery } from "../../src/server/repositories/safety-checks";
import { listUserMats, userMatsQuery } from "../../src/server/repositories/user-mats";

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

/** `/experiments/<id>`: the page's reads, then a line of what they gave. */
const experimentPage = async (userId: string, id: string): Promise<string> => {
  const experiment = await requireExperiment(db, userId, id);
  const days = await listExperimentDays(db, userId, id);
  const nights = days.length > 0 ? await listSleepRecordsBetween(db, userId, days[0]!.date, days.at(-1)!.date) : [];
  const analyses = await getAnalysisCache(db, userId, id);
  const study = await findStudyOfExperiment(db, userId, id);
  return `<p>${experiment.protocol.primaryOutcome}: ${days.length} days, ${nights.length} nights, results ${analyses ? "yes" : "no"}, study ${study ? "yes" : "no"}</p>`;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `POST /sessions/new`: the form read and validated, the session stored, a 303 to the log. */
async function logSession(userId: string, timeZone: string, body: string): Promise<string> {
  const raw = Object.fromEntries(new URLSearchParams(body));
  const mats = await listUserMats(db, userId);
  const input = parseWith(
    createSessionFormSchema(
      mats.map((m) => ownMatId(m.id)),
      new Date(),
      timeZone,
    ),
    raw,
    "form",
  );
  const id = await createMatSession(db, userId, input, null);
  return `/sessions?saved=${id}#session-${id}`;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const experiment = /^\/experiments\/([0-9a-f-]{36})$/.exec(url.pathname)?.[1];
  const post = req.method === "POST" && url.pathname === "/sessions/new";
  const page: Page | undefined = experiment
    ? (userId) => experimentPage(userId, experiment)
    : req.method === "GET"
      ? PAGES[url.pathname]
      : undefined;
  if (req.method === "GET" && url.pathname === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    return;
  }
  if (!page && !post) {
    res.writeHead(404).end();
    return;
  }
  const request = new Request(`http://localhost${url.pathname}`, { headers: { cookie: req.headers.cookie ?? "" } });
  getCurrentSession(request)
    .then(async (current) => {
      if (!current) return void res.writeHead(303, { location: "/account/sign-in" }).end();
      if (post) {
        const location = await logSession(current.user.id, current.user.timeZone, await readBody(req));
        return void res.writeHead(303, { location }).end();
      }
      const body = await page!(current.user.id, current.user.timeZone, current.session.id);
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
