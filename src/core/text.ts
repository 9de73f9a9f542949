/**
 * Text helpers shared by the cleaner, the analyzer and the reply formatting.
 * Nothing here knows about articles or search; these are plain string functions.
 */

// Zero-width and byte-order characters survive copy-paste from web pages and would
// otherwise split or glue words invisibly.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const UNICODE_SPACE = /[\p{Zs}\t\f\v]+/gu;

/** Collapses every kind of horizontal whitespace to one space and removes invisible characters. */
export function normalizeWhitespace(text: string): string {
  return text.replace(INVISIBLE, "").replace(UNICODE_SPACE, " ").trim();
}

/** Splits text into lines, accepting `\n`, `\r\n` and lone `\r` line endings. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Counts words the way a reader would: runs of letters or digits. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)?.length ?? 0;
}

/**
 * Folds text for comparisons that should ignore case, accents, curly quotes and dash style:
 * "South Korea’s Lee–Xi" and "south korea's lee-xi" fold to the same string.
 */
export function foldForComparison(text: string): string {
  return stripDiacritics(text.toLowerCase())
    .replace(/[‘’‛`´]/g, "'")
    .replace(/[“”„‟]/g, '"')
    .replace(/[‐‑‒–—―]/g, "-")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Removes combining accents from Latin text while keeping Hangul and other scripts intact:
 * NFD separates the marks, and NFC recomposes Hangul syllables that NFD split into jamo.
 */
export function stripDiacritics(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .normalize("NFC");
}

// Intl.Segmenter breaks after every period; these abbreviations are followed by a name,
// a number or a noun far more often than by the end of a sentence.
const ABBREVIATION_AT_END =
  /(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|vs|Inc|Corp|Co|Jr|Sr)\.\s*$/;

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/** Splits a paragraph into sentences, keeping common abbreviations ("Jan. 5", "Mr. Lee") whole. */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  for (const { segment } of sentenceSegmenter.segment(paragraph)) {
    const previous = sentences.at(-1);
    if (previous !== undefined && ABBREVIATION_AT_END.test(previous)) {
      sentences[sentences.length - 1] = previous + segment;
    } else {
      sentences.push(segment);
    }
  }
  return sentences.map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Shortens text to at most `max` characters, cutting at a word boundary and ending with an
 * ellipsis, so that a limit never splits a word or a surrogate pair.
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return "…".slice(0, max);
  const room = max - 1;
  let cut = text.slice(0, room);
  const lastSpace = cut.search(/\s\S*$/);
  // Only back up to a space when that keeps most of the text; one enormous "word"
  // (a URL, a run of emoji) is cut mid-word instead of vanishing.
  if (lastSpace > room * 0.6) cut = cut.slice(0, lastSpace);
  // Never leave half of a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Verbs that attribute a quotation to its speaker ("…," Lee said. / "…?" Mr Lee posted on X.). */
const ATTRIBUTION =
  /\b(?:said|says|say|saying|posted|posts|wrote|writes|told|tells|added|adds|asked|asks|noted|notes|stated|states|tweeted|replied|remarked|explained|joked|quipped|declared|according to)\b/i;
/** An attributing clause is short: a speaker, a verb, perhaps where or to whom. */
const ATTRIBUTION_MAX_WORDS = 14;
const OPENING = /^["“]/;
const CLOSING = /["”][)\]]?$/;

/** Whether a sentence leaves a quotation open (an odd number of straight quotes, or more “ than ”). */
function leavesQuoteOpen(sentence: string): boolean {
  const straight = sentence.match(/"/g)?.length ?? 0;
  const opened = sentence.match(/“/g)?.length ?? 0;
  const closed = sentence.match(/”/g)?.length ?? 0;
  return straight % 2 === 1 || opened > closed;
}

const isAttribution = (sentence: string) =>
  !OPENING.test(sentence) &&
  ATTRIBUTION.test(sentence) &&
  countWords(sentence) <= ATTRIBUTION_MAX_WORDS;

/**
 * Sentences as units a reader takes together: a quotation split over several sentences is one
 * unit, and so is a quotation with the short clause that attributes it
 * (`"Good, right?" Mr Lee posted on X.`). Offsets into `paragraph`.
 */
export function quotationUnits(paragraph: string): Array<{ start: number; end: number }> {
  const sentences: Array<{ start: number; end: number; text: string }> = [];
  let from = 0;
  for (const text of splitSentences(paragraph)) {
    const start = paragraph.indexOf(text, from);
    if (start === -1) continue;
    sentences.push({ start, end: start + text.length, text });
    from = start + text.length;
  }
  const units: Array<{ start: number; end: number; text: string }> = [];
  let open = false;
  for (const sentence of sentences) {
    const last = units.at(-1);
    const joinsQuote = last !== undefined && open;
    const attributes =
      last !== undefined && !open && CLOSING.test(last.text) && isAttribution(sentence.text);
    if (last !== undefined && (joinsQuote || attributes)) {
      last.end = sentence.end;
      last.text = paragraph.slice(last.start, last.end);
    } else {
      units.push({ ...sentence });
    }
    const current = units.at(-1) as { text: string };
    open = leavesQuoteOpen(current.text);
  }
  return units.map(({ start, end }) => ({ start, end }));
}

/**
 * A highlight widened to the whole unit it falls in (see {@link quotationUnits}), so that a
 * quotation is never emphasised without its speaker, nor the speaker without the quotation.
 */
export function widenToQuotation(
  paragraph: string,
  span: { start: number; end: number },
): { start: number; end: number } {
  let { start, end } = span;
  for (const unit of quotationUnits(paragraph)) {
    if (unit.end <= span.start || unit.start >= span.end) continue;
    start = Math.min(start, unit.start);
    end = Math.max(end, unit.end);
  }
  return { start, end };
}
