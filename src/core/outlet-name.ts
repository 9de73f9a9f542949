/**
 * Finding an outlet from what a person typed: ignoring case, accents and punctuation, by the
 * whole name or by any word or beginning of a word that only one outlet's name has
 * ("straits", "independent", "asia", "asiatoday" for "Asia Today").
 */
import { foldForComparison } from "./text.js";

export type OutletMatch =
  | { status: "found"; name: string }
  /** More than one outlet fits: the candidates, to ask which. */
  | { status: "ambiguous"; candidates: string[] }
  | { status: "unknown" };

/** Words that say nothing about which outlet is meant. */
const FILLER = new Set(["the"]);

const wordsOf = (text: string) =>
  foldForComparison(text)
    .split(" ")
    .filter((w) => w !== "");

/**
 * The outlet among `names` that `typed` means. A name that matches whole (folded, or with its
 * spaces and punctuation removed) wins; otherwise every typed word must begin a word of the
 * name (or the typed text, run together, must begin the name run together), and exactly one
 * name may fit.
 */
export function matchOutlet(typed: string, names: readonly string[]): OutletMatch {
  const words = wordsOf(typed);
  if (words.length === 0) return { status: "unknown" };
  const joined = words.join("");
  const whole = names.filter((name) => {
    const own = wordsOf(name);
    return own.join(" ") === words.join(" ") || own.join("") === joined || plain(own) === joined;
  });
  if (whole.length === 1) return { status: "found", name: whole[0] as string };
  const fitting = outletsFitting(typed, names);
  if (fitting.length === 1) return { status: "found", name: fitting[0] as string };
  if (fitting.length > 1) return { status: "ambiguous", candidates: fitting };
  return { status: "unknown" };
}

/**
 * The names that what was typed could mean: every typed word begins a word of the name, or
 * the typed text run together begins the name run together. Every name when nothing is typed:
 * what the outlet option offers as it is being typed.
 */
export function outletsFitting(typed: string, names: readonly string[]): string[] {
  const words = wordsOf(typed);
  if (words.length === 0) return [...names];
  const meaningful = words.filter((w) => !FILLER.has(w));
  const asked = meaningful.length > 0 ? meaningful : words;
  const joined = words.join("");
  return names.filter((name) => {
    const own = wordsOf(name);
    const eachWord = asked.every((w) => own.some((o) => o.startsWith(w)));
    const runTogether = own.join("").startsWith(joined) || plain(own).startsWith(asked.join(""));
    return eachWord || runTogether;
  });
}

const plain = (own: string[]) => own.filter((w) => !FILLER.has(w)).join("");
