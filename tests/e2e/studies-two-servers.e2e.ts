/**
 * One study served by two server processes on one PostgreSQL: a researcher creates it on one,
 * six people consent at the same moment through both, and both monitors count the same six
 * under six distinct pseudonyms. Runs only when TEST_DATABASE_URL is set (CI sets it).
 */
import { randomBytes } from "node:crypto";
import { parseHTML } from "linkedom";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/core/datetime";
import { postForm, signUpAs, useTwoServersOnPostgres } from "./support";

/** The fields a page's form would send as it is: inputs, checked boxes and radios, selects and text areas. */
function formDefaults(html: string, selector: string): [string, string][] {
  const { document } = parseHTML(html);
  const form = document.querySelector(selector);
  if (!form) throw new Error(`no form ${selector}`);
  const out: [string, string][] = [];
  for (const el of Array.from(form.querySelectorAll("input, select, textarea"))) {
    const name = el.getAttribute("name");
    if (!name) continue;
    const type = el.getAttribute("type") ?? "";
    if ((type === "checkbox" || type === "radio") && !el.hasAttribute("checked")) continue;
    if (el.tagName === "SELECT")
      out.push([
        name,
        el.querySelector("option[selected]")?.getAttribute("value") ??
          el.querySelector("option")?.getAttribute("value") ??
          "",
      ]);
    else if (el.tagName === "TEXTAREA") out.push([name, el.textContent ?? ""]);
    else out.push([name, el.getAttribute("value") ?? ""]);
  }
  return out;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("a study on two servers sharing one PostgreSQL", () => {
  const tag = randomBytes(3).toString("hex");
  const servers = useTwoServersOnPostgres();

  it("counts the same participants under distinct pseudonyms on both servers", async () => {
    const { a, b, url } = servers;
    const rita = await signUpAs(a.url, `rita${tag}@example.com`);
    const form = await (await fetch(`${a.url}/studies/new`, { headers: { cookie: rita } })).text();
    const fields = formDefaults(form, "form").filter(
      ([k]) => !["title", "question", "contact", "consent", "targetSize", "endsOn"].includes(k),
    );
    const today = new Date().toISOString().slice(0, 10);
    fields.push(
      ["title", "Two servers"],
      ["question", "Does the mat help more than rest?"],
      ["contact", "rita@example.org"],
      ["consent", "I agree to share my ratings under a code name."],
      ["targetSize", "10"],
      ["endsOn", addDays(today, 30)],
    );
    const made = await postForm(a.url, "/studies/new", fields, rita);
    expect(made.status, made.text.slice(0, 500)).toBe(303);
    const [, studyId, code] =
      /^\/studies\/([0-9a-f-]{36})\?created=1&code=([A-Za-z0-9_-]{16})/.exec(made.location ?? "") ?? [];
    expect(code).toBeDefined();

    // Six people, three signed up on each server, consent at once, each through the other server.
    const people = await Promise.all(
      Array.from({ length: 6 }, (_, i) => signUpAs(i % 2 ? b.url : a.url, `p${i}${tag}@example.com`)),
    );
    const consentPage = await (
      await fetch(`${b.url}/join/${code}?step=consent&item=1`, { headers: { cookie: people[0]! } })
    ).text();
    const hidden = formDefaults(consentPage, 'form:has(input[name="intent"][value="consent"])');
    const agreed = await Promise.all(
      people.map((cookie, i) => postForm(i % 2 ? a.url : b.url, `/join/${code}`, hidden, cookie)),
    );
    expect(agreed.map((r) => r.location)).toEqual(people.map(() => `/join/${code}?step=eligibility`));

    for (const server of [a, b]) {
      const monitor = await (await fetch(`${server.url}/studies/${studyId}`, { headers: { cookie: rita } })).text();
      expect(/data-count="consented"[^>]*>(\d+)</.exec(monitor)?.[1], monitor.slice(0, 300)).toBe("6");
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const rows = (
      await db.query<{ pseudonym: string }>(
        "select pseudonym from study_participant where study_id = $1 order by pseudonym",
        [studyId],
      )
    ).rows;
    await db.end();
    expect(rows.map((r) => r.pseudonym)).toEqual(["P001", "P002", "P003", "P004", "P005", "P006"]);
  });
});
