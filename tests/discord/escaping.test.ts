/**
 * Every string a user typed that a reply shows goes through one escaping helper
 * (`discord/message.ts`): tried with Markdown, masked links, bare links, mentions and long
 * unbroken strings in every field where user text appears — the question, an outlet name
 * (known or echoed back as unknown) and `/source`'s outlet.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Library } from "../../src/core/library.js";
import { toMessage } from "../../src/discord/message.js";
import type { Invoker, OptionReader } from "../../src/interactions/command.js";
import { Cooldown } from "../../src/interactions/cooldown.js";
import { Dispatcher } from "../../src/interactions/dispatch.js";
import { loadCommands } from "../../src/interactions/registry.js";
import { AnswerSessions } from "../../src/interactions/sessions.js";
import { createLogger } from "../../src/log.js";
import { PROJECT_ROOT } from "../support/bot-process.js";
import { limitProblems } from "../support/hostile.js";

const invoker: Invoker = { id: "111111111111111111", name: "tester", isAdmin: false };
const options = (values: Record<string, string>): OptionReader => ({
  getString: (name) => values[name] ?? null,
  getBoolean: () => null,
});

const HOSTILE = {
  markdown: "**bold** __under__ ~~gone~~ ||spoiler|| `code` > quote # heading",
  "masked link": "[official results](https://evil.example/login) lee selfie",
  "link after a bracket": "selfie phone (https://evil.example/x) lee",
  mentions:
    "<@123456789012345678> <@!123456789012345678> <@&223456789012345678> <#323456789012345678> @everyone @here lee selfie",
  "timestamp and command":
    "<t:1700000000:R> </ask:423456789012345678> <:wave:523456789012345678> lee",
  "long unbroken": `lee${"x".repeat(5990)}`,
};

/** Everything of a message that Discord renders as Markdown. */
function texts(reply: Parameters<typeof toMessage>[0]): string[] {
  const message = toMessage(reply);
  const embeds = (message.embeds ?? []) as Array<{
    description?: string;
    title?: string;
    author?: { name: string };
    footer?: { text: string };
  }>;
  return [
    message.content ?? "",
    ...embeds.flatMap((e) => [
      e.description ?? "",
      e.title ?? "",
      e.author?.name ?? "",
      e.footer?.text ?? "",
    ]),
  ];
}

/** What would make text do more than show itself. */
function liveParts(text: string): string[] {
  const found: string[] = [];
  // A link outside inline code and outside the bot's own [text](<url>) citations.
  const outsideCode = text.replace(/`[^`]*`/g, "").replace(/\]\(<https?:\/\/[^>]+>\)/g, "");
  for (const m of outsideCode.matchAll(/https?:\/\/\S+/g)) found.push(`live link ${m[0]}`);
  for (const m of text.matchAll(/(?<!\\)\[[^\]]*(?<!\\)\]\((?!<https?:)/g))
    found.push(`masked link ${m[0]}`);
  for (const m of text.matchAll(/(?<!\\)<(@[!&]?|#|\/|t:|a?:)[^>]*>/g))
    found.push(`mention or reference ${m[0]}`);
  for (const m of text.matchAll(/@(everyone|here)/g)) found.push(`ping ${m[0]}`);
  for (const m of text.matchAll(/(?<!\\)(\*\*|__|~~|\|\|)/g)) {
    // Our own bold is "**Q:**" and the emphasised sentence; the user's ** are escaped.
    if (!/^\*\*$/.test(m[0])) found.push(`formatting ${m[0]}`);
  }
  return found;
}

let dispatcher: Dispatcher;
beforeAll(async () => {
  dispatcher = new Dispatcher({
    commands: await loadCommands(),
    desk: await Library.open(`${PROJECT_ROOT}/seeds`, "seeds"),
    sessions: new AnswerSessions(),
    cooldown: new Cooldown(Number.MAX_SAFE_INTEGER, 1),
    log: createLogger({ level: "silent" }),
  });
});

describe.each(Object.entries(HOSTILE))("user text with %s", (_kind, text) => {
  const fields: Array<[string, () => Promise<Parameters<typeof toMessage>[0]>]> = [
    [
      "the question",
      () => dispatcher.command("ask", invoker, options({ question: text.slice(0, 300) })),
    ],
    [
      "an unknown outlet echoed by /ask",
      () =>
        dispatcher.command(
          "ask",
          invoker,
          options({ question: "what phone did lee use", outlet: text }),
        ),
    ],
    [
      "an unknown outlet echoed by /source",
      () => dispatcher.command("source", invoker, options({ outlet: text })),
    ],
  ];
  it.each(fields)("in %s is shown as text, within Discord's limits", async (_field, run) => {
    const reply = await run();
    const rendered = texts(reply);
    expect(limitProblems(toMessage(reply))).toEqual([]);
    expect(rendered.flatMap(liveParts)).toEqual([]);
  });
});

describe("the escaping helper", () => {
  it("shows each hostile string as written, and a link as code", () => {
    const [content] = texts({ notes: [HOSTILE["link after a bracket"], HOSTILE.mentions] });
    expect(content).toContain("selfie phone (`https://evil.example/x`) lee");
    expect(content).toContain(
      "\\<@123456789012345678> \\<@!123456789012345678> \\<@&223456789012345678> \\<#323456789012345678> @\u200beveryone @\u200bhere",
    );
    const [masked] = texts({ notes: [HOSTILE["masked link"]] });
    expect(masked).toBe("\\[official results\\](`https://evil.example/login`) lee selfie");
  });

  it("escapes line-start syntax only where a line starts, and every inline marker", () => {
    const [content] = texts({
      notes: [
        "# head\n> quote\n  - item\n12. twelve\nmid-line > # 3. stays\n*a* _b_ ~c~ |d| `e` \\f",
      ],
    });
    expect(content).toBe(
      "\\# head\n\\> quote\n  \\- item\n12\\. twelve\nmid-line > # 3. stays\n\\*a\\* \\_b\\_ \\~c\\~ \\|d\\| \\`e\\` \\\\f",
    );
  });

  it("leaves line-start syntax alone in text that follows other parts of a line", () => {
    const [content] = texts({ notes: [["Served ", { code: "x" }, ". - # > 3. end"]] });
    expect(content).toBe("Served `x`. - # > 3. end");
  });

  it("cuts an echoed outlet name of 6,000 characters to a short one", async () => {
    const reply = await dispatcher.command(
      "ask",
      invoker,
      options({ question: "what phone did lee use", outlet: HOSTILE["long unbroken"] }),
    );
    expect(toMessage(reply).content?.length).toBeLessThan(600);
  });
});
