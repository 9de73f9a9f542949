/**
 * What kind of fact a question asks for, read from how it is phrased: "how many ..." wants a
 * number, "when ..." a date, "what did X say ..." something someone said. A passage that
 * states that kind of fact is a better answer than one that only shares the question's words.
 */

export type ExpectedAnswer =
  | "number"
  | "duration"
  | "date"
  | "statement"
  | "person"
  | "organization"
  | "place"
  | "any";

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
// "how long was the summit" wants a length of time, not any number.
const DURATION_FORM =
  /\bhow long\b(?! ago)|\bfor how (?:many|much) (?:days|hours|minutes|weeks|months|years)\b/i;
// Questions that want a name of some kind: the wh-word, or the kind of thing after "which".
const PERSON_FORM =
  /^\W*(?:who|whom)\b|\b(?:which|what) (?:person|people|man|woman|official|officials|minister|leader|spokes(?:man|woman|person)|advis[eo]r|analyst|professor|expert|chairman|executive|ceo|journalist|reporter|author|president)\b/i;
const ORGANIZATION_FORM =
  /\b(?:which|what) (?:company|companies|firm|firms|brand|brands|newspaper|newspapers|paper|outlet|outlets|media|broadcaster|network|agency|organi[sz]ation|group|university|ministry|department|maker|manufacturer|business|businesses|bank|institution|channel|publication|website|site|conglomerate|chaebol)\b/i;
const PLACE_FORM =
  /^\W*where\b|\b(?:which|what) (?:city|cities|country|countries|place|places|venue|province|region|town|capital|nation|island|sea|location|area)\b/i;

export function expectedAnswer(question: string): ExpectedAnswer {
  if (new RegExp(DATE_FORM.source, "i").test(question)) return "date";
  if (DURATION_FORM.test(question)) return "duration";
  if (new RegExp(NUMBER_FORM.source, "i").test(question)) return "number";
  if (WH_QUESTION.test(question) && STATEMENT_FORM.test(question)) return "statement";
  if (ORGANIZATION_FORM.test(question)) return "organization";
  if (PLACE_FORM.test(question)) return "place";
  if (PERSON_FORM.test(question)) return "person";
  return "any";
}

// Nouns too general to be what a question is about ("what is the name of…").
const LIGHT_NOUNS = new Set(
  "name names kind type sort thing things one ones part way lot bit reason point stuff deal up".split(
    " ",
  ),
);
const AUXILIARIES = new Set(
  "is was are were be been did do does has have had will would can could should shall may might must".split(
    " ",
  ),
);
const COPULAS = new Set(["is", "was", "are", "were"]);
const DETERMINERS = new Set("the a an this that these those his her their its".split(" "));

/**
 * The words naming what a question asks about, when its form says so: the noun after "which" or
 * "what" ("which company"), the attribute in "what is the X of Y" and "what is Y's X", the
 * adjective of "how tall", the noun of "how many X", the verb of "who designed". A passage that
 * answers must mention it (or a word that stands in for it): "how tall is Xi" is not answered
 * by a passage about Xi that states no height. Empty when the question names no such focus.
 */
export interface Focus {
  /** The words naming what is asked. */
  words: string[];
  /**
   * For the attribute forms ("how tall is Xi", "what is Xiaomi's market value", "what is the
   * price of bitcoin"): the words naming whose attribute it is. Undefined for other forms.
   * A passage that answers must mention both.
   */
  subject?: string[];
}

export function questionFocus(question: string): Focus {
  const lower = question.toLowerCase().replace(/[’‘]/g, "'");
  const words: string[] = lower.match(/[\p{L}\p{N}']+/gu) ?? [];
  const clean = (w: string | undefined) => (w ?? "").replace(/'s?$/, "");
  const content = (list: string[]) =>
    list.map(clean).filter((w) => w !== "" && !LIGHT_NOUNS.has(w) && !DETERMINERS.has(w));
  const noun = (from: number): string[] => {
    let i = from;
    while (DETERMINERS.has(words[i] ?? "")) i++;
    const head = clean(words[i]);
    return head === "" || LIGHT_NOUNS.has(head) || AUXILIARIES.has(head) ? [] : [head];
  };
  const [first, second] = [words[0], words[1]];
  // "what is Xiaomi's market value": the owner before the possessive, the focus after it.
  const possessive =
    /(?:^|\s)(?:what|which|who)\s+(?:is|was|are|were)\s+([\p{L}\s]*?\p{L}+)'s?\s+([\p{L}\s]+?)\s*\??$/u.exec(
      lower,
    );
  if (possessive?.[1] && possessive[2]) {
    return {
      words: content(possessive[2].split(/\s+/)),
      subject: content(possessive[1].split(/\s+/)),
    };
  }
  if (first === "how" && second !== undefined) {
    // "how many MOUs…" names the focus; "how much did it cost" ends with it.
    if (second === "many" || second === "much") {
      return { words: AUXILIARIES.has(words[2] ?? "") ? [clean(words.at(-1))] : noun(2) };
    }
    if (AUXILIARIES.has(second) || second === "come" || second === "about") return { words: [] };
    // "how tall is Xi": an attribute (tall) of a subject (Xi).
    return {
      words: [second],
      ...(COPULAS.has(words[2] ?? "") && { subject: content(words.slice(3)) }),
    };
  }
  if ((first === "what" || first === "which") && second !== undefined) {
    if (!AUXILIARIES.has(second)) return { words: noun(1) };
    // "what is the X of Y"
    let i = 2;
    while (DETERMINERS.has(words[i] ?? "")) i++;
    return words[i + 1] === "of"
      ? { words: noun(i), subject: content(words.slice(i + 2)) }
      : { words: [] };
  }
  if ((first === "who" || first === "whom") && second !== undefined && !AUXILIARIES.has(second)) {
    return { words: [second] };
  }
  return { words: [] };
}

/** The question without the words that only ask for a number or a date ("how many", "what date"). */
export function withoutAnswerForm(question: string): string {
  return question.replace(DATE_FORM, " ").replace(NUMBER_FORM, " ");
}

const NUMBER_WORDS =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|once|twice|first|second|third";
const HAS_NUMBER = new RegExp(`\\d|\\b(?:${NUMBER_WORDS})\\b`, "i");

// A length of time: "90-minute", "four-day", "forty-one years" (not "the first year").
const CARDINALS =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|a|an|several|few|many|half";
const DURATION = new RegExp(
  `\\b(?:\\d+(?:\\.\\d+)?|(?:${CARDINALS})(?:[- ](?:${CARDINALS}))?)[- ]+(?:second|minute|hour|day|night|week|month|year|decade)s?\\b`,
  "i",
);

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
    case "duration":
      return DURATION.test(sentence) ? 1 : HAS_NUMBER.test(sentence) ? 0.3 : 0;
    case "date":
      if (CALENDAR_DATE.test(sentence)) return 1;
      if (MONTH_OR_YEAR.test(sentence)) return 0.7;
      return LOOSE_DATE.test(sentence) ? 0.4 : 0;
    case "statement":
      // Words in quotation marks are what someone said; a reporting verb may only summarise it.
      if (QUOTATION.test(passage)) return 1;
      return SPEECH_VERB.test(passage) ? 0.6 : 0;
    case "person":
      return PERSON_NAME.test(sentence) ? 1 : 0;
    case "organization":
      return ORGANIZATION_NAME.test(sentence) ? 1 : PROPER_NAME.test(sentence) ? 0.5 : 0;
    case "place":
      return PLACE_NAME.test(sentence) ? 1 : PROPER_NAME.test(sentence) ? 0.5 : 0;
    case "any":
      return 1;
  }
}

// Names, as news copy writes them: capitalised words that do not start the sentence.
const PROPER_NAME = /(?<=[\p{L},;:'"’”)]\s+)\p{Lu}[\p{L}'’-]+/u;
const PERSON_NAME =
  /\b(?:Mr|Mrs|Ms|Dr|Prof|President|Premier|Minister|Chairman|Spokes(?:man|woman|person)|Professor|Sen|Gov)\.?\s+\p{Lu}|(?<=[\p{L},;:'"’”)]\s+)\p{Lu}[\p{L}'’-]+\s+\p{Lu}[\p{L}'’-]+/u;
const ORGANIZATION_NAME =
  /\p{Lu}[\p{L}&.'’-]*\s+(?:\p{Lu}[\p{L}'’-]*\s+)*(?:Times|Post|News|Daily|Herald|Journal|Tribune|Agency|Group|Corp|Corporation|Company|Co|Inc|Ltd|Ministry|University|Institute|Bank|Electronics|Motors|Fans|Network|Broadcasting)\b|\b[A-Z]{2,}\b/u;
const PLACE_NAME =
  /\b(?:in|at|to|from|near|across|outside|inside|visit(?:ed|ing)?)\s+(?:the\s+)?\p{Lu}[\p{L}'’-]+/u;
