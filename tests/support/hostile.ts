/**
 * Generators of hostile and odd input for property tests, and an independent check of
 * Discord's message limits (written from Discord's documentation, not from the bot's code).
 */
import fc from "fast-check";

const PIECES = [
  "@everyone",
  "@here",
  "<@123456789012345678>",
  "<@!123456789012345678>",
  "<@&234567890123456789>",
  "<#345678901234567890>",
  "```js\nalert(1)\n```",
  "**bold**",
  "__under__",
  "||spoiler||",
  "# heading",
  "> quote",
  "[link](https://evil.example/phish)",
  "https://evil.example/x?y=1",
  "javascript:alert(1)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal "${" is the point here
  ".*+?^${}()|[]\\",
  "(?<x>a)\\1",
  "the of and to what did",
  "\u200b\u200c\u200d\u2060\ufeff",
  "\u202e\u2066\u2067",
  "e\u0301\u0301\u0301",
  "👩‍👩‍👧🇰🇷🤳",
  "이재명 시진핑 셀카",
  "习近平 李在明 小米",
  "xiaomi",
  "selfie",
  "how many",
  "when did",
  "\t\n\r",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: format placeholders, on purpose
  "%s %d {0} ${x}",
  "<script>alert(1)</script>",
];

/** Questions as anything a user (or a client that ignores the schema) could send. */
export const hostileQuestion: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 320, size: "max" }),
  fc.string({ unit: "binary", maxLength: 320, size: "large" }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(" ")),
  fc
    .tuple(fc.constantFrom(...PIECES), fc.string({ unit: "grapheme-composite", maxLength: 40 }))
    .map(([a, b]) => `${a} ${b}`),
  fc.constantFrom(
    "",
    " ",
    "a",
    "?",
    "x".repeat(299),
    "x".repeat(300),
    "x".repeat(301),
    "word ".repeat(400),
  ),
);

/** Button custom ids, valid-looking or not. */
export const hostileCustomId: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 100 }),
  fc
    .tuple(
      fc.constantFrom("ask", "source", "reload", "nope", ""),
      fc.string({ maxLength: 20 }),
      fc.constantFrom("page", "outlets", "next", ""),
      fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.string({ maxLength: 5 })),
    )
    .map((parts) => parts.join(":").slice(0, 100))
    .filter((id) => id.length > 0),
);

interface EmbedLike {
  title?: string;
  description?: string;
  url?: string;
  footer?: { text: string };
  author?: { name: string };
  fields?: Array<{ name: string; value: string }>;
}

/** Problems with a message payload against Discord's limits; empty when it would be accepted. */
export function limitProblems(message: {
  content?: string | null;
  embeds?: readonly unknown[];
}): string[] {
  const problems: string[] = [];
  const chars = (s: string | undefined) => [...(s ?? "")].length;
  if (chars(message.content ?? "") > 2000) problems.push("content over 2000");
  const embeds = (message.embeds ?? []) as EmbedLike[];
  if (embeds.length > 10) problems.push("more than 10 embeds");
  let total = 0;
  for (const e of embeds) {
    if (chars(e.title) > 256) problems.push("title over 256");
    if (chars(e.description) > 4096) problems.push("description over 4096");
    if (chars(e.footer?.text) > 2048) problems.push("footer over 2048");
    if (chars(e.author?.name) > 256) problems.push("author over 256");
    if ((e.fields ?? []).length > 25) problems.push("more than 25 fields");
    if (e.url !== undefined && !/^https?:\/\//.test(e.url)) problems.push(`non-http url ${e.url}`);
    total += chars(e.title) + chars(e.description) + chars(e.footer?.text) + chars(e.author?.name);
    for (const f of e.fields ?? []) {
      if (chars(f.name) > 256 || chars(f.value) > 1024) problems.push("field over limit");
      total += chars(f.name) + chars(f.value);
    }
  }
  if (total > 6000) problems.push("embeds over 6000 in total");
  return problems;
}
