/**
 * Research studies: the study with its frozen shared protocol, its researchers, consent
 * versions (items and SHA-256), invitation codes (stored hashed), participants under
 * pseudonyms linked to their own experiment, and what each participant agreed to and when.
 * A participant's experiment is an ordinary row of `experiment`, owned by the participant.
 * @module
 */
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { PARTICIPANT_STATES } from "../../../core/studies/monitor";
import { user } from "./auth";
import { oneOf, tz } from "./common";
import { experiment } from "./experiments";

/** One study; its protocol is frozen when it is created. */
export const study = pgTable(
  "study",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    question: text("question").notNull(),
    /** How participants reach the researchers, as the researchers wrote it. */
    contact: text("contact").notNull(),
    /** The shared protocol (src/core/studies/study.ts StudyProtocol), its canonical JSON and SHA-256. */
    protocol: jsonb("protocol").$type<Record<string, unknown>>().notNull(),
    protocolCanonical: text("protocol_canonical").notNull(),
    protocolHash: text("protocol_hash").notNull(),
    /** Up to five yes/no questions, each with the answer that excludes. */
    screening: jsonb("screening").$type<{ question: string; excludeIf: "yes" | "no" }[]>().notNull(),
    targetSize: integer("target_size").notNull(),
    /** Local date after which nobody joins. */
    endsOn: text("ends_on").notNull(),
    /** The number of the next pseudonym (P001 is 1); never reused. */
    nextPseudonym: integer("next_pseudonym").notNull().default(1),
    /** People who withdrew and had their data deleted: only this count remains. */
    withdrawnDeleted: integer("withdrawn_deleted").notNull().default(0),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [
    check("study_hash_check", sql`${t.protocolHash} ~ '^[0-9a-f]{64}$'`),
    check("study_target_check", sql`${t.targetSize} between 2 and 10000`),
  ],
);

/** Who may see a study's monitor, results and export: its owners and co-researchers. */
export const studyResearcher = pgTable(
  "study_researcher",
  {
    studyId: uuid("study_id")
      .notNull()
      .references(() => study.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    addedAt: timestamp("added_at", tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.studyId, t.userId] }),
    index("study_researcher_user_idx").on(t.userId),
    check("study_researcher_role_check", oneOf(t.role, ["owner", "co-researcher"])),
  ],
);

/** Each version of the consent text: its items and the SHA-256 of their canonical JSON. */
export const studyConsentVersion = pgTable(
  "study_consent_version",
  {
    studyId: uuid("study_id")
      .notNull()
      .references(() => study.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    items: jsonb("items").$type<string[]>().notNull(),
    hash: text("hash").notNull(),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.studyId, t.version] }),
    check("study_consent_hash_check", sql`${t.hash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/** An invitation: one code for the whole study or one per invited person; only its SHA-256 is stored. */
export const studyInvitation = pgTable(
  "study_invitation",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    studyId: uuid("study_id")
      .notNull()
      .references(() => study.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull().unique(),
    kind: text("kind").notNull(),
    /** The researcher's own label for it (such as "clinic leaflet"); never shown to participants. */
    label: text("label").notNull().default(""),
    usedAt: timestamp("used_at", tz),
    revokedAt: timestamp("revoked_at", tz),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [
    index("study_invitation_study_idx").on(t.studyId),
    check("study_invitation_kind_check", oneOf(t.kind, ["study", "person"])),
  ],
);

/** A participant: a person in a study under a pseudonym, with their own experiment once eligible. */
export const studyParticipant = pgTable(
  "study_participant",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    studyId: uuid("study_id")
      .notNull()
      .references(() => study.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    pseudonym: text("pseudonym").notNull(),
    invitationId: uuid("invitation_id").references(() => studyInvitation.id, { onDelete: "set null" }),
    state: text("state").notNull().default("consented"),
    exclusionReason: text("exclusion_reason"),
    /** The person's own experiment under the study's protocol. */
    experimentId: uuid("experiment_id").references(() => experiment.id, { onDelete: "cascade" }),
    withdrawnAt: timestamp("withdrawn_at", tz),
    /** After a withdrawal that keeps the data: the last local date the study may use. */
    keepUntil: text("keep_until"),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [
    unique("study_participant_person_unique").on(t.studyId, t.userId),
    unique("study_participant_pseudonym_unique").on(t.studyId, t.pseudonym),
    unique("study_participant_experiment_unique").on(t.experimentId),
    index("study_participant_user_idx").on(t.userId),
    check("study_participant_state_check", oneOf(t.state, PARTICIPANT_STATES)),
  ],
);

/** What a participant agreed to: the consent version, its hash, and when. */
export const studyConsent = pgTable(
  "study_consent",
  {
    participantId: uuid("participant_id")
      .notNull()
      .references(() => studyParticipant.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    studyId: uuid("study_id")
      .notNull()
      .references(() => study.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    hash: text("hash").notNull(),
    agreedAt: timestamp("agreed_at", tz).notNull(),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.version] }), index("study_consent_user_idx").on(t.userId)],
);
