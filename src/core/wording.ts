/**
 * Sentences the front ends show to people, in one place so that the bot, the console and the
 * CLI say the same thing. Plain text: each front end adds its own formatting.
 */
import type { DeclineReason } from "./answer.js";
import type { Sources } from "./library.js";
import { truncateAtWord } from "./text.js";

/** One friendly line for a question the coverage does not answer, pointing at what it does cover. */
export function declineMessage(reason: DeclineReason, sources: Sources, outlet?: string): string {
  if (reason === "unknown-outlet") {
    const names = sources.outlets.map((o) => o.name).join(", ");
    return `There is no outlet called "${outlet ?? ""}" in the coverage. The outlets are: ${names}.`;
  }
  const covers = coverageHint(sources);
  if (reason === "no-terms") {
    return `That question has no words I can search for — try naming what you want to know. ${covers}`;
  }
  const where = outlet === undefined ? "the coverage" : `${outlet}'s coverage`;
  if (reason === "not-stated") {
    return `The articles mention that, but none of them states what you asked — ${where} does not answer it. ${covers}`;
  }
  if (reason === "unsure") {
    return `I'm not sure ${where} answers that; the closest passages may not be what you want. ${covers}`;
  }
  return `I couldn't find a confident answer to that in ${where}. ${covers}`;
}

/** "It covers: …" with a couple of headlines, so people know what they can ask. */
function coverageHint(sources: Sources): string {
  const headlines = sources.outlets
    .flatMap((o) => o.articles.map((a) => a.headline))
    .slice(0, 2)
    .map((h) => `“${truncateAtWord(h, 70)}”`);
  if (headlines.length === 0) return "";
  return `The articles I have cover stories like ${headlines.join(" and ")} — /source lists them all.`;
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
