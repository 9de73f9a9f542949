/**
 * The dispatcher with the real commands and the real core, in process: thousands of hostile
 * inputs never make it throw, every reply fits Discord's limits and mentions no one, and
 * every problem is named to the user. Plus the two error tiers.
 */
import { Writable } from "node:stream";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Library } from "../../src/core/library.js";
import { toMessage } from "../../src/discord/message.js";
import {
  type Command,
  type Invoker,
  type OptionReader,
  UserError,
} from "../../src/interactions/command.js";
import { Cooldown } from "../../src/interactions/cooldown.js";
import { APOLOGY, Dispatcher } from "../../src/interactions/dispatch.js";
import { loadCommands } from "../../src/interactions/registry.js";
import { AnswerSessions } from "../../src/interactions/sessions.js";
import { createLogger } from "../../src/log.js";
import { PROJECT_ROOT } from "../support/bot-process.js";
import { hostileCustomId, hostileQuestion, limitProblems } from "../support/hostile.js";

const invoker: Invoker = { id: "111111111111111111", name: "tester", isAdmin: false };

function options(values: Record<string, string | boolean>): OptionReader {
  return {
    getString: (name) => (typeof values[name] === "string" ? (values[name] as string) : null),
    getBoolean: (name) => (typeof values[name] === "boolean" ? (values[name] as boolean) : null),
    getInteger: () => null,
  };
}

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n"))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ level: "info", destination }) };
}

// Every message a user can see for a problem: a named reason, never a stack trace.
const PROBLEM_MESSAGES = [
  /^Please type a question — it was empty\.$/,
  /^That question is too long: please keep it to 300 characters\.$/,
  /^There is no outlet called /,
  /^That button doesn't belong to /,
  /^This answer has expired /,
];

let library: Library;
let dispatcher: Dispatcher;

beforeAll(async () => {
  library = await Library.open(`${PROJECT_ROOT}/seeds`, "seeds");
  dispatcher = new Dispatcher({
    commands: await loadCommands(),
    desk: library,
    sessions: new AnswerSessions(),
    cooldown: new Cooldown(Number.MAX_SAFE_INTEGER, 1),
    log: createLogger({ level: "silent" }),
  });
});

describe("hostile questions", () => {
  it("never throw; every reply fits Discord's limits, mentions no one, and names any problem", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileQuestion,
        fc.option(fc.constantFrom("Asiatoday", "Nope", "")),
        async (question, outlet) => {
          const reply = await dispatcher.command(
            "ask",
            invoker,
            options(outlet === null ? { question } : { question, outlet }),
          );
          const message = toMessage(reply);
          expect(limitProblems(message)).toEqual([]);
          expect(message.allowedMentions).toEqual({
            parse: [],
            users: [],
            roles: [],
            repliedUser: false,
          });
          if (reply.ephemeral) {
            expect(PROBLEM_MESSAGES.some((p) => p.test(message.content ?? ""))).toBe(true);
          } else {
            expect(message.content).toMatch(
              /^\*\*Q:\*\*|couldn't find a confident answer|none of them states what you asked|I'm not sure|has no words I can search for/,
            );
          }
          // A link in the text is shown as code: never clickable, never a preview card.
          expect((message.content ?? "").replace(/`[^`]*`/g, "")).not.toMatch(/https?:\/\//);
        },
      ),
      { numRuns: 2500 },
    );
  }, 120_000);

  it("never throw on tampered button ids or odd autocomplete input", async () => {
    await fc.assert(
      fc.asyncProperty(hostileCustomId, hostileQuestion, async (customId, typed) => {
        const outcome = await dispatcher.button(customId, invoker, "222222222222222222");
        const reply = "update" in outcome ? outcome.update : outcome.reply;
        expect(limitProblems(toMessage(reply))).toEqual([]);
        const choices = await dispatcher.autocomplete("ask", invoker, {
          name: "question",
          value: typed,
        });
        expect(choices.length).toBeLessThanOrEqual(25);
        for (const c of choices) expect(c.name.length).toBeGreaterThan(0);
        for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
      }),
      { numRuns: 1500 },
    );
  }, 120_000);
});

describe("privacy", () => {
  it("is decided once from the options, and the reply carries the decision", async () => {
    const asked = { question: "what phone did Lee use for the selfie", private: true };
    expect(dispatcher.isPrivate("ask", options(asked))).toBe(true);
    expect(dispatcher.isPrivate("ask", options({ question: asked.question }))).toBe(false);
    expect((await dispatcher.command("ask", invoker, options(asked))).ephemeral).toBe(true);
    expect(
      (await dispatcher.command("ask", invoker, options({ question: asked.question }))).ephemeral,
    ).toBeUndefined();
  });
});

describe("error tiers", () => {
  const throwing = (error: unknown): Command => ({
    data: { name: "boom", description: "fails" },
    execute: async () => {
      throw error;
    },
  });

  it("shows a user error's message privately and logs it as a refusal, not an error", async () => {
    const { lines, log } = capture();
    const d = new Dispatcher({
      commands: new Map([["boom", throwing(new UserError("nope", "You can't do that here."))]]),
      desk: library,
      sessions: new AnswerSessions(),
      cooldown: new Cooldown(5, 1000),
      log,
    });
    expect(await d.command("boom", invoker, options({}))).toEqual({
      notes: ["You can't do that here."],
      ephemeral: true,
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: "refused", command: "/boom", problem: "nope" }),
    ]);
  });

  it("apologises privately for an unexpected error and logs it with the command's name", async () => {
    const { lines, log } = capture();
    const d = new Dispatcher({
      commands: new Map([["boom", throwing(new TypeError("cannot read properties of undefined"))]]),
      desk: library,
      sessions: new AnswerSessions(),
      cooldown: new Cooldown(5, 1000),
      log,
    });
    expect(await d.command("boom", invoker, options({}))).toEqual({
      notes: [APOLOGY],
      ephemeral: true,
    });
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: "command failed",
      command: "/boom",
      user: invoker.id,
    });
    expect(JSON.stringify(lines[0])).toContain("cannot read properties of undefined");
    expect(await d.command("boom", invoker, options({}))).toEqual({
      notes: [APOLOGY],
      ephemeral: true,
    });
  });

  it("apologises for a rejected promise that is not an Error", async () => {
    const { log } = capture();
    const d = new Dispatcher({
      commands: new Map([["boom", throwing("a string")]]),
      desk: library,
      sessions: new AnswerSessions(),
      cooldown: new Cooldown(5, 1000),
      log,
    });
    expect((await d.command("boom", invoker, options({}))).notes).toEqual([APOLOGY]);
  });
});
