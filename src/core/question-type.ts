/**
 * What kind of fact a question asks for, read from how it is phrased: "how many ..." wants a
 * number, "when ..." a date, "what did X say ..." something someone said. A passage that
 * states that kind of fact is a better answer than one that only shares the question's words.
 */

export type ExpectedAnswer = "number" | "date" | "statement" | "any";

// The words that make a question ask for a number or a date. They say what kind of answer is
// wanted, not what it is about, so they are not searched for.
const NUMBER_FORM =
  /\b(?:how (?:many|much|long|big|large|old|often|far)|what (?:number|percentage|amount)|number of)\b/gi;
const DATE_FORM =
  /(?:^|[,;:]\s*|\b(?:and|but|so|exactly|then)\s+)(?:when|since when)\b|\b(?:when (?:did|was|were|is|are|will|does|do|had|has)|(?:what|which) (?:date|day|year|month)|(?:at )?what time|how long ago|(?:the )?(?:last|first|next) time)\b/gi;
// "what did X say", "what was X's joke", "what do critics say": the answer is attributed speech.
const STATEMENT_FORM =
  /\b(?:say|says|said|tell|told|write|wrote|written|post|posted|think|thinks|reply|replied|respond|responded|remark|remarked|joke|joked|quip|quipped|comment|commented|describe|described|announce|announced|claim|claimed|argue|argued|quote|quoted|proverb|saying|message|statement|caption|captioned)\b/i;
const WH_QUESTION = /^\W*(?:what|how|which|why)\b/i;

export function expectedAnswer(question: string): ExpectedAnswer {
  if (new RegExp(DATE_FORM.source, "i").test(question)) return "date";
  if (new RegExp(NUMBER_FORM.source, "i").test(question)) return "number";
  if (WH_QUESTION.test(question) && STATEMENT_FORM.test(question)) return "statement";
  return "any";
}

/** The question without the words that only ask for a number or a date ("how many", "what date"). */
export function withoutAnswerForm(question: string): string {
  return question.replace(DATE_FORM, " ").replace(NUMBER_FORM, " ");
}

const NUMBER_WORDS =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|once|twice|first|second|third";
const HAS_NUMBER = new RegExp(`\\d|\\b(?:${NUMBER_WORDS})\\b`, "i");

const MONTHS =
  "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";
const CALENDAR_DATE = new RegExp(
  `\\b(?:${MONTHS})\\.?\\s+\\d{1,2}\\b|\\b\\d{1,2}\\s+(?:${MONTHS})\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b`,
  "i",
);
const MONTH_OR_YEAR = new RegExp(`\\b(?:${MONTHS})\\b|\\b(?:1[89]|20)\\d{2}\\b`, "i");
const LOOSE_DATE =
  /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|ago|last (?:year|month|week)|next (?:year|month|week)|this year|decade|century)\b/i;

const QUOTATION = /["“”«»]|(?:^|\s)['‘][^'’]{3,}['’](?:\s|[.,;:!?]|$)/;
// Reporting verbs in the forms news copy uses for attributed speech. Bare nouns that look
// like verbs ("jokes", "posts") are left out on purpose.
const SPEECH_VERB =
  /\b(?:said|says|saying|told|wrote|writes|posted|tweeted|added|noted|noting|stated|explained|asserted|claimed|argued|insisted|suggested|proposed|warned|urged|urging|called for|asked|replied|responded|remarked|commented|joked|quipped|announced|declared|pledged|vowed|promised|hinted|acknowledged|admitted|denied|accused|critici[sz]ed|praised|described|according to)\b/i;

/**
 * How well a passage states the kind of fact the question expects, from 0 (not at all) to 1.
 * Numbers and dates are looked for in the sentence that best matches the question, so that a
 * number elsewhere in the paragraph does not count; for dates, a calendar date beats a month
 * or a year, which beats "on Monday". Statements are looked for in the whole passage, since
 * a quotation and its attribution are often split across sentences; a quotation beats a
 * reporting verb.
 */
export function answerFit(sentence: string, passage: string, expected: ExpectedAnswer): number {
  switch (expected) {
    case "number":
      return HAS_NUMBER.test(sentence) ? 1 : 0;
    case "date":
      if (CALENDAR_DATE.test(sentence)) return 1;
      if (MONTH_OR_YEAR.test(sentence)) return 0.7;
      return LOOSE_DATE.test(sentence) ? 0.4 : 0;
    case "statement":
      // Words in quotation marks are what someone said; a reporting verb may only summarise it.
      if (QUOTATION.test(passage)) return 1;
      return SPEECH_VERB.test(passage) ? 0.6 : 0;
    case "any":
      return 1;
  }
}
