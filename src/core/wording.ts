/**
 * Sentences the front ends show to people, in one place so that the bot, the console and the
 * CLI say the same thing. Plain text: each front end adds its own formatting.
 */
import type { DeclineReason } from "./answer.js";
import type { Sources } from "./desk.js";
import type { Nearest } from "./nearest.js";
import type { OutletMatch } from "./outlet-name.js";
import { truncateAtWord } from "./text.js";

/** An outlet name as typed is echoed to this many characters at most. */
const OUTLET_ROOM = 100;

/** What a decline may draw on besides the sources. */
export interface DeclineContext {
  /** The outlet the question was limited to, by its full name. */
  outlet?: string;
  /** How this front end lists the articles: "/source" on Discord, a flag on the command line. */
  listSources: string;
  /** The question, to notice one written in another script than the articles. */
  question?: string;
  /** The closest article and the question's words it uses (`Answer.nearest`). */
  nearest?: Nearest;
}

/**
 * A friendly message for a question the coverage does not answer: why, the closest thing the
 * articles do cover (when there is one), what the coverage is about, and how to list it.
 */
export function declineMessage(
  reason: DeclineReason,
  sources: Sources,
  context: DeclineContext,
): string {
  if (reason === "unknown-outlet") {
    return outletMessage({ status: "unknown" }, context.outlet ?? "", sources);
  }
  const where =
    context.outlet === undefined
      ? "the coverage"
      : `${truncateAtWord(context.outlet, OUTLET_ROOM)}'s coverage`;
  const why =
    reason === "no-terms"
      ? "That question has no words I can search for — try naming what you want to know."
      : reason === "not-stated"
        ? `The articles mention that, but none of them states what you asked — ${where} does not answer it.`
        : reason === "unsure"
          ? `I'm not sure ${where} answers that. The closest passages are below; they are not a confident answer.`
          : `I couldn't find a confident answer to that in ${where}.`;
  const parts = [why];
  const script = context.question === undefined ? undefined : foreignScript(context.question);
  if (script !== undefined && articlesAreLatin(sources)) {
    parts.push(
      `Your question is in ${script}, but the articles are in English: try asking in English.`,
    );
  }
  if (context.nearest !== undefined && reason !== "unsure") {
    const { headline, outlet, words } = context.nearest;
    parts.push(
      `The closest the articles come is “${headline}” (${outlet}), which mentions ${listWords(words)}.`,
    );
  }
  const about = coverageLine(sources);
  if (about !== "") parts.push(about);
  parts.push(`${context.listSources} lists every article.`);
  return parts.join(" ");
}

/** What to say when an outlet option names no outlet, or more than one. */
export function outletMessage(match: OutletMatch, typed: string, sources: Sources): string {
  const echoed = truncateAtWord(typed, OUTLET_ROOM);
  if (match.status === "ambiguous") {
    return `"${echoed}" could be ${match.candidates.join(" or ")}; type more of the name.`;
  }
  const names = sources.outlets.map((o) => o.name).join(", ");
  return `There is no outlet called "${echoed}" in the coverage. The outlets are: ${names}.`;
}

const listWords = (words: readonly string[]) =>
  words.length === 1
    ? `“${words[0]}”`
    : `${words
        .slice(0, -1)
        .map((w) => `“${w}”`)
        .join(", ")} and “${words.at(-1)}”`;

/** Words of a headline that say nothing of its subject. */
const HEADLINE_FILLER = new Set(
  "a an and as at after before but by for from in into of on or over the to with without its it's his her their is are was were be been has have had this that these those than then so not".split(
    " ",
  ),
);

/**
 * One line on what the coverage is about: how many articles, from how many outlets, over which
 * dates, and the words its headlines share most.
 */
export function coverageLine(sources: Sources): string {
  const articles = sources.outlets.flatMap((o) => o.articles);
  if (articles.length === 0) return "";
  const counts = new Map<string, { shown: string; count: number; first: number }>();
  articles.forEach((a) => {
    const seen = new Set<string>();
    for (const word of a.headline.match(/[\p{L}][\p{L}\p{N}]*/gu) ?? []) {
      const key = word.toLowerCase();
      if (key.length < 2 || HEADLINE_FILLER.has(key) || seen.has(key)) continue;
      seen.add(key);
      const entry = counts.get(key) ?? { shown: word, count: 0, first: counts.size };
      entry.count += 1;
      counts.set(key, entry);
    }
  });
  const shared = [...counts.values()]
    .filter((e) => e.count >= Math.min(2, articles.length))
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, 6)
    .map((e) => e.shown);
  const dates = articles
    .map((a) => a.published)
    .filter((d): d is string => d !== undefined)
    .sort();
  const first = dates[0];
  const last = dates.at(-1);
  const span =
    first === undefined || last === undefined
      ? ""
      : first === last
        ? `, ${formatDate(first)}`
        : `, ${formatDate(first)} to ${formatDate(last)}`;
  const outlets = sources.outlets.length;
  const what = `${plural(articles.length, "article")} from ${plural(outlets, "outlet")}${span}`;
  return shared.length === 0
    ? `The coverage is ${what}.`
    : `The coverage is ${what}, about: ${shared.join(", ")}.`;
}

/** Scripts a question may be written in that are not the Latin alphabet. */
const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ["Korean (Hangul)", /\p{Script=Hangul}/gu],
  ["Chinese characters", /\p{Script=Han}/gu],
  ["Japanese kana", /[\p{Script=Hiragana}\p{Script=Katakana}]/gu],
  ["Cyrillic", /\p{Script=Cyrillic}/gu],
  ["Arabic script", /\p{Script=Arabic}/gu],
  ["Hebrew script", /\p{Script=Hebrew}/gu],
  ["Greek", /\p{Script=Greek}/gu],
  ["Thai", /\p{Script=Thai}/gu],
  ["Devanagari", /\p{Script=Devanagari}/gu],
];

/**
 * The script a text is mostly written in, when it is not the Latin alphabet: "Korean
 * (Hangul)" for a question in Korean; `undefined` for one mostly in Latin letters.
 */
export function foreignScript(text: string): string | undefined {
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  let best: { name: string; count: number } | undefined;
  for (const [name, pattern] of SCRIPTS) {
    const count = text.match(pattern)?.length ?? 0;
    if (count > (best?.count ?? 0)) best = { name, count };
  }
  return best !== undefined && best.count > latin ? best.name : undefined;
}

function articlesAreLatin(sources: Sources): boolean {
  const headlines = sources.outlets.flatMap((o) => o.articles.map((a) => a.headline)).join(" ");
  return headlines !== "" && foreignScript(headlines) === undefined;
}

/**
 * A number with its word in agreement: `plural(1, "paragraph")` is "1 paragraph",
 * `plural(3, "paragraph")` is "3 paragraphs". Pass the plural when it is not the word plus s
 * (`plural(2, "entry", "entries")`). Every count shown to people goes through this.
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

// Made once: creating a formatter per call (as toLocaleDateString does) costs more than the
// rest of a reply.
const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** A date for people: "6 Jan 2026", or "date not given". */
export function formatDate(published: string | undefined): string {
  if (published === undefined) return "date not given";
  return DATE_FORMAT.format(new Date(`${published}T00:00:00Z`));
}
