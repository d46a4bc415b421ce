/**
 * Research studies on both engines: researchers see study outcomes under pseudonyms and
 * nothing else of a participant; participants see only their own participation; a withdrawal
 * with deletion leaves no row of the person's study data.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, expect, it } from "vitest";
import { addDays } from "../../core/datetime";
import { NotFoundError } from "../../core/errors";
import type { CheckIn } from "../../core/experiments/days";
import { freezeProtocol, type Protocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { createSeededRng } from "../../core/stats/rng";
import { poolEffects } from "../../core/stats/meta-analysis";
import { poolEffectsCsv } from "../../core/studies/pooled";
import { consentHash, type StudyProtocol } from "../../core/studies/study";
import { setProcessDatabase } from "../db/client";
import { countRoundTrips } from "../db/round-trips";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { loadEffectsCsv, loadExportZip, loadMonitor } from "../studies/data";
import { MONITOR_PAGE_SIZE } from "../../core/studies/monitor";
import { createExperiment, listExperiments } from "./experiments";
import { deletePersonalData } from "./personal-data";
import * as studies from "./studies";

const hash = (code: string) => createHash("sha256").update(code).digest("hex");
const shared: StudyProtocol = {
  version: 1,
  primaryOutcome: "pain",
  mcid: 1,
  comparator: "rest-without-mat",
  sessionMinutes: 15,
  sessionTime: "19:00",
  position: "lying",
  area: "back",
  periodDays: 1,
  pairs: 8,
  washout: false,
  locked: ["minutes", "position", "area"],
};
const now = new Date();
const today = now.toISOString().slice(0, 10);
const NOTE = "a very private note about my knee";
/**
 * Statements of one view of the monitor once every analysis is in its cache, however many take
 * part: the study check, everyone in one query without their days, the day codes of the page's
 * participants, and the invitations, consent versions, researchers and the viewer's clock (each
 * read checking the study again, side by side). Before decision 098 it was 12, with every day read.
 */
const MONITOR_ROUND_TRIPS = 14;

/** A participant's experiment under the study protocol, started `back` days ago, with days recorded (one with a note). */
function pastExperiment(seed: number, shift: number, back = 17) {
  const protocol: Protocol = { ...shared, startsOn: addDays(today, -back), timeZone: "UTC", expectation: 4 };
  delete (protocol as { locked?: unknown }).locked;
  const schedule = createSchedule(protocol, seed);
  const rng = createSeededRng(seed);
  const recorded = new Map<string, CheckIn>();
  for (const d of schedule) {
    if (d.kind !== "period" || d.date >= today) continue;
    const pain = Math.max(0, Math.min(10, Math.round(5 - (d.condition === "A" ? shift : 0) + rng.normal())));
    recorded.set(d.date, { date: d.date, recordedOn: d.date, adherence: "as-assigned", values: { pain } });
  }
  return {
    frozen: freezeProtocol(protocol),
    frozenAt: new Date(`${protocol.startsOn}T08:00:00Z`),
    scheduleSeed: seed,
    analysisSeed: 77,
    source: "matwise" as const,
    schedule,
    recorded,
  };
}

describeEachDatabase("research studies", (t) => {
  let studyId = "";
  const ids: Record<string, { participant: string; experiment: string }> = {};
  let annPrivate = "";

  beforeAll(async () => {
    setProcessDatabase(t.handle);
    await t.db.insert(user).values([
      { id: "res", name: "Rita Researcher", email: "rita@example.com" },
      { id: "ann", name: "Annabel Secretname", email: "annabel.hidden@example.com" },
      { id: "bob", name: "Bob Hiddenname", email: "bob.hidden@example.com" },
      { id: "cat", name: "Cat Quiet", email: "cat.quiet@example.com" },
      { id: "eve", name: "Eve Co", email: "eve@example.com" },
      { id: "mal", name: "Mal", email: "mal@example.com" },
    ]);
    studyId = await studies.createStudy(t.db, "res", {
      title: "Mats for back pain",
      question: "Does the mat help back pain more than lying still?",
      contact: "rita@example.com",
      frozen: { protocol: shared, canonical: "{}", hash: "a".repeat(64) },
      screening: [{ question: "Are you pregnant?", excludeIf: "yes" }],
      targetSize: 20,
      endsOn: addDays(today, 60),
      consent: {
        items: ["I agree to share my study ratings.", "I may leave at any time."],
        hash: consentHash(1, ["I agree to share my study ratings.", "I may leave at any time."]),
      },
    });
    await studies.createInvitation(t.db, "res", studyId, {
      codeHash: hash("study-code-0000000"),
      kind: "study",
      label: "Study link",
    });
    await studies.createInvitation(t.db, "res", studyId, {
      codeHash: hash("personal-code-0001"),
      kind: "person",
      label: "For one",
    });
    const consent = consentHash(1, ["I agree to share my study ratings.", "I may leave at any time."]);
    for (const [who, code, shift, seed] of [
      ["ann", "personal-code-0001", 2, 11],
      ["bob", "study-code-0000000", 0.5, 12],
      ["cat", "study-code-0000000", 1, 13],
    ] as const) {
      const participant = await studies.recordConsent(t.db, who, {
        invitationCodeHash: hash(code),
        version: 1,
        hash: consent,
        now,
      });
      const experiment = await createExperiment(t.db, who, pastExperiment(seed, shift));
      await studies.attachExperiment(t.db, who, participant, experiment);
      ids[who] = { participant, experiment };
    }
    // A note on one of Ann's study days, and an experiment of hers outside the study.
    await t.db.execute(
      sql`update experiment_day set harms = ${NOTE} where experiment_id = ${ids["ann"]!.experiment} and day = 2`,
    );
    annPrivate = await createExperiment(t.db, "ann", pastExperiment(99, 0, 1)); // after her study experiment: one at a time
  });

  it("gives pseudonyms in order, uses a personal code once and refuses a revoked one", async () => {
    expect((await studies.getParticipation(t.db, "ann", studyId))?.pseudonym).toBe("P001");
    expect((await studies.getParticipation(t.db, "bob", studyId))?.pseudonym).toBe("P002");
    const again = studies.recordConsent(t.db, "eve", {
      invitationCodeHash: hash("personal-code-0001"),
      version: 1,
      hash: consentHash(1, ["I agree to share my study ratings.", "I may leave at any time."]),
      now,
    });
    await expect(again).rejects.toThrow(/already been used/);
    const [inv] = (await studies.listInvitations(t.db, "res", studyId)).filter((i) => i.kind === "study");
    await studies.revokeInvitation(t.db, "res", studyId, inv!.id, now);
    expect(await studies.findByInvitation(t.db, hash("study-code-0000000"))).toBeNull();
  });

  it("shows researchers the study's outcomes under pseudonyms, never a name, an email, a note or anything outside the study", async () => {
    const monitor = await loadMonitor(t.db, "res", studyId, "REML", now);
    const zip = unzipSync(await loadExportZip(t.db, "res", studyId, now));
    const shown = [
      JSON.stringify({ ...monitor, fmt: undefined }),
      ...Object.values(zip).map((f) => strFromU8(f)),
      await loadEffectsCsv(t.db, "res", studyId, now),
    ].join("\n");
    for (const secret of [
      "Annabel",
      "Secretname",
      "annabel.hidden",
      "Bob Hiddenname",
      "bob.hidden",
      "cat.quiet",
      NOTE,
      annPrivate,
      ids["ann"]!.experiment,
      '"ann"',
      '"bob"',
    ])
      expect(shown, secret).not.toContain(secret);
    expect(monitor.grid.map((g) => g.pseudonym)).toEqual(["P001", "P002", "P003"]);
    expect(Object.keys(zip).sort()).toEqual([
      "README.txt",
      "consent-versions.json",
      "days.csv",
      "effects.csv",
      "protocol.json",
    ]);
    expect(strFromU8(zip["days.csv"]!).split("\r\n")[0]).toBe(
      "pseudonym,day,block,period,condition,adherence,pain,tension,stress,sleepQuality,sleepLatency,wakings",
    );
    // The pooled results are the command's on the effects CSV.
    const csv = await loadEffectsCsv(t.db, "res", studyId, now);
    expect(csv.split("\r\n")[0]).toBe("id,effect,se");
    const rows = csv
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(","));
    expect(rows.map((r) => r[0])).toEqual(["P001", "P002", "P003"]);
    expect(monitor.pool).toEqual(
      poolEffects(rows.map(([id, e, se]) => ({ id: id!, effect: Number(e), se: Number(se) }))),
    );
    expect(poolEffectsCsv(csv, "DL")?.method).toBe("DL");
    expect(monitor.counts).toMatchObject({ invited: 3, consented: 3, excluded: 0, withdrawn: 0, analysed: 3 });
    const again = await countRoundTrips(() => loadMonitor(t.db, "res", studyId, "REML", now));
    expect(again.roundTrips).toBe(MONITOR_ROUND_TRIPS);
    expect(again.result.grid.map((g) => g.cells.length)).toEqual([16, 16, 16]);
  });

  it("conceals each running participant's later conditions in the export: ten days ago, days 9 to 16 were still ahead", async () => {
    const then = new Date(now.getTime() - 10 * 86_400_000);
    const days = await studies.listStudyDays(t.db, "res", studyId, then);
    expect(days.filter((d) => d.day >= 9).every((d) => d.condition === "concealed")).toBe(true);
    expect(days.filter((d) => d.day <= 8).every((d) => d.condition === "A" || d.condition === "B")).toBe(true);
    const zip = unzipSync(await loadExportZip(t.db, "res", studyId, then));
    const lines = strFromU8(zip["days.csv"]!)
      .trim()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(","));
    expect(lines.filter((l) => Number(l[1]) >= 9).map((l) => l[4])).toEqual(
      lines.filter((l) => Number(l[1]) >= 9).map(() => "concealed"),
    );
    // Today every day is past: nothing is concealed.
    expect((await studies.listStudyDays(t.db, "res", studyId, now)).some((d) => d.condition === "concealed")).toBe(
      false,
    );
  });

  it("lets nobody but the study's researchers read or change it; an owner adds co-researchers by email", async () => {
    for (const who of ["mal", "ann"]) {
      await expect(studies.requireResearchedStudy(t.db, who, studyId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(studies.listMonitorRows(t.db, who, studyId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(studies.listStudyDays(t.db, who, studyId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(loadEffectsCsv(t.db, who, studyId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(loadExportZip(t.db, who, studyId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        studies.createInvitation(t.db, who, studyId, { codeHash: hash(`x${who}`), kind: "study", label: "" }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(studies.addCoResearcher(t.db, who, studyId, "mal@example.com")).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
    await studies.addCoResearcher(t.db, "res", studyId, "EVE@example.com");
    expect((await studies.requireResearchedStudy(t.db, "eve", studyId)).role).toBe("co-researcher");
    await expect(studies.addCoResearcher(t.db, "eve", studyId, "mal@example.com")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(studies.requireResearchedStudy(t.db, "mal", studyId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lets a participant read and change only their own participation", async () => {
    const bob = await studies.getParticipation(t.db, "bob", studyId);
    expect(bob?.id).toBe(ids["bob"]!.participant);
    expect(JSON.stringify(bob)).not.toContain(ids["ann"]!.participant);
    await expect(
      studies.attachExperiment(t.db, "bob", ids["ann"]!.participant, ids["bob"]!.experiment),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      studies.attachExperiment(t.db, "bob", ids["bob"]!.participant, ids["ann"]!.experiment),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(studies.excludeParticipant(t.db, "bob", ids["ann"]!.participant, "x")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await studies.findStudyOfExperiment(t.db, "bob", ids["ann"]!.experiment)).toBeNull();
    await expect(studies.requireJoinedStudy(t.db, "mal", studyId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      studies.withdrawParticipant(t.db, "mal", studyId, "delete", { now, localDate: today }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await studies.getParticipation(t.db, "ann", studyId))?.state).toBe("enrolled");
  });

  it("a withdrawal that keeps the data keeps it up to that day; one with deletion leaves no row of the person's study data", async () => {
    await studies.withdrawParticipant(t.db, "bob", studyId, "keep", { now, localDate: addDays(today, -5) });
    const days = await studies.listStudyDays(t.db, "res", studyId);
    expect(Math.max(...days.filter((d) => d.pseudonym === "P002").map((d) => d.day))).toBe(13); // started 17 days ago: day 13 is 5 days ago

    await studies.withdrawParticipant(t.db, "ann", studyId, "delete", { now, localDate: today });
    const left = await t.db.execute(sql`
      select (select count(*) from study_participant where user_id = 'ann' or experiment_id = ${ids["ann"]!.experiment})::int
           + (select count(*) from study_consent where user_id = 'ann')::int
           + (select count(*) from study_researcher where user_id = 'ann')::int as n`);
    expect(Number((left as { rows: { n: number }[] }).rows[0]!.n)).toBe(0);
    const monitor = await loadMonitor(t.db, "res", studyId, "REML", now);
    expect(monitor.grid.map((g) => g.pseudonym)).toEqual(["P002", "P003"]);
    // Bob's row in the grid stops at the day he withdrew.
    expect(monitor.grid.map((g) => [g.status, g.cells.length])).toEqual([
      ["withdrew (data kept to that day)", 13],
      ["completed", 16],
    ]);
    expect(monitor.counts).toMatchObject({ consented: 3, withdrawn: 2, withdrawnDeleted: 1, withdrawnKept: 1 });
    expect((await studies.listStudyDays(t.db, "res", studyId)).some((d) => d.pseudonym === "P001")).toBe(false);
    expect(await loadEffectsCsv(t.db, "res", studyId, now)).not.toContain("P001");
    // The experiment stays Ann's own, ended, and no longer linked to the study.
    const mine = (await listExperiments(t.db, "ann")).find((e) => e.id === ids["ann"]!.experiment);
    expect(mine?.state).toBe("ended");
    expect(await studies.findStudyOfExperiment(t.db, "ann", ids["ann"]!.experiment)).toBeNull();
  });

  it("hands out distinct pseudonyms to people consenting at the same moment", async () => {
    const code = "concurrent-code-1";
    await studies.createInvitation(t.db, "res", studyId, { codeHash: hash(code), kind: "study", label: "" });
    const people = Array.from({ length: 6 }, (_, i) => `same-moment-${i}`);
    await t.db.insert(user).values(people.map((id) => ({ id, name: id, email: `${id}@example.com` })));
    const consent = consentHash(1, ["I agree to share my study ratings.", "I may leave at any time."]);
    await Promise.all(
      people.map((id) =>
        studies.recordConsent(t.db, id, { invitationCodeHash: hash(code), version: 1, hash: consent, now }),
      ),
    );
    const names = await Promise.all(
      people.map(async (id) => (await studies.getParticipation(t.db, id, studyId))!.pseudonym),
    );
    expect(new Set(names).size).toBe(6);
    expect(names.every((n) => /^P0(0[4-9]|1[0-9])$/.test(n))).toBe(true);
    // Someone who never started can only have the consent deleted, and then leaves no trace in the counts.
    await expect(
      studies.withdrawParticipant(t.db, people[0]!, studyId, "keep", { now, localDate: today }),
    ).rejects.toThrow(/not started/);
    const before = (await loadMonitor(t.db, "res", studyId, "REML", now)).counts;
    await studies.withdrawParticipant(t.db, people[0]!, studyId, "delete", { now, localDate: today });
    const after = (await loadMonitor(t.db, "res", studyId, "REML", now)).counts;
    expect([after.consented, after.withdrawnDeleted]).toEqual([before.consented - 1, before.withdrawnDeleted]);
  });

  it("keeps what each person agreed to when the researchers issue a new consent version", async () => {
    const items = ["I agree to share my study ratings.", "I may leave at any time.", "A new item."];
    await expect(
      studies.addConsentVersion(t.db, "mal", studyId, { items, hashOf: (v) => consentHash(v, items) }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await studies.addConsentVersion(t.db, "eve", studyId, { items, hashOf: (v) => consentHash(v, items) })).toBe(
      2,
    );
    await studies.createInvitation(t.db, "res", studyId, {
      codeHash: hash("version-two-code"),
      kind: "study",
      label: "",
    });
    await t.db.insert(user).values({ id: "late", name: "Late", email: "late@example.com" });
    const old = consentHash(1, items.slice(0, 2));
    await expect(
      studies.recordConsent(t.db, "late", { invitationCodeHash: hash("version-two-code"), version: 1, hash: old, now }),
    ).rejects.toThrow(/changed/);
    await studies.recordConsent(t.db, "late", {
      invitationCodeHash: hash("version-two-code"),
      version: 2,
      hash: consentHash(2, items),
      now,
    });
    expect(
      (await studies.getParticipation(t.db, "late", studyId))?.consents.map((c) => [c.version, c.items.length]),
    ).toEqual([[2, 3]]);
    expect((await studies.getParticipation(t.db, "bob", studyId))?.consents.map((c) => [c.version, c.hash])).toEqual([
      [1, old],
    ]);
  });

  it("erasing an account removes its study rows with everything else", async () => {
    expect(await deletePersonalData(t.db, "cat")).toBe(true);
    expect(
      (await loadMonitor(t.db, "res", studyId, "REML", now)).grid.map((g) => g.pseudonym).filter((p) => p < "P004"),
    ).toEqual(["P002"]);
  });

  it("shows the grid and the table of each person a page at a time, and everyone in the counts and the pooled results", async () => {
    const code = "paging-code-00001";
    await studies.createInvitation(t.db, "res", studyId, { codeHash: hash(code), kind: "study", label: "" });
    const people = Array.from({ length: MONITOR_PAGE_SIZE + 10 }, (_, i) => `many-${String(i).padStart(3, "0")}`);
    await t.db.insert(user).values(people.map((id) => ({ id, name: id, email: `${id}@example.com` })));
    const latest = (await studies.listConsentVersions(t.db, "res", studyId)).at(-1)!;
    for (const id of people)
      await studies.recordConsent(t.db, id, {
        invitationCodeHash: hash(code),
        version: latest.version,
        hash: latest.hash,
        now,
      });

    const first = await loadMonitor(t.db, "res", studyId, "DL", now, 1);
    const total = first.paging.total;
    expect(total).toBeGreaterThan(MONITOR_PAGE_SIZE);
    expect(first.grid).toHaveLength(MONITOR_PAGE_SIZE);
    expect(first.paging).toMatchObject({
      page: 1,
      pages: 2,
      earlierHref: null,
      laterHref: `/studies/${studyId}?page=2&method=DL`,
      range: `Participants 1 to ${MONITOR_PAGE_SIZE} of ${total}`,
    });
    // The people analysed so far are at the start (P002, and P001 withdrew keeping data): their rows are on page 1 only.
    expect(first.table.map((r) => r.id)).toEqual(
      first.grid.map((g) => g.pseudonym).filter((p) => first.table.some((r) => r.id === p)),
    );
    expect(first.table.length).toBe(first.paging.analysedHere);

    const second = await loadMonitor(t.db, "res", studyId, "DL", now, 2);
    expect(second.grid.map((g) => g.pseudonym)).toEqual(second.grid.map((g) => g.pseudonym).sort());
    expect(second.grid[0]!.pseudonym > first.grid[MONITOR_PAGE_SIZE - 1]!.pseudonym).toBe(true);
    expect(first.grid.length + second.grid.length).toBe(total);
    expect(second.paging).toMatchObject({
      page: 2,
      earlierHref: `/studies/${studyId}?method=DL`,
      laterHref: null,
      analysedHere: 0,
    });
    expect(second.table).toEqual([]);
    // Counts and pooling never depend on the page; a page past the end shows the last one.
    expect(second.counts).toEqual(first.counts);
    expect(second.pool).toEqual(first.pool);
    expect(second.paging.analysed).toBe(first.paging.analysed);
    expect((await loadMonitor(t.db, "res", studyId, "DL", now, 40)).grid).toEqual(second.grid);
    // Over twenty times as many participants as at the first view: the same statements.
    expect((await countRoundTrips(() => loadMonitor(t.db, "res", studyId, "DL", now, 1))).roundTrips).toBe(
      MONITOR_ROUND_TRIPS,
    );
  });
});
