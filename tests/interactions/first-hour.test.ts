/**
 * The real commands through the dispatcher, as Discord and the console run them: outlets named
 * by any unambiguous part of their name, and closest passages shown as not an answer.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderReply } from "../../src/console/render.js";
import { overriding } from "../../src/core/desk.js";
import { Library } from "../../src/core/library.js";
import { toMessage } from "../../src/discord/message.js";
import type { Invoker, OptionReader } from "../../src/interactions/command.js";
import { Cooldown } from "../../src/interactions/cooldown.js";
import { Dispatcher } from "../../src/interactions/dispatch.js";
import { loadCommands } from "../../src/interactions/registry.js";
import { AnswerSessions } from "../../src/interactions/sessions.js";
import { createLogger } from "../../src/log.js";
import { SEEDS_DIR } from "../support/corpus-folder.js";

const invoker: Invoker = { id: "111111111111111111", name: "tester", isAdmin: false };

function options(values: Record<string, string | boolean>): OptionReader {
  return {
    getString: (name) => (typeof values[name] === "string" ? (values[name] as string) : null),
    getBoolean: (name) => (typeof values[name] === "boolean" ? (values[name] as boolean) : null),
    getInteger: () => null,
  };
}

let dispatcher: Dispatcher;
beforeAll(async () => {
  dispatcher = new Dispatcher({
    commands: await loadCommands(),
    desk: await Library.open(SEEDS_DIR),
    sessions: new AnswerSessions(),
    cooldown: new Cooldown(Number.MAX_SAFE_INTEGER, 1),
    log: createLogger({ level: "silent" }),
  });
});

/** A line's text, with the text of its spans. */
const text = (line: unknown): string =>
  typeof line === "string"
    ? line
    : Array.isArray(line)
      ? line.map((span) => (typeof span === "string" ? span : Object.values(span)[0])).join("")
      : "";

describe("outlet options", () => {
  it("/source and /ask take any unambiguous word of an outlet's name, in any case", async () => {
    for (const typed of ["asiatoday", "ASIA", "asia"]) {
      const reply = await dispatcher.command("source", invoker, options({ outlet: typed }));
      expect(reply.ephemeral).toBeUndefined();
      expect(reply.panel?.groups.map((g) => text(g.heading))).toEqual(["Asiatoday"]);
    }
    const straits = await dispatcher.command(
      "ask",
      invoker,
      options({ question: "what phone did Lee use for the selfie?", outlet: "straits" }),
    );
    expect(straits.passages?.[0]?.citation.outlet).toBe("The Straits Times");
    expect(text(straits.title)).toContain("The Straits Times only");
    const independent = await dispatcher.command(
      "source",
      invoker,
      options({ outlet: "independent" }),
    );
    expect(independent.panel?.groups).toHaveLength(1);
  });

  it("lists the candidates, privately, when the name fits more than one outlet", async () => {
    const reply = await dispatcher.command(
      "ask",
      invoker,
      options({ question: "who took the selfie?", outlet: "the" }),
    );
    expect(reply.ephemeral).toBe(true);
    expect(reply.notes).toEqual([
      '"the" could be The Independent or The Straits Times; type more of the name.',
    ]);
  });

  it("names every outlet when none fits", async () => {
    const reply = await dispatcher.command("source", invoker, options({ outlet: "nosuch" }));
    expect(reply.ephemeral).toBe(true);
    expect(text(reply.notes?.[0])).toMatch(/^There is no outlet called "nosuch".*WorldTribune\.$/);
  });
});

describe("a question the coverage may not answer", () => {
  const question = "what phone did Lee use for the selfie?";
  // Which questions the model is unsure of moves with every fit; the desk here is unsure of
  // every question, with the closest passages the core gives in that case.
  let unsure: Dispatcher;
  beforeAll(async () => {
    const library = await Library.open(SEEDS_DIR);
    unsure = new Dispatcher({
      commands: await loadCommands(),
      desk: overriding(library, {
        answer: async (q, o) => {
          const answer = await library.answer(q, o);
          return {
            ...answer,
            answered: false,
            reason: "unsure",
            results: answer.results.slice(0, 3),
          };
        },
      }),
      sessions: new AnswerSessions(),
      cooldown: new Cooldown(Number.MAX_SAFE_INTEGER, 1),
      log: createLogger({ level: "silent" }),
    });
  });

  it("shows at most 3 closest passages, marked as not a confident answer, on Discord", async () => {
    const reply = await unsure.command("ask", invoker, options({ question }));
    expect(reply.tentative).toBe(true);
    expect(reply.buttons).toBeUndefined();
    expect(reply.passages?.length).toBeGreaterThan(0);
    expect(reply.passages?.length).toBeLessThanOrEqual(3);
    const message = toMessage(reply);
    expect(message.content).toContain("they are not a confident answer");
    for (const embed of message.embeds ?? []) {
      const footer = "toJSON" in embed ? embed.toJSON().footer : embed.footer;
      expect(footer?.text).toMatch(/^⚠ Closest passage, not a confident answer · /);
    }
  });

  it("marks each of them in the console too", async () => {
    const reply = await unsure.command("ask", invoker, options({ question }));
    const shown = renderReply(reply, { colour: false });
    expect(shown).toContain("they are not a confident answer");
    const marks = shown.match(/\(closest passage, not a confident answer\)/g) ?? [];
    expect(marks.length).toBe(reply.passages?.length);
  });

  it("declines with the nearest article and the coverage line when nothing comes close", async () => {
    const reply = await dispatcher.command(
      "ask",
      invoker,
      options({ question: "how tall is Xi?" }),
    );
    const note = text(reply.notes?.[0]);
    expect(reply.passages ?? []).toEqual([]);
    expect(note).toContain("The closest the articles come is");
    expect(note).toContain("The coverage is 5 articles from 5 outlets");
    expect(note).toMatch(/\/source lists every article\.$/);
  });
});
