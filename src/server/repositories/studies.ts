/**
 * Research studies. Two kinds of reader, each scoped in every query: a study's researchers
 * (owners and co-researchers) read the study and its participants' study outcomes under
 * pseudonyms, and never a name, an email, a note or anything outside the study; a participant
 * reads and changes only their own participation. Someone else's study reads like a missing one.
 * @module
 */
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { ConflictError, NotFoundError } from "../../core/errors";
import type { ParticipantState, WithdrawalChoice } from "../../core/studies/monitor";
import type { Screening, StudyProtocol } from "../../core/studies/study";
import { pseudonym } from "../../core/studies/study";
import { localDatesAt } from "../../core/datetime";
import { analysisThrough } from "../../core/experiments/days";
import { parseStoredProtocol, type DayValues, type PERIOD_DAYS } from "../../core/experiments/protocol";
import { concealmentOf, isConcealed, type ConcealmentClock } from "../../core/experiments/concealment";
import type { ExperimentSource } from "../../core/experiments/labels";
import { blocksCompleted } from "../../core/experiments/schedule";

type PeriodDays = (typeof PERIOD_DAYS)[number];
import type { Db } from "../db/client";
import {
  experiment,
  experimentDay,
  study,
  studyConsent,
  studyConsentVersion,
  studyInvitation,
  studyParticipant,
  studyResearcher,
  user,
} from "../db/schema";
import { isUuid, requireRow } from "./owned";

const NO_STUDY = "No such study.";

export interface StudyRecord {
  id: string;
  title: string;
  question: string;
  contact: string;
  protocol: StudyProtocol;
  protocolCanonical: string;
  protocolHash: string;
  screening: Screening[];
  targetSize: number;
  endsOn: string;
  withdrawnDeleted: number;
  createdAt: string;
}

/** The one mapping from a study row to what pages see. */
export function toStudy(row: typeof study.$inferSelect): StudyRecord {
  return {
    id: row.id,
    title: row.title,
    question: row.question,
    contact: row.contact,
    protocol: row.protocol as unknown as StudyProtocol,
    protocolCanonical: row.protocolCanonical,
    protocolHash: row.protocolHash,
    screening: row.screening,
    targetSize: row.targetSize,
    endsOn: row.endsOn,
    withdrawnDeleted: row.withdrawnDeleted,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface ConsentVersion {
  version: number;
  items: string[];
  hash: string;
  createdAt: string;
}

const toConsentVersion = (r: typeof studyConsentVersion.$inferSelect): ConsentVersion => ({
  version: r.version,
  items: r.items,
  hash: r.hash,
  createdAt: r.createdAt.toISOString(),
});

export interface NewStudy {
  title: string;
  question: string;
  contact: string;
  frozen: { protocol: StudyProtocol; canonical: string; hash: string };
  screening: Screening[];
  targetSize: number;
  endsOn: string;
  consent: { items: string[]; hash: string };
}

/** Stores a study with its owner and its first consent version, in one transaction; returns its id. */
export async function createStudy(db: Db, ownerId: string, input: NewStudy): Promise<string> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(study)
      .values({
        title: input.title,
        question: input.question,
        contact: input.contact,
        protocol: input.frozen.protocol,
        protocolCanonical: input.frozen.canonical,
        protocolHash: input.frozen.hash,
        screening: input.screening,
        targetSize: input.targetSize,
        endsOn: input.endsOn,
      })
      .returning({ id: study.id });
    const id = requireRow(row ? [row] : [], "The study was not saved.").id;
    await tx.insert(studyResearcher).values({ studyId: id, userId: ownerId, role: "owner" });
    await tx
      .insert(studyConsentVersion)
      .values({ studyId: id, version: 1, items: input.consent.items, hash: input.consent.hash });
    return id;
  });
}

/** The studies a person researches, newest first, with their role. */
export async function listResearchedStudies(
  db: Db,
  userId: string,
): Promise<{ id: string; title: string; role: string }[]> {
  return db
    .select({ id: study.id, title: study.title, role: studyResearcher.role })
    .from(studyResearcher)
    .innerJoin(study, eq(study.id, studyResearcher.studyId))
    .where(eq(studyResearcher.userId, userId))
    .orderBy(sql`${study.createdAt} desc`);
}

/** The study when `userId` is one of its researchers, with their role; NotFoundError otherwise. */
export async function requireResearchedStudy(
  db: Db,
  userId: string,
  studyId: string,
): Promise<StudyRecord & { role: "owner" | "co-researcher" }> {
  if (!isUuid(studyId)) throw new NotFoundError(NO_STUDY);
  const [row] = await db
    .select({ s: study, role: studyResearcher.role })
    .from(study)
    .innerJoin(studyResearcher, and(eq(studyResearcher.studyId, study.id), eq(studyResearcher.userId, userId)))
    .where(eq(study.id, studyId));
  if (!row) throw new NotFoundError(NO_STUDY);
  return { ...toStudy(row.s), role: row.role as "owner" | "co-researcher" };
}

/** Adds a co-researcher by the email of their account; only an owner may. */
export async function addCoResearcher(db: Db, ownerId: string, studyId: string, email: string): Promise<void> {
  const s = await requireResearchedStudy(db, ownerId, studyId);
  if (s.role !== "owner") throw new NotFoundError(NO_STUDY);
  const [person] = await db
    .select({ id: user.id })
    .from(user)
    .where(eq(sql`lower(${user.email})`, email.toLowerCase()));
  if (!person)
    throw new ConflictError("No account uses that email. Ask them to create one first, then add them again.");
  await db
    .insert(studyResearcher)
    .values({ studyId: s.id, userId: person.id, role: "co-researcher" })
    .onConflictDoNothing();
}

/** How many researchers a study has (for the monitor); names and emails are not shown. */
export async function countResearchers(db: Db, userId: string, studyId: string): Promise<number> {
  const s = await requireResearchedStudy(db, userId, studyId);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(studyResearcher)
    .where(eq(studyResearcher.studyId, s.id));
  return row?.n ?? 0;
}

/** Every consent version of a study, oldest first (researchers). */
export async function listConsentVersions(db: Db, userId: string, studyId: string): Promise<ConsentVersion[]> {
  const s = await requireResearchedStudy(db, userId, studyId);
  return (
    await db
      .select()
      .from(studyConsentVersion)
      .where(eq(studyConsentVersion.studyId, s.id))
      .orderBy(asc(studyConsentVersion.version))
  ).map(toConsentVersion);
}

/**
 * Adds a new version of the consent text (owners and co-researchers); people joining from now on
 * agree to it, and what earlier participants agreed to stays as it was. Returns its number.
 */
export async function addConsentVersion(
  db: Db,
  userId: string,
  studyId: string,
  input: { items: string[]; hashOf: (version: number) => string },
): Promise<number> {
  const s = await requireResearchedStudy(db, userId, studyId);
  return db.transaction(async (tx) => {
    await tx.select({ id: study.id }).from(study).where(eq(study.id, s.id)).for("update");
    const [last] = await tx
      .select({ n: sql<number>`coalesce(max(${studyConsentVersion.version}), 0)::int` })
      .from(studyConsentVersion)
      .where(eq(studyConsentVersion.studyId, s.id));
    const version = Number(last?.n ?? 0) + 1;
    await tx
      .insert(studyConsentVersion)
      .values({ studyId: s.id, version, items: input.items, hash: input.hashOf(version) });
    return version;
  });
}

export interface InvitationRecord {
  id: string;
  kind: "study" | "person";
  label: string;
  used: boolean;
  revoked: boolean;
  createdAt: string;
}

/** Stores an invitation by the SHA-256 of its code (the code itself is shown once and never stored). */
export async function createInvitation(
  db: Db,
  userId: string,
  studyId: string,
  input: { codeHash: string; kind: "study" | "person"; label: string },
): Promise<void> {
  const s = await requireResearchedStudy(db, userId, studyId);
  await db
    .insert(studyInvitation)
    .values({ studyId: s.id, codeHash: input.codeHash, kind: input.kind, label: input.label });
}

/** A study's invitations, oldest first (researchers). */
export async function listInvitations(db: Db, userId: string, studyId: string): Promise<InvitationRecord[]> {
  const s = await requireResearchedStudy(db, userId, studyId);
  const rows = await db
    .select()
    .from(studyInvitation)
    .where(eq(studyInvitation.studyId, s.id))
    .orderBy(asc(studyInvitation.createdAt));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as "study" | "person",
    label: r.label,
    used: r.usedAt !== null,
    revoked: r.revokedAt !== null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Revokes an invitation: its code then opens nothing. */
export async function revokeInvitation(
  db: Db,
  userId: string,
  studyId: string,
  invitationId: string,
  now: Date,
): Promise<void> {
  const s = await requireResearchedStudy(db, userId, studyId);
  if (!isUuid(invitationId)) throw new NotFoundError("No such invitation.");
  requireRow(
    await db
      .update(studyInvitation)
      .set({ revokedAt: now })
      .where(and(eq(studyInvitation.id, invitationId), eq(studyInvitation.studyId, s.id)))
      .returning({ id: studyInvitation.id }),
    "No such invitation.",
  );
}

/** What a participant may read about a study before and after joining. */
export interface PublicStudy {
  study: StudyRecord;
  consent: ConsentVersion;
  invitationId: string;
  invitationKind: "study" | "person";
}

/** The study an invitation code (by its hash) opens, with its current consent; null when the code is unknown or revoked. */
export async function findByInvitation(
  db: Db,
  codeHash: string,
): Promise<(PublicStudy & { invitationUsed: boolean }) | null> {
  const [row] = await db
    .select({ s: study, i: studyInvitation })
    .from(studyInvitation)
    .innerJoin(study, eq(study.id, studyInvitation.studyId))
    .where(and(eq(studyInvitation.codeHash, codeHash), isNull(studyInvitation.revokedAt)));
  if (!row) return null;
  const [consent] = await db
    .select()
    .from(studyConsentVersion)
    .where(eq(studyConsentVersion.studyId, row.s.id))
    .orderBy(sql`${studyConsentVersion.version} desc`)
    .limit(1);
  if (!consent) return null;
  return {
    study: toStudy(row.s),
    consent: toConsentVersion(consent),
    invitationId: row.i.id,
    invitationKind: row.i.kind as "study" | "person",
    invitationUsed: row.i.usedAt !== null,
  };
}

export interface Participation {
  id: string;
  studyId: string;
  pseudonym: string;
  state: ParticipantState;
  exclusionReason: string | null;
  experimentId: string | null;
  withdrawnAt: string | null;
  keepUntil: string | null;
  consents: { version: number; hash: string; agreedAt: string; items: string[] }[];
}

/** The person's own participation in a study (with what they agreed to), or null. */
export async function getParticipation(db: Db, userId: string, studyId: string): Promise<Participation | null> {
  if (!isUuid(studyId)) return null;
  const [p] = await db
    .select()
    .from(studyParticipant)
    .where(and(eq(studyParticipant.studyId, studyId), eq(studyParticipant.userId, userId)));
  if (!p) return null;
  const consents = await db
    .select({
      version: studyConsent.version,
      hash: studyConsent.hash,
      agreedAt: studyConsent.agreedAt,
      items: studyConsentVersion.items,
    })
    .from(studyConsent)
    .innerJoin(
      studyConsentVersion,
      and(eq(studyConsentVersion.studyId, studyConsent.studyId), eq(studyConsentVersion.version, studyConsent.version)),
    )
    .where(and(eq(studyConsent.participantId, p.id), eq(studyConsent.userId, userId)))
    .orderBy(asc(studyConsent.version));
  return {
    id: p.id,
    studyId: p.studyId,
    pseudonym: p.pseudonym,
    state: p.state as ParticipantState,
    exclusionReason: p.exclusionReason,
    experimentId: p.experimentId,
    withdrawnAt: p.withdrawnAt?.toISOString() ?? null,
    keepUntil: p.keepUntil,
    consents: consents.map((c) => ({ ...c, agreedAt: c.agreedAt.toISOString() })),
  };
}

/** The study a public study page shows to a participant (by study id, only when they take part). */
export async function requireJoinedStudy(
  db: Db,
  userId: string,
  studyId: string,
): Promise<{ study: StudyRecord; participation: Participation }> {
  const participation = await getParticipation(db, userId, studyId);
  if (!participation) throw new NotFoundError(NO_STUDY);
  const [row] = await db.select().from(study).where(eq(study.id, studyId));
  return { study: toStudy(requireRow(row ? [row] : [], NO_STUDY)), participation };
}

/**
 * Records consent: creates the participant under the next pseudonym, with the consent version,
 * its hash and the time; a personal invitation is then used up. ConflictError when the person
 * already takes part, the code was used by someone else, or the consent changed meanwhile.
 */
export async function recordConsent(
  db: Db,
  userId: string,
  input: { invitationCodeHash: string; version: number; hash: string; now: Date },
): Promise<string> {
  return db.transaction(async (tx) => {
    const [inv] = await tx
      .select()
      .from(studyInvitation)
      .where(and(eq(studyInvitation.codeHash, input.invitationCodeHash), isNull(studyInvitation.revokedAt)))
      .for("update");
    if (!inv) throw new NotFoundError("This invitation is not valid: it may have been withdrawn by the researchers.");
    if (inv.kind === "person" && inv.usedAt) throw new ConflictError("This personal invitation has already been used.");
    const [current] = await tx
      .select()
      .from(studyConsentVersion)
      .where(eq(studyConsentVersion.studyId, inv.studyId))
      .orderBy(sql`${studyConsentVersion.version} desc`)
      .limit(1);
    if (!current || current.version !== input.version || current.hash !== input.hash)
      throw new ConflictError("The consent text changed while you were reading it. Please read it again.");
    const [existing] = await tx
      .select({ id: studyParticipant.id })
      .from(studyParticipant)
      .where(and(eq(studyParticipant.studyId, inv.studyId), eq(studyParticipant.userId, userId)));
    if (existing) throw new ConflictError("You already take part in this study.");
    const [s] = await tx
      .update(study)
      .set({ nextPseudonym: sql`${study.nextPseudonym} + 1` })
      .where(eq(study.id, inv.studyId))
      .returning({ n: sql<number>`${study.nextPseudonym} - 1` });
    const [p] = await tx
      .insert(studyParticipant)
      .values({
        studyId: inv.studyId,
        userId,
        pseudonym: pseudonym(requireRow(s ? [s] : [], NO_STUDY).n),
        invitationId: inv.id,
        createdAt: input.now,
      })
      .returning({ id: studyParticipant.id });
    const id = requireRow(p ? [p] : [], "The consent was not saved.").id;
    await tx.insert(studyConsent).values({
      participantId: id,
      userId,
      studyId: inv.studyId,
      version: current.version,
      hash: current.hash,
      agreedAt: input.now,
    });
    if (inv.kind === "person")
      await tx.update(studyInvitation).set({ usedAt: input.now }).where(eq(studyInvitation.id, inv.id));
    return id;
  });
}

/** Marks the person's participation as excluded, with the reason (only from the consented state). */
export async function excludeParticipant(db: Db, userId: string, participantId: string, reason: string): Promise<void> {
  if (!isUuid(participantId)) throw new NotFoundError(NO_STUDY);
  requireRow(
    await db
      .update(studyParticipant)
      .set({ state: "excluded", exclusionReason: reason })
      .where(
        and(
          eq(studyParticipant.id, participantId),
          eq(studyParticipant.userId, userId),
          eq(studyParticipant.state, "consented"),
        ),
      )
      .returning({ id: studyParticipant.id }),
    "There is no consent waiting for the eligibility questions.",
  );
}

/** Links the person's own new experiment to their participation (consented → enrolled). */
export async function attachExperiment(
  db: Db,
  userId: string,
  participantId: string,
  experimentId: string,
): Promise<void> {
  if (!isUuid(participantId) || !isUuid(experimentId)) throw new NotFoundError(NO_STUDY);
  await db.transaction(async (tx) => {
    requireRow(
      await tx
        .select({ id: experiment.id })
        .from(experiment)
        .where(and(eq(experiment.id, experimentId), eq(experiment.userId, userId))),
      "No such experiment.",
    );
    requireRow(
      await tx
        .update(studyParticipant)
        .set({ state: "enrolled", experimentId })
        .where(
          and(
            eq(studyParticipant.id, participantId),
            eq(studyParticipant.userId, userId),
            eq(studyParticipant.state, "consented"),
          ),
        )
        .returning({ id: studyParticipant.id }),
      "There is no consent waiting for an experiment.",
    );
  });
}

/** The study an experiment of the person belongs to, or null. */
export async function findStudyOfExperiment(
  db: Db,
  userId: string,
  experimentId: string,
): Promise<{ studyId: string; title: string; pseudonym: string; state: ParticipantState } | null> {
  if (!isUuid(experimentId)) return null;
  const [row] = await db
    .select({
      studyId: study.id,
      title: study.title,
      pseudonym: studyParticipant.pseudonym,
      state: studyParticipant.state,
    })
    .from(studyParticipant)
    .innerJoin(study, eq(study.id, studyParticipant.studyId))
    .where(and(eq(studyParticipant.experimentId, experimentId), eq(studyParticipant.userId, userId)));
  return row ? { ...row, state: row.state as ParticipantState } : null;
}

/**
 * Withdraws the person from a study at `now` and ends their experiment there. "keep": the study
 * keeps their data up to `localDate`, and the flow shows the withdrawal (only after they started).
 * "delete": every row of their study data goes (participation and consent records); the study
 * keeps only a count of people who had started. The experiment stays the person's own, no
 * longer linked to the study.
 */
export async function withdrawParticipant(
  db: Db,
  userId: string,
  studyId: string,
  choice: WithdrawalChoice,
  at: { now: Date; localDate: string },
): Promise<void> {
  if (!isUuid(studyId)) throw new NotFoundError(NO_STUDY);
  await db.transaction(async (tx) => {
    const [p] = await tx
      .select()
      .from(studyParticipant)
      .where(and(eq(studyParticipant.studyId, studyId), eq(studyParticipant.userId, userId)))
      .for("update");
    if (!p) throw new NotFoundError("You do not take part in this study.");
    if (p.experimentId) {
      await tx
        .update(experiment)
        .set({
          state: "ended",
          endedAt: at.now,
          endReason: "Withdrew from the study",
          dataVersion: sql`${experiment.dataVersion} + 1`,
        })
        .where(and(eq(experiment.id, p.experimentId), eq(experiment.userId, userId), eq(experiment.state, "running")));
    }
    if (choice === "delete") {
      await tx.delete(studyParticipant).where(eq(studyParticipant.id, p.id));
      // Only someone who had started counts as a withdrawal; before that, deleting removes the person from the study entirely.
      if (p.experimentId)
        await tx
          .update(study)
          .set({ withdrawnDeleted: sql`${study.withdrawnDeleted} + 1` })
          .where(eq(study.id, studyId));
      return;
    }
    if (p.state === "withdrawn") throw new ConflictError("You have already withdrawn from this study.");
    if (p.state !== "enrolled")
      throw new ConflictError("You have not started in this study; you can only have your consent deleted.");
    await tx
      .update(studyParticipant)
      .set({ state: "withdrawn", withdrawnAt: at.now, keepUntil: at.localDate })
      .where(eq(studyParticipant.id, p.id));
  });
}

/** Internal to the server (never rendered): whose experiment a monitor row reads, for computing a missing analysis. */
export interface ParticipantRef {
  userId: string;
  experimentId: string;
}

/** One participant as the monitor reads it in one set-based query: study outcomes only. */
export interface MonitorRow {
  pseudonym: string;
  state: ParticipantState;
  exclusionReason: string | null;
  startsOn: string | null;
  timeZone: string | null;
  running: boolean;
  /** How many scheduled days the experiment has (the length of its day codes). */
  days: number;
  lastActivityMs: number | null;
  /** The person's own main analysis, when it is current: effect_mean, effect_sd, verdict; null when missing or stale. */
  analysis: { ok: boolean; effectMean: number | null; effectSd: number | null; verdict: string | null } | null;
  ref: ParticipantRef | null;
}

/**
 * Every participant of a study (researchers only), in one query with the current analysis of each
 * experiment (current: computed for this version of the data and for the pairs begun by the
 * person's today, `now`). It reads no day: an experiment's count of days, its latest check-in and
 * the fields of its cached main analysis are kept on its row (migration 0013, decision 098); the
 * day codes of the participants a page shows come from {@link listDayCodes}.
 */
export async function listMonitorRows(
  db: Db,
  userId: string,
  studyId: string,
  now = new Date(),
): Promise<MonitorRow[]> {
  const s = await requireResearchedStudy(db, userId, studyId);
  const p = studyParticipant;
  const e = experiment;
  // Plain SQL with named columns, read as the driver gives them: drizzle's decoding of each of 20
  // fields of 10,000 rows took longer than the query itself (decision 098). Times come as numbers.
  const result = await db.execute<RawMonitorRow>(sql`
    select ${p.pseudonym} as pseudonym, ${p.state} as state, ${p.exclusionReason} as exclusion_reason,
      ${p.userId} as user_id, ${p.experimentId} as experiment_id,
      ${e.protocol} ->> 'startsOn' as starts_on, ${e.protocol} ->> 'timeZone' as time_zone,
      (${e.protocol} ->> 'periodDays')::int as period_days, (${e.protocol} ->> 'pairs')::int as pairs,
      (${e.protocol} ->> 'washout')::boolean as washout,
      floor(extract(epoch from ${e.endedAt}) * 1000)::float8 as ended_ms, ${e.state} as experiment_state,
      ${e.analysisVersion} = ${e.dataVersion} as current, ${e.analysisBlocks} as cached_blocks,
      ${e.analysisOk} as ok, ${e.analysisEffectMean} as effect_mean, ${e.analysisEffectSd} as effect_sd,
      ${e.analysisVerdict} as verdict, ${e.dayCount} as days,
      extract(epoch from ${e.lastActivityAt})::float8 as last
    from ${p} left join ${e} on ${e.id} = ${p.experimentId}
    where ${p.studyId} = ${s.id}
    order by ${p.pseudonym}`);
  const rows = (result as { rows: RawMonitorRow[] }).rows;
  // A study's experiments are designed ones (never imports): the pairs ended come from the protocol.
  const todayIn = localDatesAt(now);
  const blocksNow = (r: RawMonitorRow) =>
    r.starts_on && r.time_zone && r.period_days && r.pairs && r.washout !== null
      ? blocksCompleted(
          {
            startsOn: r.starts_on,
            periodDays: Number(r.period_days) as PeriodDays,
            pairs: Number(r.pairs),
            washout: r.washout,
          },
          analysisThrough(
            { timeZone: r.time_zone },
            r.ended_ms === null ? null : new Date(Number(r.ended_ms)).toISOString(),
            todayIn(r.time_zone),
          ),
        )
      : null;
  return rows.map((r) => ({
    pseudonym: r.pseudonym,
    state: r.state as ParticipantState,
    exclusionReason: r.exclusion_reason,
    startsOn: r.starts_on,
    timeZone: r.time_zone,
    running: r.experiment_state === "running",
    days: Number(r.days ?? 0),
    lastActivityMs: r.last === null ? null : Number(r.last) * 1000,
    analysis:
      r.experiment_id && r.current === true && r.cached_blocks !== null && Number(r.cached_blocks) === blocksNow(r)
        ? {
            ok: r.ok === true,
            effectMean: r.effect_mean === null ? null : Number(r.effect_mean),
            effectSd: r.effect_sd === null ? null : Number(r.effect_sd),
            verdict: r.verdict,
          }
        : null,
    ref: r.experiment_id ? { userId: r.user_id, experimentId: r.experiment_id } : null,
  }));
}

/** A row of {@link listMonitorRows}' query as the driver gives it (numbers may come as text from some drivers). */
type RawMonitorRow = {
  pseudonym: string;
  state: string;
  exclusion_reason: string | null;
  user_id: string;
  experiment_id: string | null;
  starts_on: string | null;
  time_zone: string | null;
  period_days: number | string | null;
  pairs: number | string | null;
  washout: boolean | null;
  ended_ms: number | string | null;
  experiment_state: string | null;
  current: boolean | null;
  cached_blocks: number | string | null;
  ok: boolean | null;
  effect_mean: number | string | null;
  effect_sd: number | string | null;
  verdict: string | null;
  days: number | string | null;
  last: number | string | null;
};

/**
 * The day codes of some of a study's participants (researchers only; the ones a page of the monitor
 * shows), by pseudonym: one character per scheduled day in day order (src/core/studies/monitor.ts,
 * `DayCodes`). Days after a withdrawal that kept the data are left out. A participant without an
 * experiment has no entry.
 */
export async function listDayCodes(
  db: Db,
  userId: string,
  studyId: string,
  pseudonyms: readonly string[],
): Promise<Map<string, string>> {
  const s = await requireResearchedStudy(db, userId, studyId);
  if (pseudonyms.length === 0) return new Map();
  const rows = await db
    .select({
      pseudonym: studyParticipant.pseudonym,
      codes: sql<string>`string_agg(case when ${experimentDay.condition} is null then 'r' when ${experimentDay.adherence} = 'as-assigned' then 'a' when ${experimentDay.adherence} = 'other-condition' then 'o' when ${experimentDay.adherence} = 'skipped' then 's' else '-' end, '' order by ${experimentDay.day})`,
    })
    .from(studyParticipant)
    .innerJoin(experimentDay, eq(experimentDay.experimentId, studyParticipant.experimentId))
    .where(
      and(
        eq(studyParticipant.studyId, s.id),
        inArray(studyParticipant.pseudonym, [...pseudonyms]),
        sql`(${studyParticipant.keepUntil} is null or ${experimentDay.date} <= ${studyParticipant.keepUntil})`,
      ),
    )
    .groupBy(studyParticipant.pseudonym);
  return new Map(rows.map((r) => [r.pseudonym, r.codes]));
}

/** The count of personal invitations not used and not revoked. */
export async function countUnusedInvitations(db: Db, userId: string, studyId: string): Promise<number> {
  const s = await requireResearchedStudy(db, userId, studyId);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(studyInvitation)
    .where(
      and(
        eq(studyInvitation.studyId, s.id),
        eq(studyInvitation.kind, "person"),
        isNull(studyInvitation.usedAt),
        isNull(studyInvitation.revokedAt),
      ),
    );
  return Number(row?.n ?? 0);
}

/** One de-identified day for the export: the pseudonym and the day number, never a date or a note. */
export interface StudyDayRow extends DayValues {
  pseudonym: string;
  day: number;
  block: number | null;
  period: number | null;
  condition: string | null;
  adherence: string | null;
}

/**
 * Every scheduled day of every participant's experiment (researchers only), up to a withdrawal
 * that kept the data. While a participant's experiment runs, the conditions of their days after
 * their local today are concealed (src/core/experiments/concealment.ts), as in their own export.
 */
export async function listStudyDays(db: Db, userId: string, studyId: string, now = new Date()): Promise<StudyDayRow[]> {
  const s = await requireResearchedStudy(db, userId, studyId);
  const rows = await db
    .select({
      pseudonym: studyParticipant.pseudonym,
      day: experimentDay.day,
      date: experimentDay.date,
      block: experimentDay.block,
      period: experimentDay.period,
      condition: experimentDay.condition,
      adherence: experimentDay.adherence,
      pain: experimentDay.pain,
      tension: experimentDay.tension,
      stress: experimentDay.stress,
      sleepQuality: experimentDay.sleepQuality,
      sleepLatency: experimentDay.sleepLatency,
      wakings: experimentDay.wakings,
      experimentId: experiment.id,
      state: experiment.state,
      source: experiment.source,
      protocol: experiment.protocol,
    })
    .from(experimentDay)
    .innerJoin(studyParticipant, eq(studyParticipant.experimentId, experimentDay.experimentId))
    .innerJoin(experiment, eq(experiment.id, experimentDay.experimentId))
    .where(
      and(
        eq(studyParticipant.studyId, s.id),
        sql`(${studyParticipant.keepUntil} is null or ${experimentDay.date} <= ${studyParticipant.keepUntil})`,
      ),
    )
    .orderBy(asc(studyParticipant.pseudonym), asc(experimentDay.day));
  const clocks = new Map<string, ConcealmentClock>();
  // The export carries no dates: a concealed day says only that it is concealed.
  return rows.map(({ date, experimentId, state, source, protocol, ...day }) => {
    let clock = clocks.get(experimentId);
    if (!clock)
      clocks.set(
        experimentId,
        (clock = concealmentOf({ protocol: parseStoredProtocol(source as ExperimentSource, protocol), state }, now)),
      );
    return isConcealed(date, clock) ? { ...day, condition: "concealed" } : day;
  });
}

/** Mappers for the personal-data export: what a person's own study rows hold. */
export const toResearcherExport = (r: typeof studyResearcher.$inferSelect) => ({
  studyId: r.studyId,
  role: r.role,
  addedAt: r.addedAt.toISOString(),
});
export const toParticipantExport = (r: typeof studyParticipant.$inferSelect) => ({
  id: r.id,
  studyId: r.studyId,
  pseudonym: r.pseudonym,
  state: r.state,
  exclusionReason: r.exclusionReason ?? "",
  experimentId: r.experimentId ?? "",
  withdrawnAt: r.withdrawnAt?.toISOString() ?? "",
  keepUntil: r.keepUntil ?? "",
  createdAt: r.createdAt.toISOString(),
});
export const toConsentExport = (r: typeof studyConsent.$inferSelect) => ({
  participantId: r.participantId,
  studyId: r.studyId,
  version: r.version,
  hash: r.hash,
  agreedAt: r.agreedAt.toISOString(),
});
