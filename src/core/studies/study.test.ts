import { describe, expect, it } from "vitest";
import {
  consentHash,
  CoResearcherFormSchema,
  InvitationFormSchema,
  participantProtocol,
  pseudonym,
  readStudyForm,
  screen,
  splitConsent,
  type StudyProtocol,
} from "./study";

const form = {
  title: "Mats and back pain",
  question: "Does it help?",
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
  consent: "First item.\n\nSecond item\nwrapped.",
  targetSize: "20",
  endsOn: "2027-03-01",
  screen1: "Are you pregnant?",
  exclude1: "yes",
};

describe("readStudyForm", () => {
  it("builds the shared protocol, the consent items and the screening", () => {
    const r = readStudyForm(form, ["minutes", "area", "nonsense"], "2026-11-30");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.draft.protocol).toEqual({
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
      locked: ["minutes", "area"],
    });
    expect(r.draft.consentItems).toEqual(["First item.", "Second item wrapped."]);
    expect(r.draft.screening).toEqual([{ question: "Are you pregnant?", excludeIf: "yes" }]);
  });

  it.each([
    [{ title: "" }, "title"],
    [{ pairs: "3" }, "pairs"],
    [{ mcid: "99" }, "mcid"],
    [{ consent: "  " }, "consent"],
    [{ exclude1: "" }, "exclude1"],
    [{ targetSize: "1" }, "targetSize"],
    [{ endsOn: "2026-11-30" }, "endsOn"],
    [{ endsOn: "2026-02-30" }, "endsOn"],
    // The free-text rule (issue 25): a title with CR/LF once reached README.txt and protocol.json.
    [{ title: "Mats\r\nInjected: line" }, "title"],
    [{ title: "Mats\u0000" }, "title"],
    [{ contact: "me@example.com\nBcc: x" }, "contact"],
    [{ question: "Why\u001b[2J?" }, "question"],
    [{ screen1: "Pregnant?\r\nok" }, "screen1"],
    [{ consent: "First item.\u0007" }, "consent"],
  ])("refuses %o with a message on %s", (change, field) => {
    const r = readStudyForm({ ...form, ...change }, [], "2026-11-30");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field]?.[0]).toMatch(/[A-Z].*\./);
  });
});

describe("participantProtocol", () => {
  const study: StudyProtocol = {
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
    locked: ["minutes", "position"],
  };

  it("keeps locked fields, lets open ones change, and adds the person's start, clock and expectation", () => {
    const r = participantProtocol(
      study,
      { minutes: "30", time: "07:30", area: "neck-shoulders", startsOn: "2026-12-01", expectation: "4" },
      "Europe/Berlin",
    );
    expect(r.ok && r.protocol).toMatchObject({
      sessionMinutes: 15,
      sessionTime: "07:30",
      area: "neck-shoulders",
      position: "lying",
      startsOn: "2026-12-01",
      timeZone: "Europe/Berlin",
      expectation: 4,
      pairs: 8,
    });
  });

  it("needs an expectation and a first day", () => {
    const r = participantProtocol(study, {}, "UTC");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(["expectation", "startsOn"]);
  });
});

describe("screening, consent and pseudonyms", () => {
  const qs = [
    { question: "Pregnant?", excludeIf: "yes" as const },
    { question: "Over 18?", excludeIf: "no" as const },
  ];
  it("excludes on the first excluding answer and needs every answer", () => {
    expect(screen(qs, ["no", "yes"])).toEqual({ ok: true, excludedBecause: null });
    expect(screen(qs, ["no", "no"])).toEqual({ ok: true, excludedBecause: "Screening: answered no to “Over 18?”" });
    expect(screen(qs, ["no", undefined]).ok).toBe(false);
  });
  it("hashes a consent version over its number and items", () => {
    expect(consentHash(1, ["a"])).toMatch(/^[0-9a-f]{64}$/);
    expect(consentHash(1, ["a"])).not.toBe(consentHash(2, ["a"]));
    expect(splitConsent("a\r\n\r\n\r\nb")).toEqual(["a", "b"]);
  });
  it("names participants P001 … P1000", () => {
    expect([1, 42, 1000].map(pseudonym)).toEqual(["P001", "P042", "P1000"]);
  });
});

describe("the invitation and co-researcher forms", () => {
  it.each([
    [
      { kind: "person", label: " Ana " },
      { kind: "person", label: "Ana" },
    ],
    [
      { kind: "anything", label: "" },
      { kind: "study", label: "" },
    ],
    [{ label: "Clinic posters" }, { kind: "study", label: "Clinic posters" }],
  ])("reads an invitation %j as %j", (form, read) => {
    expect(InvitationFormSchema.parse(form)).toEqual(read);
  });

  it("refuses a label over 80 characters on its field", () => {
    const r = InvitationFormSchema.safeParse({ kind: "study", label: "x".repeat(81) });
    expect(r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["label", "Keep the label under 80 characters."],
    ]);
  });

  it.each([
    [" Mal@Example.org ", "mal@example.org"],
    ["rita.s+study@clinic.example.com", "rita.s+study@clinic.example.com"],
  ])("reads the co-researcher %j as %j", (email, read) => {
    expect(CoResearcherFormSchema.parse({ email }).email).toBe(read);
  });

  it.each(["", "mal", "mal@", "mal@example", "two words@example.org", `${"a".repeat(250)}@example.org`])(
    "refuses %j with one sentence on the email field",
    (email) => {
      const r = CoResearcherFormSchema.safeParse({ email });
      expect(r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
        ["email", "Give the email address of their matwise account."],
      ]);
    },
  );
});
