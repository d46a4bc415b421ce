/**
 * Database round trips per signed-in page (issue 27), counted on the driver: what a GET of the
 * page asks of the database, the session lookup included, with a budget per page. Counts, not
 * times: they hold on any machine. A second view within a few seconds finds the session in the
 * process's cache (src/server/auth/session-cache.ts).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { clockOf, getCurrentSession, getCurrentUser } from "./auth/session";
import { forgetAllSessions } from "./auth/session-cache";
import { setProcessDatabase } from "./db/client";
import { countRoundTrips } from "./db/round-trips";
import { describeEachDatabase } from "./db/testing";
import { loadDevices } from "./account/data";
import { loadOwnCatalogueMats } from "./mats/data";
import { createMatSessions } from "./repositories/mat-sessions";
import { savePlan } from "./repositories/plans";
import { createUserMat } from "./repositories/user-mats";
import { loadSessionLog } from "./sessions/data";
import { loadToday } from "./today/data";

/** The catalogue's mats, as the pages pass them in. */
const CATALOGUE = [{ id: "spoonk", name: "Spoonk" }];

const AUTH_KEY = Symbol.for("matwise.auth");
const DB_KEY = Symbol.for("matwise.db");
const NOW = new Date("2026-12-05T12:00:00Z");

/**
 * Round trips of one GET of each page, the session lookup included (two: the session row, then
 * its user): the budgets of issue 27. Within a few seconds of a lookup the session comes from
 * the process's cache and the page costs two fewer.
 */
const BUDGET = { today: 3, sessions: 3, account: 3, mats: 3 } as const;
const SESSION_LOOKUP = 2;

describeEachDatabase("round trips per page", (t) => {
  let cookie = "";
  const get = (path: string) => new Request(`http://localhost${path}`, { headers: { cookie } });

  beforeAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[AUTH_KEY];
    setProcessDatabase(t.handle);
    const { getAuth } = await import("./auth/auth");
    const { auth } = await getAuth();
    const res = await auth.api.signUpEmail({
      body: {
        name: "Counted",
        email: `count-${t.handle.kind}@example.com`,
        password: "correct horse battery",
        timeZone: "Europe/Berlin",
      },
      asResponse: true,
    });
    cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    const user = (await getCurrentUser(get("/")))!;
    await savePlan(
      t.db,
      user.id,
      {
        skin: "high",
        tolerance: "average",
        area: "back",
        level: "fine",
        areasOff: [],
        professionalAgreed: false,
        start: "2026-11-20",
      },
      { lengthDays: 21, gentleness: 1 },
    );
    await createUserMat(t.db, user.id, { name: "Old mat", spikeCount: 6210, length: 68, width: 42 } as never).catch(
      () => undefined,
    );
    const base = {
      durationSeconds: 600,
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: "spoonk",
      note: null,
      discomfort: 5,
      painBefore: 4,
      painAfter: 3,
      tensionBefore: null,
      tensionAfter: null,
      stressBefore: null,
      stressAfter: null,
      relaxationBefore: null,
      relaxationAfter: null,
    };
    await createMatSessions(
      t.db,
      user.id,
      Array.from({ length: 30 }, (_, i) => ({
        ...base,
        startedAt: new Date(Date.UTC(2026, 10, 1 + i, 8)).toISOString(),
      })) as never,
    );
  });

  afterAll(() => {
    delete (globalThis as Record<symbol, unknown>)[AUTH_KEY];
    delete (globalThis as Record<symbol, unknown>)[DB_KEY];
  });

  async function today() {
    const request = get("/today");
    const user = await getCurrentUser(request);
    return loadToday(t.db, request, new URL(request.url), user, CATALOGUE, NOW);
  }
  async function sessions() {
    const user = (await getCurrentUser(get("/sessions")))!;
    return loadSessionLog(t.db, user.id, CATALOGUE, clockOf(user), { page: null, showing: null });
  }
  async function account() {
    const current = (await getCurrentSession(get("/account")))!;
    return loadDevices(t.db, current.user.id, current.session.id, clockOf(current.user));
  }
  async function mats() {
    const user = await getCurrentUser(get("/mats/"));
    return loadOwnCatalogueMats(t.db, user?.id ?? null);
  }

  it.each([
    ["today", today],
    ["sessions", sessions],
    ["account", account],
    ["mats", mats],
  ] as const)("GET /%s stays within its budget of round trips", async (name, load: () => Promise<unknown>) => {
    forgetAllSessions();
    const first = await countRoundTrips(load);
    const again = await countRoundTrips(load);
    expect(first.roundTrips).toBeLessThanOrEqual(BUDGET[name]);
    expect(again.roundTrips).toBeLessThanOrEqual(BUDGET[name] - SESSION_LOOKUP);
    expect(again.result).toEqual(first.result);
  });

  it("reads the same through the batch as the pages did query by query", async () => {
    const shown = await today();
    expect(shown.started).toBe(true);
    expect(shown.cards.length).toBeGreaterThan(1);
    const log = await sessions();
    expect(log.paging.total).toBe(30);
    expect(log.lines.map((l) => l.when)[0]).toContain("30 Nov 2026");
    expect(log.lines).toHaveLength(20);
    const user = (await getCurrentUser(get("/sessions")))!;
    const last = await loadSessionLog(t.db, user.id, CATALOGUE, clockOf(user), { page: "9", showing: null });
    expect(last.paging.page).toBe(2);
    expect(last.lines).toHaveLength(10);
  });
});
