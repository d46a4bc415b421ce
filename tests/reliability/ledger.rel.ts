/**
 * The ledger check itself: what it must call a lost, duplicated or stale write. The durability,
 * backup and full-disk tests are only as good as this comparison.
 */
import { describe, expect, it } from "vitest";
import { checkAgainstLedger, Ledger, type StoredRow, type WriteKind, type WriteRecord } from "./support";

function ledgerOf(writes: [WriteKind, number, WriteRecord["state"]][]): { ledger: Ledger; records: WriteRecord[] } {
  const ledger = new Ledger();
  const records = writes.map(([kind, client, state]) => {
    const r = ledger.begin(kind, client);
    r.state = state;
    if (state === "acked") r.id = kind === "checkin" ? `experiment-${client}` : `id-${r.marker}`;
    return r;
  });
  return { ledger, records };
}
const row = (r: WriteRecord, id = r.id ?? "x"): StoredRow => ({ kind: r.kind, id, marker: r.marker });

describe("the ledger check", () => {
  it("wants every acknowledged session once, with its id, and nothing the server refused", () => {
    const { ledger, records } = ledgerOf([
      ["session", 0, "acked"],
      ["session", 0, "acked"],
      ["session", 0, "refused"],
      ["session", 0, "in-doubt"],
    ]);
    const [a, b, refused, doubt] = records as [WriteRecord, WriteRecord, WriteRecord, WriteRecord];
    expect(checkAgainstLedger([row(a), row(b)], ledger, { inDoubtMayBeStored: true }).problems).toEqual([]);
    expect(
      checkAgainstLedger([row(a), row(b), row(doubt, "d")], ledger, { inDoubtMayBeStored: true }).inDoubtStored,
    ).toBe(1);
    expect(checkAgainstLedger([row(a)], ledger, { inDoubtMayBeStored: true }).problems.join()).toMatch(/is missing/);
    expect(
      checkAgainstLedger([row(a), row(b), row(b, "again")], ledger, { inDoubtMayBeStored: true }).problems.join(),
    ).toMatch(/stored 2 times/);
    expect(checkAgainstLedger([row(a, "other"), row(b)], ledger, { inDoubtMayBeStored: true }).problems.join()).toMatch(
      /acknowledged as/,
    );
    expect(
      checkAgainstLedger([row(a), row(b), row(refused, "r")], ledger, { inDoubtMayBeStored: true }).problems.join(),
    ).toMatch(/server answered/);
    expect(
      checkAgainstLedger([row(a), row(b), row(doubt, "d")], ledger, { inDoubtMayBeStored: false }).problems.join(),
    ).toMatch(/never answered/);
  });

  it("wants each check-in client's day to hold its latest acknowledged check-in, or one after it that got no answer", () => {
    const { ledger, records } = ledgerOf([
      ["checkin", 200, "acked"],
      ["checkin", 200, "acked"],
      ["checkin", 200, "in-doubt"],
      ["checkin", 201, "acked"],
      ["checkin", 201, "refused"],
    ]);
    const [old, latest, doubt, other, refused] = records as [
      WriteRecord,
      WriteRecord,
      WriteRecord,
      WriteRecord,
      WriteRecord,
    ];
    const otherDay = row(other);
    expect(checkAgainstLedger([row(latest), otherDay], ledger, { inDoubtMayBeStored: true }).problems).toEqual([]);
    const cutOff = checkAgainstLedger([row(doubt, "experiment-200"), otherDay], ledger, { inDoubtMayBeStored: true });
    expect(cutOff.problems).toEqual([]);
    expect([...cutOff.storedInDoubt]).toEqual([doubt.marker]);
    expect(
      checkAgainstLedger([row(doubt, "experiment-200"), otherDay], ledger, {
        inDoubtMayBeStored: false,
      }).problems.join(),
    ).toMatch(/not the latest acknowledged/);
    expect(checkAgainstLedger([row(old), otherDay], ledger, { inDoubtMayBeStored: true }).problems.join()).toMatch(
      /holds .* \(acked\), not the latest acknowledged/,
    );
    expect(checkAgainstLedger([otherDay], ledger, { inDoubtMayBeStored: true }).problems.join()).toMatch(
      /acknowledged check-in .* is missing/,
    );
    expect(
      checkAgainstLedger([row(latest), row(refused, "experiment-201")], ledger, {
        inDoubtMayBeStored: true,
      }).problems.join(),
    ).toMatch(/\(refused\), not the latest/);
    expect(
      checkAgainstLedger([row(latest, "experiment-9"), otherDay], ledger, { inDoubtMayBeStored: true }).problems.join(),
    ).toMatch(/stored in experiment experiment-9/);
    expect(
      checkAgainstLedger([row(latest), row(old), otherDay], ledger, { inDoubtMayBeStored: true }).problems.join(),
    ).toMatch(/2 days with its note/);
  });
});
