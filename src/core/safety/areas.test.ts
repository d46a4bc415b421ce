import { describe, expect, it } from "vitest";
import { SESSION_AREAS } from "../sessions/options";
import { BODY_AREAS, SAFETY_LEVELS } from "./areas";
import { BodyAreaSchema, SafetyLevelSchema } from "./schema";

describe("the body areas and safety levels, written once", () => {
  it("are the ones the safety check's schema and a session's aim use", () => {
    expect(SESSION_AREAS).toBe(BODY_AREAS);
    expect(BodyAreaSchema.options).toEqual([...BODY_AREAS]);
    expect(SafetyLevelSchema.options).toEqual([...SAFETY_LEVELS]);
  });
});
