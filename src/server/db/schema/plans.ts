/** Break-in plans saved to an account (personal data). */
import { sql } from "drizzle-orm";
import { boolean, check, date, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { SENSITIVITIES } from "../../../core/plan/plan";
import { SAFETY_LEVELS } from "../../../core/safety/schema";
import { SESSION_AREAS } from "../../../core/sessions/options";
import { user } from "./auth";
import { oneOf, tz } from "./common";

/**
 * A person's break-in plan, one per account: the plan form's answers, including the safety
 * result it was made from, so the same plan is made again from them. Making a new plan
 * replaces it.
 */
export const breakInPlan = pgTable(
  "break_in_plan",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .unique()
      .references(() => user.id, { onDelete: "cascade" }),
    /** How sensitive the skin is: low, average or high. */
    skin: text("skin").notNull(),
    /** How well the person bears pain: low, average or high. */
    tolerance: text("tolerance").notNull(),
    /** The body area the plan is for. */
    bodyArea: text("body_area").notNull(),
    /** The safety level the plan was made from (the result current then). */
    level: text("level").notNull(),
    /** Areas that result said to keep off the mat. */
    areasOff: jsonb("areas_off").$type<string[]>().notNull(),
    /** Whether a professional's agreement was confirmed for "see a professional first". */
    professionalAgreed: boolean("professional_agreed").notNull().default(false),
    /** Day 1, a calendar day on the person's own clock. */
    startDate: date("start_date", { mode: "string" }).notNull(),
    /** Length in days and how careful the plan is (0–3), as made; the page shows them and the export keeps them. */
    lengthDays: integer("length_days").notNull(),
    gentleness: integer("gentleness").notNull(),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", tz)
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    check("break_in_plan_skin_check", oneOf(t.skin, SENSITIVITIES)),
    check("break_in_plan_tolerance_check", oneOf(t.tolerance, SENSITIVITIES)),
    check("break_in_plan_body_area_check", oneOf(t.bodyArea, SESSION_AREAS)),
    check("break_in_plan_level_check", oneOf(t.level, SAFETY_LEVELS)),
    check("break_in_plan_length_check", sql`${t.lengthDays} between 1 and 60`),
    check("break_in_plan_gentleness_check", sql`${t.gentleness} between 0 and 3`),
  ],
);
