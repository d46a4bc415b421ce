/**
 * What the study pages need for GET: the researcher's list and monitor (counts, flow, adherence
 * grid, pooled results), the downloads (effects.csv, pooled.json, export.zip), and the
 * participant's side (joining, what they agreed to, withdrawal). The monitor reads every
 * participant in one query, without their days, and each analysis from its experiment's cache;
 * only an analysis that is missing for the current data is computed, once, by the engine of the
 * person's own page. Day codes are read for the participants of the page shown.
 * @module
 */
import { strToU8, zipSync } from "fflate";
import { writeCsv } from "../../core/csv";
import { addDays, formatDate, getLocalDate } from "../../core/datetime";
import { MAX_DAYS_AHEAD } from "../../core/experiments/design";
import { COMPARATOR_NAME, OUTCOME_TEXT } from "../../core/experiments/labels";
import { BETTER, OUTCOME_SCALE } from "../../core/experiments/protocol";
import { pageWindow } from "../../core/paging";
import { ConvergenceError, type PoolMethod } from "../../core/stats/meta-analysis";
import { renderFlowSvg, renderForestSvg } from "../../core/studies/charts";
import {
  adherenceCells,
  countParticipants,
  flowLines,
  MONITOR_PAGE_SIZE,
  STATUS_TEXT,
  statusOf,
  summarizeCells,
  type ParticipantRow,
} from "../../core/studies/monitor";
import { effectOf, effectsCsv, shareReaching, type StudyEffect } from "../../core/studies/pooled";
import { CHANGEABLE_FIELDS } from "../../core/studies/study";
import { getTimerGate } from "../../core/timer/gate";
import type { Db } from "../db/client";
import { getExperimentAnalyses, loadExperimentDays } from "../experiments/results";
import { loadPersonClock } from "../person-clock";
import type { PoolOutcome } from "../workers/analysis-worker";
import { runTask } from "../workers/pool";
import {
  countResearchers,
  countUnusedInvitations,
  findByInvitation,
  findStudyOfExperiment,
  getParticipation,
  listConsentVersions,
  listDayCodes,
  listInvitations,
  listMonitorRows,
  listResearchedStudies,
  listStudyDays,
  requireJoinedStudy,
  requireResearchedStudy,
  type MonitorRow,
} from "../repositories/studies";
import { loadCurrentResult } from "../safety/data";
import { hashCode, isCodeShape } from "./actions";

/** GET /studies: the studies the person researches. */
export async function loadStudyList(db: Db, userId: string) {
  return listResearchedStudies(db, userId);
}

/** The analysis of a row: from the cache, or computed now (once per data version) when the cache is behind. */
async function analysisOf(db: Db, row: MonitorRow, now: Date): Promise<MonitorRow["analysis"]> {
  if (row.analysis || !row.ref || !row.startsOn || !row.timeZone || row.startsOn > getLocalDate(now, row.timeZone))
    return row.analysis;
  const loaded = await loadExperimentDays(db, row.ref.userId, row.ref.experimentId, now);
  const a = await getExperimentAnalyses(db, row.ref.userId, loaded);
  return a.main.ok
    ? {
        ok: true,
        effectMean: a.main.result.bayes.effect_mean,
        effectSd: a.main.result.bayes.effect_sd,
        verdict: a.main.result.verdict,
      }
    : { ok: false, effectMean: null, effectSd: null, verdict: null };
}

/** Every participant in the monitor's terms, and the effects of those with a complete analysis (a verdict), by pseudonym. */
async function readParticipants(db: Db, userId: string, studyId: string, now: Date) {
  const study = await requireResearchedStudy(db, userId, studyId);
  const rows = await listMonitorRows(db, userId, studyId, now);
  const better = BETTER[study.protocol.primaryOutcome];
  const effects: StudyEffect[] = [];
  const participants: ParticipantRow[] = [];
  for (const row of rows) {
    const a = await analysisOf(db, row, now);
    const e =
      a?.ok && a.verdict !== "not-enough-data" && a.effectMean !== null && a.effectSd !== null
        ? effectOf({ effect_mean: a.effectMean, effect_sd: a.effectSd }, better)
        : null;
    if (e) effects.push({ id: row.pseudonym, ...e });
    participants.push({
      pseudonym: row.pseudonym,
      state: row.state,
      exclusionReason: row.exclusionReason,
      experiment:
        row.ref && row.startsOn && row.timeZone
          ? {
              startsOn: row.startsOn,
              timeZone: row.timeZone,
              running: row.running,
              days: row.days,
              lastActivity: row.lastActivityMs === null ? null : new Date(row.lastActivityMs).toISOString(),
            }
          : null,
      analysed: e !== null,
    });
  }
  return { study, participants, effects };
}

/** GET /studies/<id>/effects.csv: exactly the input of `matwise pool` (`id,effect,se`, one row per analysed participant). */
export async function loadEffectsCsv(db: Db, userId: string, studyId: string, now = new Date()): Promise<string> {
  return effectsCsv((await readParticipants(db, userId, studyId, now)).effects);
}

/**
 * `poolEffectsCsv` on a thread of the worker pool (issue 27 item 3: at 10,000 participants it took 35–90 ms), with the
 * same answer: the pool, null under 2 people, or a ConvergenceError thrown here as the page expects it.
 */
async function poolOnWorker(csv: string, method: PoolMethod) {
  const out = await runTask<PoolOutcome>("poolEffects", { csv, method });
  if ("converged" in out) throw new ConvergenceError(out.reason);
  return out.pool;
}

/** GET /studies/<id>/pooled.json: what `matwise pool effects.csv --method M --json` prints for effects.csv. */
export async function loadPooledJson(db: Db, userId: string, studyId: string, method: PoolMethod, now = new Date()) {
  const csv = await loadEffectsCsv(db, userId, studyId, now);
  return poolOnWorker(csv, method);
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : "—");

/** GET /studies/<id>: the monitor (counts, flow, adherence grid) and the pooled results. */
export async function loadMonitor(
  db: Db,
  userId: string,
  studyId: string,
  method: PoolMethod,
  now = new Date(),
  requestedPage = 1,
) {
  const { study, participants, effects } = await readParticipants(db, userId, studyId, now);
  // The grid and the table of each person show one page of participants; counts, flow, pooling and the plot use everyone.
  const window = pageWindow(participants.length, MONITOR_PAGE_SIZE, requestedPage);
  const shown = participants.slice(window.offset, window.offset + MONITOR_PAGE_SIZE);
  const onPage = new Set(shown.map((p) => p.pseudonym));
  const pageEffects = effects.filter((e) => onPage.has(e.id));
  const pageHref = (n: number) => {
    const q = new URLSearchParams([
      ...(n > 1 ? [["page", String(n)]] : []),
      ...(method === "DL" ? [["method", "DL"]] : []),
    ]).toString();
    return `/studies/${encodeURIComponent(studyId)}${q ? `?${q}` : ""}`;
  };
  const [codes, unused, invitations, consents, researchers, clock] = await Promise.all([
    listDayCodes(
      db,
      userId,
      studyId,
      shown.filter((p) => p.experiment).map((p) => p.pseudonym),
    ),
    countUnusedInvitations(db, userId, studyId),
    listInvitations(db, userId, studyId),
    listConsentVersions(db, userId, studyId),
    countResearchers(db, userId, studyId),
    loadPersonClock(db, userId),
  ]);
  const counts = countParticipants(
    participants,
    { withdrawnDeleted: study.withdrawnDeleted, unusedInvitations: unused },
    now,
  );
  const flow = flowLines(counts);
  const grid = shown.map((p) => {
    const cells = p.experiment ? adherenceCells({ ...p.experiment, codes: codes.get(p.pseudonym) ?? "" }, now) : [];
    const sum = summarizeCells(cells);
    const status = statusOf(p, now);
    return {
      pseudonym: p.pseudonym,
      status: status === "excluded" && p.exclusionReason ? `excluded: ${p.exclusionReason}` : STATUS_TEXT[status],
      cells,
      summary: p.experiment
        ? `${sum.asAssigned} of ${sum.due} days as assigned; ${sum.other} the other condition, ${sum.skipped} skipped, ${sum.missed} missed`
        : "no experiment",
    };
  });
  const csv = effectsCsv(effects);
  let pool = null;
  let poolProblem: string | null =
    effects.length < 2
      ? `Pooling needs at least 2 participants with a complete analysis; there ${effects.length === 1 ? "is 1" : `are ${effects.length}`} so far.`
      : null;
  try {
    pool = poolProblem ? null : await poolOnWorker(csv, method);
  } catch (err) {
    if (!(err instanceof ConvergenceError)) throw err;
    poolProblem = "The between-person variance could not be estimated by REML (no convergence); try DerSimonian–Laird.";
  }
  const p = study.protocol;
  const scale = OUTCOME_SCALE[p.primaryOutcome];
  const blup = new Map(pool?.people.map((x) => [x.id, x]) ?? []);
  return {
    study,
    outcome: OUTCOME_TEXT[p.primaryOutcome].label,
    comparator: COMPARATOR_NAME[p.comparator],
    unit: scale.unit,
    counts,
    flow,
    flowSvg: renderFlowSvg(flow),
    grid,
    method,
    pool,
    poolProblem,
    share: pool ? shareReaching(pool, p.mcid) : null,
    forestSvg: pool ? renderForestSvg(effects, pool, p.mcid, scale.unit) : null,
    table: pageEffects.map((e) => {
      const b = blup.get(e.id);
      return {
        id: e.id,
        effect: fmt(e.effect),
        ci: `${fmt(e.effect - 1.959963984540054 * e.se)} to ${fmt(e.effect + 1.959963984540054 * e.se)}`,
        se: fmt(e.se),
        blup: b ? fmt(b.estimate) : "—",
        blupPi: b ? `${fmt(b.pi95[0])} to ${fmt(b.pi95[1])}` : "—",
      };
    }),
    paging: {
      ...window,
      total: participants.length,
      /** "Participants 51 to 100 of 1,000", or null when one page holds them all. */
      range:
        window.pages > 1
          ? `Participants ${window.first.toLocaleString("en-GB")} to ${window.last.toLocaleString("en-GB")} of ${participants.length.toLocaleString("en-GB")}`
          : null,
      /** The analysed participants on this page, and in all. */
      analysedHere: pageEffects.length,
      analysed: effects.length,
      earlierHref: window.page > 1 ? pageHref(window.page - 1) : null,
      laterHref: window.page < window.pages ? pageHref(window.page + 1) : null,
    },
    fmt,
    invitations: invitations.map((i) => ({ ...i, createdOn: formatDate(i.createdAt, "date", clock) })),
    consents,
    researchers,
  };
}

const DAY_COLUMNS = [
  "pseudonym",
  "day",
  "block",
  "period",
  "condition",
  "adherence",
  "pain",
  "tension",
  "stress",
  "sleepQuality",
  "sleepLatency",
  "wakings",
] as const;

const README = (title: string, hash: string) => `Export of the matwise study "${title}"
Protocol fingerprint (SHA-256 of protocol.json's canonical text): ${hash}

Participants appear only under pseudonyms (P001, P002, ...). There are no names, emails, dates or
free-text notes in these files. People who withdrew and asked for their data to be deleted are not
in them; people who withdrew and let the study keep their data appear up to the day they withdrew.

protocol.json
  study           title, question, contact, target size and end date of the study
  protocol        the shared protocol every participant's experiment followed (locked: the fields
                  participants could not change), its canonical JSON and SHA-256
  screening       the screening questions and the answer that excluded a person

consent-versions.json
  every version of the consent text: version, items (what a participant agreed to, item by
  item), hash (SHA-256 of the canonical JSON of version and items), createdAt

days.csv          one row per scheduled day of every participant's experiment
  pseudonym       the participant
  day             day number from the participant's own first day (1 = first day)
  block           randomization block (a pair of periods); empty on a rest day
  period          period within the experiment; empty on a rest day
  condition       A = the mat, B = the comparator; empty on a rest day; "concealed" for a
                  day still ahead of a participant whose experiment runs
  adherence       as-assigned, other-condition (did the other one) or skipped; empty when
                  nothing was recorded for the day
  pain, tension, stress, sleepQuality   0-10 ratings (empty when not given)
  sleepLatency    minutes to fall asleep (empty when not given)
  wakings         times woken in the night (empty when not given)

effects.csv       the input of \`matwise pool\`: one row per participant with a complete analysis
  id              pseudonym
  effect          the mat's benefit on the primary outcome (positive favours the mat), the
                  posterior mean of that person's own analysis
  se              its posterior standard deviation
`;

/** GET /studies/<id>/export.zip: protocol and consent versions (JSON), the de-identified days, the effects, and a data dictionary. */
export async function loadExportZip(db: Db, userId: string, studyId: string, now = new Date()): Promise<Uint8Array> {
  const study = await requireResearchedStudy(db, userId, studyId);
  const [consents, days, effects] = await Promise.all([
    listConsentVersions(db, userId, studyId),
    listStudyDays(db, userId, studyId, now),
    loadEffectsCsv(db, userId, studyId, now),
  ]);
  const protocol = {
    study: {
      title: study.title,
      question: study.question,
      contact: study.contact,
      targetSize: study.targetSize,
      endsOn: study.endsOn,
    },
    protocol: study.protocol,
    protocolCanonical: study.protocolCanonical,
    protocolHash: study.protocolHash,
    screening: study.screening,
  };
  return zipSync(
    {
      "README.txt": strToU8(README(study.title, study.protocolHash)),
      "protocol.json": strToU8(JSON.stringify(protocol, null, 2)),
      "consent-versions.json": strToU8(JSON.stringify(consents, null, 2)),
      "days.csv": strToU8(writeCsv(days as unknown as Record<string, unknown>[], DAY_COLUMNS)),
      "effects.csv": strToU8(effects),
    },
    { level: 6 },
  );
}

/** GET /join/<code>: the study, the person's place in it, and the step to show. */
export async function loadJoin(db: Db, userId: string, request: Request, code: string, url: URL, now = new Date()) {
  const found = isCodeShape(code) ? await findByInvitation(db, hashCode(code)) : null;
  if (!found) return null;
  const clock = await loadPersonClock(db, userId);
  const today = getLocalDate(now, clock.timeZone);
  const participation = await getParticipation(db, userId, found.study.id);
  const asked = url.searchParams.get("step");
  const item = Math.max(
    1,
    Math.min(found.consent.items.length, Math.floor(Number(url.searchParams.get("item") ?? "1")) || 1),
  );
  const step = !participation
    ? found.study.endsOn < today
      ? "ended"
      : found.invitationKind === "person" && found.invitationUsed
        ? "used"
        : asked === "consent"
          ? "consent"
          : "about"
    : participation.state === "consented"
      ? asked === "start"
        ? "start"
        : "eligibility"
      : participation.state === "excluded"
        ? "excluded"
        : "joined";
  const gate = getTimerGate(await loadCurrentResult(db, request, userId, now), now);
  const p = found.study.protocol;
  return {
    study: found.study,
    consent: found.consent,
    participation,
    step,
    item,
    safetyOk: gate.ok,
    today,
    latestStart: addDays(today, MAX_DAYS_AHEAD),
    outcome: OUTCOME_TEXT[p.primaryOutcome].label,
    comparator: COMPARATOR_NAME[p.comparator],
    open: CHANGEABLE_FIELDS.filter((f) => !p.locked.includes(f)),
    defaults: { minutes: String(p.sessionMinutes), time: p.sessionTime, position: p.position, area: p.area },
  };
}

/** GET /studies/<id>/consent(.txt): what the participant agreed to, with version, hash and time. */
export async function loadConsentRecord(db: Db, userId: string, studyId: string) {
  const { study, participation } = await requireJoinedStudy(db, userId, studyId);
  const clock = await loadPersonClock(db, userId);
  const consents = participation.consents.map((c) => ({ ...c, agreedOn: formatDate(c.agreedAt, "dateTime", clock) }));
  const text = [
    `${study.title}`,
    `Contact: ${study.contact}`,
    "",
    ...consents.flatMap((c) => [
      `Consent version ${c.version}, agreed ${c.agreedOn} (${c.agreedAt}); fingerprint SHA-256 ${c.hash}`,
      ...c.items.map((t, i) => `${i + 1}. ${t}`),
      "",
    ]),
  ].join("\n");
  return { study, participation, consents, text };
}

/** GET /studies/<id>/withdraw: the study the person would leave. */
export async function loadWithdraw(db: Db, userId: string, studyId: string) {
  return requireJoinedStudy(db, userId, studyId);
}

/** For the experiment page: the study the experiment belongs to, if any. */
export function loadStudyOfExperiment(db: Db, userId: string, experimentId: string) {
  return findStudyOfExperiment(db, userId, experimentId);
}
