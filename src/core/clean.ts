/**
 * The cleaner: turns an article body as captured from a web page into the paragraphs worth
 * citing. Articles are kept in `seeds/` exactly as pasted, page chrome included, so these rules
 * must recognise chrome by its shape, not by the exact lines of the articles we happen to have.
 *
 * Every rule has a stable id; the seed check prints which rule dropped which line.
 */
import { countWords, foldForComparison, normalizeWhitespace, splitLines } from "./text.js";

/** A line of the body that the cleaner removed, with the rule that removed it. */
export interface DroppedLine {
  /** 1-based line number in the file. */
  line: number;
  rule: CleaningRuleId;
  text: string;
}

/** A paragraph that survived cleaning. */
export interface CleanParagraph {
  /** 1-based line number in the file where the paragraph starts. */
  line: number;
  text: string;
}

export interface CleanedBody {
  paragraphs: CleanParagraph[];
  dropped: DroppedLine[];
}

export type CleaningRuleId =
  | "date-stamp"
  | "newsletter-prompt"
  | "paywall-prompt"
  | "share-widget"
  | "cookie-banner"
  | "comments-prompt"
  | "bookmark-widget"
  | "ai-label"
  | "repeated-headline"
  | "byline"
  | "tag-list"
  | "copyright"
  | "fragment"
  | "related-teasers";

interface LineRule {
  id: CleaningRuleId;
  /** Whether the whole (whitespace-normalised) line is chrome. */
  matches(line: string, context: { headline: string }): boolean;
}

const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const DATE = `(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|${MONTH}\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}\\s+${MONTH},?\\s+\\d{4})`;
// The regexes below are case-insensitive, so time zones are named: a bare "[A-Z]{2,4}" would
// also take the first word after a stamp ("… 14:05 The two leaders met …").
const TIME_ZONE =
  "(?:UTC|GMT|ET|CT|PT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|IST|KST|JST|HKT|SGT|AEST|AEDT)";
const TIME = `(?:,?\\s*(?:at\\s+)?\\d{1,2}[:.]\\d{2}(?:\\s*[ap]\\.?m\\b\\.?)?(?:\\s*${TIME_ZONE}\\b)?)`;
const WEEKDAY = "(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)";
const STAMP_LABEL = "(?:date|published|posted|updated|last updated|first published)\\s*:?";

/** A line that is nothing but a date, optionally labelled or followed by a time. */
const DATE_ONLY = new RegExp(`^(?:${STAMP_LABEL}\\s*)?${WEEKDAY}?${DATE}${TIME}?\\s*\\|?$`, "i");

/**
 * A date stamp at the start of a line that clearly is a stamp (it has a label or a time),
 * not a sentence that happens to begin with a date.
 */
const LEADING_STAMP = new RegExp(
  `^(?:${STAMP_LABEL}\\s*${WEEKDAY}?${DATE}${TIME}?|${WEEKDAY}?${DATE}${TIME})\\s*[|·•-]?\\s+`,
  "i",
);

// Words that appear in share, print and font-size widgets. A short line made only of these
// is a row of buttons.
const WIDGET_WORDS = new Set(
  (
    "share shares sharing print page small big large font size text email e-mail mail copy link " +
    "facebook twitter tweet x whatsapp linkedin reddit telegram pinterest line kakao kakaotalk " +
    "naver band messenger save saved bookmark listen audio article gift on via " +
    "this url the a to"
  ).split(" "),
);

const AI_LABEL_PART =
  "(?:(?:image|photo|picture|illustration|video|article|text|story|summary)\\s+)?(?:generated|created|made|produced|reported|written|summari[sz]ed)\\s+(?:by|with|using)\\s+(?:an\\s+)?ai";
const AI_LABELS = new RegExp(`^(?:${AI_LABEL_PART}[\\s.,|·•-]*)+$`, "i");

const RELATED_HEADING =
  /^(?:related(?: articles| stories| news| content| coverage| reading| links)?|recommended(?: for you| stories| articles| reading)?|read more|read next|more (?:stories|articles|news|on this story|from .{1,40})|you (?:may|might) also like|most (?:popular|read|viewed)|trending(?: now| stories)?|latest (?:news|stories)|also read|see also|top stories|editor'?s picks)\s*:?$/i;

// "Jane Doe and Max Roe · 3 June 2025, 09:05": names, a separator, then nothing but a date.
const NAMES_THEN_SEPARATOR =
  /^\p{Lu}[\p{L}.'’-]*(?:\s+(?:and\s+)?\p{Lu}[\p{L}.'’-]*){1,5}\s*[·|•,–—-]\s*/u;

function isNamesThenStamp(line: string): boolean {
  const names = line.match(NAMES_THEN_SEPARATOR);
  return names !== null && DATE_ONLY.test(line.slice(names[0].length));
}

const lineRules: LineRule[] = [
  {
    id: "date-stamp",
    matches: (line) => DATE_ONLY.test(line),
  },
  {
    id: "newsletter-prompt",
    matches: (line) =>
      /^(?:sign up|subscribe|get (?:our|the)\b.*\bnewsletter|join our newsletter|newsletter\b)/i.test(
        line,
      ) ||
      (/\bnewsletters?\b/i.test(line) && countWords(line) <= 15),
  },
  {
    // "You have read 3 of your 5 free articles", "Already a subscriber? Log in", "This
    // article is for subscribers only": the metering box a paywall puts inside the story.
    id: "paywall-prompt",
    matches: (line) =>
      countWords(line) <= 25 &&
      (/\b(?:free|remaining) (?:articles?|stories|reads)\b/i.test(line) ||
        /\balready (?:a )?(?:subscriber|member)\b/i.test(line) ||
        /^(?:(?:subscribe|sign in|log in|register) )?to (?:continue|keep) reading\b/i.test(line) ||
        /^this (?:article|story|content) is (?:only )?(?:for|available to|reserved for) (?:paying )?(?:subscribers|members)\b/i.test(
          line,
        )),
  },
  {
    id: "share-widget",
    matches: (line) => {
      const words = line.toLowerCase().match(/[\p{L}\p{N}-]+/gu);
      return (
        words !== null &&
        words.length <= 8 &&
        words.some((w) => w !== "the" && w !== "a" && w !== "to") &&
        words.every((w) => WIDGET_WORDS.has(w))
      );
    },
  },
  {
    id: "cookie-banner",
    matches: (line) =>
      (/\bcookies?\b/i.test(line) &&
        /\b(?:we use|uses|use of|accept|consent|privacy policy|preferences)\b/i.test(line)) ||
      /^(?:accept|decline|reject|accept all|reject all|allow all|deny|i agree|agree|got it|ok|okay|manage (?:cookies|preferences|settings|choices)|cookie settings)[.!]?$/i.test(
        line,
      ),
  },
  {
    id: "comments-prompt",
    matches: (line) =>
      (/^(?:join|leave|add|post|read|view|show|load|see|be the first)\b/i.test(line) &&
        /\b(?:comments?|commenting|conversations?|forum|discussion|replies)\b/i.test(line) &&
        countWords(line) <= 20) ||
      /^\d*\s*comments?$/i.test(line),
  },
  {
    id: "bookmark-widget",
    matches: (line) => /bookmark/i.test(line) && countWords(line) <= 5,
  },
  {
    id: "ai-label",
    matches: (line) => AI_LABELS.test(line),
  },
  {
    id: "repeated-headline",
    matches: (line, { headline }) =>
      headline.length > 0 && foldForComparison(line) === foldForComparison(headline),
  },
  {
    // "By Jane Doe, Reuters", "by WorldTribune Staff, January 6": a name of two or more
    // capitalised words (or one word alone), then punctuation. "By Monday, the sides…" is a
    // sentence, not a byline.
    id: "byline",
    matches: (line) =>
      (/^[Bb]y\s+\p{Lu}[\p{L}.'’-]*(?:\s+(?:and\s+)?\p{Lu}[\p{L}.'’-]*){1,5}\s*(?:[,|·•]|$|\s-\s)/u.test(
        line,
      ) ||
        /^[Bb]y\s+\p{Lu}[\p{L}.'’-]*$/u.test(line) ||
        isNamesThenStamp(line)) &&
      countWords(line) <= 15,
  },
  {
    id: "tag-list",
    matches: (line) => line.startsWith("#") && (line.match(/(?:^|\s)#\S/g)?.length ?? 0) >= 2,
  },
  {
    id: "copyright",
    matches: (line) =>
      /^(?:©|\(c\)\s|copyright\b|all rights reserved)/i.test(line) && countWords(line) <= 15,
  },
  {
    // A short line that is not a sentence (a section label, a button, a promo) cannot
    // answer a question on its own.
    id: "fragment",
    matches: (line) => countWords(line) < 6 && !/[.!?"”'’):]$/.test(line),
  },
];

const LEADING_DASHES = /^(?:[-–—•·*]\s*)+/;
// A capitalised dateline such as "SEOUL (AFP) - " or "BEIJING — ".
const DATELINE =
  /^[A-Z][A-Z .,'-]{2,40}?\s*(?:\((?:AFP|AP|Reuters|Yonhap|Xinhua|dpa|Kyodo)\))?\s*[-–—]+\s+/;
// A wire credit left at the very end of the copy: "... deep freeze. AFP"
const TRAILING_WIRE_CREDIT =
  /([.!?"”’])(?:\s+[-–—(]*(?:AFP|AP|Reuters|Yonhap|Xinhua|dpa|Kyodo|Bloomberg)\)?)+\s*$/;

/**
 * Light fixes that keep a paragraph but trim chrome stuck to its edges. Repeated until nothing
 * changes, because bullets, datelines and stamps come in any order and in pairs ("Published …
 * Updated …"); a single pass would leave chrome that a second cleaning removes.
 */
function tidyParagraph(text: string): string {
  let current = text;
  for (;;) {
    let next = current
      .replace(LEADING_DASHES, "")
      .replace(DATELINE, "")
      .replace(TRAILING_WIRE_CREDIT, "$1")
      .trim();
    if (!DATE_ONLY.test(next)) next = next.replace(LEADING_STAMP, "").trim();
    if (next === current) return current;
    current = next;
  }
}

/**
 * Cleans an article body.
 *
 * Each non-blank line is a paragraph candidate (blank lines between paragraphs are optional).
 * A line is dropped when a rule recognises it as page chrome; a "Related articles"-style
 * heading drops itself and everything after it, because aggregator pages put teasers about
 * other events there.
 *
 * @param body  the article body as stored, after the front matter
 * @param firstLine  the file line number of the body's first line, for reporting
 */
export function cleanBody(body: string, firstLine: number, headline: string): CleanedBody {
  const paragraphs: CleanParagraph[] = [];
  const dropped: DroppedLine[] = [];
  const lines = splitLines(body);
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = firstLine + i;
    const raw = lines[i] ?? "";
    let line = normalizeWhitespace(raw);
    if (line === "") continue;

    // Rules judge the line both as captured and as tidied, so that chrome behind a bullet, a
    // dateline or a second stamp is still recognised, and cleaning twice changes nothing.
    const text = tidyParagraph(line);
    if (RELATED_HEADING.test(line) || RELATED_HEADING.test(text)) {
      for (let j = i; j < lines.length; j++) {
        const rest = normalizeWhitespace(lines[j] ?? "");
        if (rest !== "") dropped.push({ line: firstLine + j, rule: "related-teasers", text: rest });
      }
      break;
    }

    // A stamp glued to the start of a line ("date 2026-01-06 Sign up now: ...") is judged
    // by what follows it.
    const stamp = DATE_ONLY.test(line) ? null : line.match(LEADING_STAMP);
    if (stamp) line = line.slice(stamp[0].length).trim();

    const rule = lineRules.find(
      (r) => r.matches(line, { headline }) || r.matches(text, { headline }),
    );
    if (rule) {
      dropped.push({ line: lineNumber, rule: rule.id, text: normalizeWhitespace(raw) });
      continue;
    }
    if (text !== "") paragraphs.push({ line: lineNumber, text });
  }
  return { paragraphs, dropped };
}

/** The ids of every rule, in the order they are tried; useful for reports and tests. */
export const CLEANING_RULES: readonly CleaningRuleId[] = [
  "related-teasers",
  ...lineRules.map((r) => r.id),
];
