/**
 * The study pages' POST intents: create a study (freeze its protocol and first consent
 * version), invite (a code for the study or for one person, stored hashed), revoke a code, add
 * a co-researcher, and the participant's side: consent, eligibility, start, withdraw. Each reads
 * the form once through formAction.
 * @module
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import { canonicalJson, contentHash } from "../../core/canonical";
import { getLocalDate } from "../../core/datetime";
import { firstDayProblem } from "../../core/experiments/design";
import { NotFoundError, ValidationError } from "../../core/errors";
import { freezeProtocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { MAX_SEED } from "../../core/stats/rng";
import { WITHDRAWAL_CHOICES, type WithdrawalChoice } from "../../core/studies/monitor";
import {
  CHANGEABLE_FIELDS,
  checkConsentItems,
  consentHash,
  CoResearcherFormSchema,
  InvitationFormSchema,
  participantProtocol,
  readStudyForm,
  SAFETY_EXCLUSION,
  screen,
  STUDY_FORM_FIELDS,
} from "../../core/studies/study";
import { getTimerGate } from "../../core/timer/gate";
import type { Db } from "../db/client";
import { loadPersonClock } from "../person-clock";
import { field, formAction, type FormCtx, type FormResult, type RawForm } from "../forms";
import { parseWith } from "../http";
import { refuseWhileUnderway } from "../experiments/actions";
import { createExperiment, deleteExperiment } from "../repositories/experiments";
import {
  addConsentVersion,
  addCoResearcher,
  attachExperiment,
  createInvitation,
  createStudy as storeStudy,
  excludeParticipant,
  findByInvitation,
  getParticipation,
  recordConsent,
  requireResearchedStudy,
  revokeInvitation,
  withdrawParticipant,
} from "../repositories/studies";
import { loadCurrentResult } from "../safety/data";

/** A new invitation code: 16 characters of base64url from 12 random bytes. */
const newCode = () => randomBytes(12).toString("base64url");

/** Only the SHA-256 of a code is stored; a code is looked up by it. */
export const hashCode = (code: string) => createHash("sha256").update(code).digest("hex");

/** Whether a path segment could be a code at all (anything else opens nothing, without a query). */
export const isCodeShape = (code: string) => /^[A-Za-z0-9_-]{16}$/.test(code);

const drawSeed = () => randomInt(1, MAX_SEED);
const all = (raw: RawForm, name: string): string[] => {
  const v = Object.hasOwn(raw, name) ? raw[name] : undefined;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** POST /studies/new: freezes the shared protocol and the first consent version, makes a study code and shows it. */
export function createStudyAction(db: Db, ctx: FormCtx, userId: string, now = new Date()): Promise<FormResult> {
  return formAction(ctx, { keep: STUDY_FORM_FIELDS }, async (raw) => {
    const clock = await loadPersonClock(db, userId);
    const values: Record<string, string> = {};
    for (const f of STUDY_FORM_FIELDS) values[f] = field(raw, f);
    const read = readStudyForm(values, all(raw, "locked"), getLocalDate(now, clock.timeZone));
    if (!read.ok) throw new ValidationError("", read.errors);
    const d = read.draft;
    const id = await createStudy(db, userId, d);
    const code = newCode();
    await createInvitation(db, userId, id, { codeHash: hashCode(code), kind: "study", label: "Study link" });
    return ctx.redirect(`/studies/${id}?created=1&code=${code}`, 303);
  });
}

async function createStudy(
  db: Db,
  userId: string,
  d: Extract<ReturnType<typeof readStudyForm>, { ok: true }>["draft"],
) {
  return storeStudy(db, userId, {
    title: d.title,
    question: d.question,
    contact: d.contact,
    frozen: { protocol: d.protocol, canonical: canonicalJson(d.protocol), hash: contentHash(d.protocol) },
    screening: d.screening,
    targetSize: d.targetSize,
    endsOn: d.endsOn,
    consent: { items: d.consentItems, hash: consentHash(1, d.consentItems) },
  });
}

/** POST /studies/<id>: intents invite (kind study or person, label), revoke (invitation), add-researcher (email; owners only), consent-version (a new consent text). */
export function monitorAction(
  db: Db,
  ctx: FormCtx,
  userId: string,
  studyId: string,
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, { keep: ["label", "email", "consent"] }, async (raw) => {
    const intent = field(raw, "intent");
    if (intent === "invite") {
      const { kind, label } = parseWith(
        InvitationFormSchema,
        { kind: raw["kind"], label: field(raw, "label") },
        "form",
      );
      const code = newCode();
      await createInvitation(db, userId, studyId, {
        codeHash: hashCode(code),
        kind,
        label: label || (kind === "person" ? "Personal invitation" : "Study link"),
      });
      return ctx.redirect(`/studies/${studyId}?code=${code}#invitations`, 303);
    }
    if (intent === "revoke") {
      await revokeInvitation(db, userId, studyId, field(raw, "invitation"), now);
      return ctx.redirect(`/studies/${studyId}?revoked=1#invitations`, 303);
    }
    if (intent === "add-researcher") {
      const { email } = parseWith(CoResearcherFormSchema, { email: field(raw, "email") }, "form");
      await addCoResearcher(db, userId, studyId, email);
      return ctx.redirect(`/studies/${studyId}?added=1#researchers`, 303);
    }
    if (intent === "consent-version") {
      const checked = checkConsentItems(field(raw, "consent"));
      if (!checked.ok) throw new ValidationError("", { consent: [checked.message] });
      const version = await addConsentVersion(db, userId, studyId, {
        items: checked.items,
        hashOf: (v) => consentHash(v, checked.items),
      });
      return ctx.redirect(`/studies/${studyId}?consent-version=${version}#consent-title`, 303);
    }
    await requireResearchedStudy(db, userId, studyId);
    throw new ValidationError("", { "": ["Choose what to do."] });
  });
}

/** The study an invitation opens, or NotFoundError (unknown, revoked, or the study has ended). */
async function requireInvitation(db: Db, code: string, today?: string) {
  const found = isCodeShape(code) ? await findByInvitation(db, hashCode(code)) : null;
  if (!found)
    throw new NotFoundError("This invitation is not valid: check the link, or ask the researchers for a new one.");
  if (today && found.study.endsOn < today)
    throw new NotFoundError("This study has ended and takes no new participants.");
  return found;
}

/**
 * POST /join/<code>: intents consent (every item agreed, with the version and hash shown),
 * eligibility (the safety check and the screening answers), start (the person's own experiment
 * under the study's protocol, with its own randomized schedule).
 */
export function joinAction(db: Db, ctx: FormCtx, userId: string, code: string, now = new Date()): Promise<FormResult> {
  return formAction(
    ctx,
    { keep: ["startsOn", "expectation", ...CHANGEABLE_FIELDS, "q1", "q2", "q3", "q4", "q5"] },
    async (raw) => {
      const clock = await loadPersonClock(db, userId);
      const today = getLocalDate(now, clock.timeZone);
      const intent = field(raw, "intent");
      const found = await requireInvitation(db, code, intent === "consent" ? today : undefined);
      const base = `/join/${code}`;
      if (intent === "consent") {
        const items = found.consent.items;
        if (items.some((_, i) => field(raw, `item${i + 1}`) !== "yes"))
          throw new ValidationError("", {
            "": [
              "Agree to every item to take part, or leave the study page: nothing is stored until you agree to all of them.",
            ],
          });
        await recordConsent(db, userId, {
          invitationCodeHash: hashCode(code),
          version: Number(field(raw, "version")),
          hash: field(raw, "hash"),
          now,
        });
        return ctx.redirect(`${base}?step=eligibility`, 303);
      }
      const participation = await getParticipation(db, userId, found.study.id);
      if (!participation) throw new ValidationError("", { "": ["Agree to the consent first."] });
      if (intent === "eligibility") {
        const screened = screen(
          found.study.screening,
          found.study.screening.map((_, i) => field(raw, `q${i + 1}`)),
        );
        if (!screened.ok) throw new ValidationError("", screened.errors);
        const gate = getTimerGate(await loadCurrentResult(db, ctx.request, userId, now), now);
        const reason = !gate.ok ? SAFETY_EXCLUSION : screened.excludedBecause;
        if (reason) {
          await excludeParticipant(db, userId, participation.id, reason);
          return ctx.redirect(`${base}?step=excluded`, 303);
        }
        return ctx.redirect(`${base}?step=start`, 303);
      }
      if (intent === "start") {
        if (participation.state !== "consented")
          throw new ValidationError("", { "": ["Your place in this study is already settled."] });
        const choices: Record<string, string> = {};
        for (const f of [...CHANGEABLE_FIELDS, "startsOn", "expectation"]) choices[f] = field(raw, f);
        const built = participantProtocol(found.study.protocol, choices, clock.timeZone);
        if (!built.ok) throw new ValidationError("", built.errors);
        const tooFar = firstDayProblem(built.protocol.startsOn, today);
        if (tooFar) throw new ValidationError("", { startsOn: [tooFar] });
        const frozen = freezeProtocol(built.protocol);
        const scheduleSeed = drawSeed();
        const id = await refuseWhileUnderway(() =>
          createExperiment(db, userId, {
            frozen,
            frozenAt: now,
            scheduleSeed,
            analysisSeed: drawSeed(),
            source: "matwise",
            schedule: createSchedule(frozen.protocol, scheduleSeed),
          }),
        );
        try {
          await attachExperiment(db, userId, participation.id, id);
        } catch (err) {
          await deleteExperiment(db, userId, id);
          throw err;
        }
        return ctx.redirect(`/experiments/${id}?joined=1`, 303);
      }
      throw new ValidationError("", { "": ["Choose what to do."] });
    },
  );
}

/** POST /studies/<id>/withdraw: leaves the study, deleting what was shared or keeping it up to today. */
export function withdrawAction(
  db: Db,
  ctx: FormCtx,
  userId: string,
  studyId: string,
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, {}, async (raw) => {
    const choice = field(raw, "choice");
    if (!(WITHDRAWAL_CHOICES as readonly string[]).includes(choice))
      throw new ValidationError("", { choice: ["Choose whether the study may keep what you shared so far."] });
    const participation = await getParticipation(db, userId, studyId);
    if (!participation) throw new NotFoundError("You do not take part in this study.");
    const clock = await loadPersonClock(db, userId);
    await withdrawParticipant(db, userId, studyId, choice as WithdrawalChoice, {
      now,
      localDate: getLocalDate(now, clock.timeZone),
    });
    return ctx.redirect(
      participation.experimentId
        ? `/experiments/${participation.experimentId}?withdrew=${choice}`
        : `/experiments?withdrew=${choice}`,
      303,
    );
  });
}
