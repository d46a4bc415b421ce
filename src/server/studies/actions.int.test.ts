/**
 * Creating a study, on the real database: a complete form freezes the study and answers with its
 * page and a fresh study code; a form without a title is refused with a message on that field and
 * creates nothing.
 */
import { beforeAll, expect, it } from "vitest";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { isFormFailure, type FormCtx } from "../forms";
import { listResearchedStudies } from "../repositories/studies";
import { createStudyAction } from "./actions";

const NOW = new Date("2026-01-12T12:00:00Z");

function post(fields: Record<string, string>): FormCtx {
  const body = new URLSearchParams(fields);
  for (const locked of ["minutes", "position", "area"]) body.append("locked", locked);
  const request = new Request("http://localhost/studies/new", { method: "POST", body });
  return {
    request,
    url: new URL(request.url),
    redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
  };
}

/** The form as /studies/new fills it, with what the researcher types. */
const study = {
  title: "Mats and back pain",
  question: "Does the mat ease back pain more than lying still without it?",
  contact: "rita@example.org",
  outcome: "pain",
  mcid: "1",
  comparator: "rest-without-mat",
  minutes: "15",
  time: "19:00",
  position: "lying",
  area: "back",
  periodDays: "1",
  pairs: "8",
  washout: "no",
  consent: "I agree to share my daily study ratings under a code name.\n\nI know I can leave at any time.",
  targetSize: "10",
  endsOn: "2026-03-13",
  screen1: "Are you pregnant?",
  exclude1: "yes",
};

describeEachDatabase("study actions", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values({ id: "rita", name: "Rita", email: "rita@example.com", timeZone: "Europe/Berlin" });
  });

  it("refuses a study without a title, says so on that field, and creates nothing", async () => {
    const result = await createStudyAction(t.db, post({ ...study, title: "" }), "rita", NOW);
    if (!isFormFailure(result)) throw new Error(`expected a refusal, got ${result.status}`);
    expect(result.status).toBe(400);
    expect(result.errors["title"]?.join(" ")).toMatch(/\S/);
    expect(result.values["question"]).toBe(study.question);
    expect(await listResearchedStudies(t.db, "rita")).toEqual([]);
  });

  it("creates the study and shows its page with a new study code", async () => {
    const result = await createStudyAction(t.db, post(study), "rita", NOW);
    if (isFormFailure(result)) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
    expect(result.status).toBe(303);
    const studies = await listResearchedStudies(t.db, "rita");
    expect(studies).toMatchObject([{ title: "Mats and back pain" }]);
    expect(result.headers.get("location")).toMatch(
      new RegExp(`^/studies/${studies[0]!.id}\\?created=1&code=[A-Za-z0-9_-]{16}$`),
    );
  });
});
