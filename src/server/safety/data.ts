/**
 * What the safety pages need for GET: a saved check with what the current rules (passed in by
 * the page, from src/server/safety/rules.ts) say about it, and the result that counts now.
 * @module
 */
import { evaluateSafety } from "../../core/safety/engine";
import { isSafetyCheckCurrent } from "../../core/safety/current";
import type { SafetyRuleSet } from "../../core/safety/schema";
import {
  chooseResult,
  KEPT_CHECK_COOKIE,
  parseKeptCheck,
  type CurrentResult,
  type KeptCheck,
} from "../../core/timer/gate";
import { readCookie } from "../cookies";
import type { Db } from "../db/client";
import { getLatestSafetyCheck, listSafetyChecks, requireSafetyCheck } from "../repositories/safety-checks";

/** GET /account/safety-checks: the person's saved checks, newest first, each marked current or not. */
export async function loadSavedChecks(db: Db, userId: string, now = new Date()) {
  const checks = await listSafetyChecks(db, userId);
  return checks.map((check) => ({ check, current: isSafetyCheckCurrent(check, now) }));
}

/** GET /account/safety-checks/<id>: the saved check and the current rules' reading of its answers; NotFoundError when it is not theirs. */
export async function loadSavedCheck(db: Db, userId: string, id: string, ruleSet: SafetyRuleSet, now = new Date()) {
  const check = await requireSafetyCheck(db, userId, id);
  const result = evaluateSafety(check.answers, ruleSet);
  return {
    check,
    ruleSet,
    result,
    current: isSafetyCheckCurrent(check, now),
    sameRules: result.rulesVersion === check.rulesVersion,
  };
}

/** The result kept in this browser (the cookie), or null when there is none or it is unreadable. */
export function readKeptCheck(request: Request): KeptCheck | null {
  return parseKeptCheck(readCookie(request, KEPT_CHECK_COOKIE));
}

/**
 * The safety result that counts for this request: the person's latest saved check when it is
 * current, else the one kept in this browser, else the newer of the two (to say it ran out).
 */
export async function loadCurrentResult(
  db: Db,
  request: Request,
  userId: string | null,
  now = new Date(),
): Promise<CurrentResult | null> {
  const saved = userId ? await getLatestSafetyCheck(db, userId) : null;
  return chooseResult(saved, readKeptCheck(request), now);
}
