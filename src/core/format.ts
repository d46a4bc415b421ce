/**
 * The one number and plural formatter: every count and amount a person reads goes through here,
 * so "1 point", "2 points", "1.5 points" and "1,000 days" come out the same everywhere
 * (Intl.NumberFormat, Intl.PluralRules). Formatters are cached per locale and digits.
 * @module
 */
const LOCALE = "en-GB";
const numberCache = new Map<string, Intl.NumberFormat>();
const plurals = new Map<string, Intl.PluralRules>();

/** `x` with at most `maxDigits` decimals and no trailing zeros: 1 → "1", 1.25 → "1.3", 1000 → "1,000". */
export function formatNumber(x: number, maxDigits = 1, locale = LOCALE): string {
  const key = `${locale}|${maxDigits}`;
  let fmt = numberCache.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: maxDigits });
    numberCache.set(key, fmt);
  }
  return fmt.format(x);
}

/** A word in its singular and plural forms: { one: "day", other: "days" }. */
export interface Noun {
  one: string;
  other: string;
}

/** The nouns the pages count. */
export const NOUNS = {
  day: { one: "day", other: "days" },
  measuredDay: { one: "measured day", other: "measured days" },
  point: { one: "point", other: "points" },
  minute: { one: "minute", other: "minutes" },
  pair: { one: "pair", other: "pairs" },
} as const satisfies Record<string, Noun>;

/** The form of `noun` that goes with `n` (by the language's plural rules, not by n === 1). */
export function pluralize(n: number, noun: Noun, maxDigits = 1, locale = LOCALE): string {
  let rules = plurals.get(`${locale}|${maxDigits}`);
  if (!rules) {
    rules = new Intl.PluralRules(locale, { maximumFractionDigits: maxDigits });
    plurals.set(`${locale}|${maxDigits}`, rules);
  }
  return rules.select(n) === "one" ? noun.one : noun.other;
}

/** "1 day", "21 days", "1.5 points": the number and its noun. */
export function formatCount(n: number, noun: Noun, maxDigits = 1, locale = LOCALE): string {
  return `${formatNumber(n, maxDigits, locale)} ${pluralize(n, noun, maxDigits, locale)}`;
}

/** An amount on an outcome's scale: "1 point", "2.5 points", "1 minute", "20 minutes". */
export function formatAmount(x: number, unit: "points" | "minutes", maxDigits = 1): string {
  return formatCount(x, unit === "points" ? NOUNS.point : NOUNS.minute, maxDigits);
}
