/**
 * The own-mats page's POST intents: add a mat (validated; at most MAX_USER_MATS, enforced by
 * the repository without a race) and remove one of the person's mats.
 * @module
 */
import { UserMatFormSchema } from "../../core/mats/user-mat";
import type { Db } from "../db/client";
import { field, formAction, type FormCtx, type FormResult } from "../forms";
import { parseWith } from "../http";
import { createUserMat, deleteUserMat } from "../repositories/user-mats";

const MAT_FIELDS = Object.keys(UserMatFormSchema.innerType().shape);

/** POST /mats/mine: intent=delete removes a mat of the person's (someone else's id: 404); otherwise adds one. */
export function changeOwnMats(db: Db, ctx: FormCtx, userId: string): Promise<FormResult> {
  return formAction(ctx, { keep: MAT_FIELDS }, async (raw) => {
    if (field(raw, "intent") === "delete") {
      await deleteUserMat(db, userId, field(raw, "id"));
      return ctx.redirect("/mats/mine?removed=1", 303);
    }
    const id = await createUserMat(db, userId, parseWith(UserMatFormSchema, raw, "form"));
    return ctx.redirect(`/mats/mine?added=${id}`, 303);
  });
}
