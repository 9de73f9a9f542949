/**
 * fitMessage and toMessage: any message, however large, leaves within Discord's limits, with
 * no mentions and no link previews; a message that already fits is left as it was.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitMessage, type MessageParts, toMessage } from "../../src/discord/message.js";
import { limitProblems } from "../support/hostile.js";

const text = (max: number) => fc.string({ unit: "grapheme", maxLength: max, size: "max" });
const embed = fc.record(
  {
    title: text(400),
    description: text(6000),
    url: fc.oneof(
      fc.webUrl(),
      fc.constantFrom("javascript:alert(1)", "ftp://x.example/", "data:text/html,hi"),
    ),
    footer: fc.record({ text: text(2500) }),
    author: fc.record({ name: text(400) }),
    fields: fc.array(fc.record({ name: text(300), value: text(1500) }), { maxLength: 30 }),
  },
  { requiredKeys: [] },
);
const message: fc.Arbitrary<MessageParts> = fc.record(
  { content: text(5000), embeds: fc.array(embed, { maxLength: 14 }) },
  { requiredKeys: [] },
);

describe("fitMessage", () => {
  it("brings any message within Discord's limits", () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(limitProblems(fitMessage(m))).toEqual([]);
      }),
      // Each case is large (up to 14 embeds of thousands of characters): fewer runs suffice.
      { numRuns: 200 },
    );
  });

  it("leaves a message that fits unchanged", () => {
    const small: MessageParts = {
      content: "**Q:** what phone?",
      embeds: [
        {
          title: "Headline",
          url: "https://example.com/a",
          description: "A **passage**.",
          footer: { text: "6 Jan 2026" },
        },
      ],
    };
    expect(fitMessage(small)).toEqual(small);
  });

  it("cuts long content at a word, with an ellipsis", () => {
    const fitted = fitMessage({ content: "word ".repeat(1000) });
    expect(fitted.content?.length).toBeLessThanOrEqual(2000);
    expect(fitted.content).toMatch(/word…$/);
  });

  it("drops citation links that are not http or https", () => {
    const fitted = fitMessage({ embeds: [{ title: "T", url: "javascript:alert(1)" }] });
    expect(fitted.embeds?.[0]).toEqual({ title: "T" });
  });
});

describe("toMessage", () => {
  it("shows a link in plain text, in brackets or in a masked link, as code: neither clickable nor previewed", () => {
    const message = toMessage({
      title: ["see (https://example.com/a) and [x](https://example.com/b)"],
    });
    expect(message.content).toBe(
      "see (`https://example.com/a`) and \\[x\\](`https://example.com/b`)",
    );
  });

  it("parses no mentions, shows them as text, and shows bare links as code", () => {
    const message = toMessage({
      notes: ["@everyone see https://example.com/a and <https://example.com/b>"],
    });
    expect(message.allowedMentions).toEqual({
      parse: [],
      users: [],
      roles: [],
      repliedUser: false,
    });
    expect(message.content).toBe(
      "@\u200beveryone see `https://example.com/a` and <`https://example.com/b`>",
    );
  });
});

describe("rendering a reply", () => {
  const passage = {
    text: "Lee took a selfie. It went viral.",
    highlight: { start: 0, end: 18 },
    citation: {
      outlet: "Test Wire",
      headline: "A *selfie*",
      url: "https://example.com/selfie",
      published: "2026-01-06",
      slug: "selfie",
      paragraph: 2,
      paragraphs: 9,
    },
    position: { index: 0, of: 3 },
  };

  it("escapes plain text, bolds the highlighted sentence and cites the article", () => {
    const message = toMessage({
      title: [{ strong: "Q:" }, " ", "what *did* lee_do?"],
      passages: [passage],
      buttons: [{ id: "ask:k:page:1", label: "Next passage ▶", primary: true }],
    });
    expect(message.content).toBe("**Q:** what \\*did\\* lee\\_do?");
    expect(message.embeds).toEqual([
      {
        author: { name: "Test Wire" },
        title: "A *selfie*",
        url: "https://example.com/selfie",
        description: "**Lee took a selfie.** It went viral.",
        footer: { text: "6 Jan 2026 · paragraph 2 of 9 · passage 1 of 3" },
        color: expect.any(Number),
      },
    ]);
    expect(message.components).toEqual([
      {
        type: 1,
        components: [
          {
            type: 2,
            custom_id: "ask:k:page:1",
            label: "Next passage ▶",
            style: 1,
            disabled: false,
          },
        ],
      },
    ]);
  });

  it("shows code, links, times and blocks as Discord markdown", () => {
    const message = toMessage({
      notes: [
        ["Added (1): ", { code: "a-slug" }],
        ["• ", { link: "Head [1]", url: "https://example.com/h" }],
        ["loaded ", { time: "2026-01-06T00:00:00.000Z", style: "relative" }],
        [{ block: ["seeds/a.md:1: bad", "```"] }],
      ],
    });
    expect(message.content).toBe(
      [
        "Added (1): `a-slug`",
        "• [Head 1](<https://example.com/h>)",
        "loaded <t:1767657600:R>",
        "```\nseeds/a.md:1: bad\n'''\n```",
      ].join("\n"),
    );
  });
});
