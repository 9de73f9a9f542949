/**
 * fitReply and toMessage: any reply, however large, leaves within Discord's limits, with no
 * mentions and no link previews; a reply that already fits is left as it was.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toMessage } from "../../src/discord/respond.js";
import type { Reply } from "../../src/interactions/command.js";
import { fitReply } from "../../src/interactions/limits.js";
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
const reply: fc.Arbitrary<Reply> = fc.record(
  { content: text(5000), embeds: fc.array(embed, { maxLength: 14 }), ephemeral: fc.boolean() },
  { requiredKeys: [] },
);

describe("fitReply", () => {
  it("brings any reply within Discord's limits", () => {
    fc.assert(
      fc.property(reply, (r) => {
        expect(limitProblems(fitReply(r))).toEqual([]);
      }),
      // Each case is large (up to 14 embeds of thousands of characters): fewer runs suffice.
      { numRuns: 200 },
    );
  });

  it("leaves a reply that fits unchanged", () => {
    const small: Reply = {
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
    expect(fitReply(small)).toEqual(small);
  });

  it("cuts long content at a word, with an ellipsis", () => {
    const fitted = fitReply({ content: "word ".repeat(1000) });
    expect(fitted.content?.length).toBeLessThanOrEqual(2000);
    expect(fitted.content).toMatch(/word…$/);
  });

  it("drops citation links that are not http or https", () => {
    const fitted = fitReply({ embeds: [{ title: "T", url: "javascript:alert(1)" }] });
    expect(fitted.embeds?.[0]).toEqual({ title: "T" });
  });
});

describe("toMessage", () => {
  it("parses no mentions and suppresses previews of bare links in the text", () => {
    const message = toMessage({
      content: "@everyone see https://example.com/a and <https://example.com/b>",
    });
    expect(message.allowedMentions).toEqual({
      parse: [],
      users: [],
      roles: [],
      repliedUser: false,
    });
    expect(message.content).toBe(
      "@everyone see <https://example.com/a> and <https://example.com/b>",
    );
  });
});
