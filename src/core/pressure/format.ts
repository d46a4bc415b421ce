/**
 * Wording for the pressure model's results, shared by the server-rendered page and the island
 * so both say exactly the same thing. Figures are rounded to two significant digits: the model
 * is an estimate and more digits would claim a precision it does not have.
 * @module
 */
import type { ContactEstimate } from "./model";

const sig2 = new Intl.NumberFormat("en-GB", { maximumSignificantDigits: 2 });
const whole = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

/** A number rounded to two significant digits, with thousands separators ("2,900", "0.14"). */
export function formatEstimate(value: number): string {
  return sig2.format(value);
}

/** A whole number with thousands separators ("6,210"). */
export function formatWhole(value: number): string {
  return whole.format(value);
}

/** "about 2,900 tips". */
export function formatTips(tips: number): string {
  return `about ${formatEstimate(tips)}`;
}

/** A body mass as typed, to one decimal ("72.5 kg"). */
export function formatKg(kg: number): string {
  return `${new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 }).format(kg)} kg`;
}

/** "0.14 N". */
export function formatNewtons(newtons: number): string {
  return `${formatEstimate(newtons)} N`;
}

/** "about 14 g": a load expressed as the weight of a mass, for a feel of its size. */
export function formatGrams(grams: number): string {
  return `about ${formatEstimate(grams)} g`;
}

/** A sentence that ranks the mats with an estimate by their intensity index. */
export function describeComparison(rows: readonly { name: string; contact: ContactEstimate }[]): string {
  const known = rows
    .filter(
      (r): r is { name: string; contact: Extract<ContactEstimate, { kind: "estimate" }> } =>
        r.contact.kind === "estimate",
    )
    .sort((a, b) => a.contact.intensityIndex - b.contact.intensityIndex);
  const unknown = rows.length - known.length;
  const tail =
    unknown > 0
      ? ` ${unknown === 1 ? "One mat has" : `${unknown} mats have`} no estimate because its spike density is unknown.`
      : "";
  if (known.length === 0)
    return `None of these mats has a known spike count and size, so the model cannot compare them.${tail}`;
  if (known.length === 1)
    return `Only ${known[0]!.name} has a known spike count and size, so there is nothing to compare it with yet.${tail}`;
  const gentlest = known[0]!;
  const strongest = known[known.length - 1]!;
  const ratio = strongest.contact.intensityIndex / gentlest.contact.intensityIndex;
  if (ratio < 1.05) return `By this estimate, these mats press about equally hard on each tip.${tail}`;
  return `By this estimate, ${gentlest.name} is the gentlest of these: each tip carries about ${formatEstimate(1 / ratio)} times the load it would on ${strongest.name}, the most intense.${tail}`;
}
