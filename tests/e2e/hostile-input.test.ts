/**
 * Hostile and odd input, thousands of cases, through the real bot process and the local
 * endpoint (which rejects anything real Discord would reject). The bot never fails to answer,
 * every reply is accepted, no reply can ping, and problems are named to the user.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultUser, type FakeDiscord, type RecordedMessage } from "../../fake-discord/index.js";
import type { BotProcess } from "../support/bot-process.js";
import { hostileCustomId, hostileQuestion, limitProblems } from "../support/hostile.js";
import { type Stack, startStack } from "../support/stack.js";

const EPHEMERAL = 1 << 6;
const NO_MENTIONS = { parse: [], users: [], roles: [], replied_user: false };
let token: string;
let fake: FakeDiscord;
let bot: BotProcess;
let stack: Stack | undefined;
let asked: RecordedMessage | undefined;

beforeAll(async () => {
  stack = await startStack();
  ({ fake, bot, token } = stack);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

function checkAccepted(message: RecordedMessage): void {
  expect(limitProblems(message)).toEqual([]);
  expect(message.allowed_mentions).toEqual(NO_MENTIONS);
}

describe("hostile input through the real bot", () => {
  it("answers every hostile question: accepted by Discord's rules, no pings, problems named", async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuestion, async (question) => {
        const handle = fake.sendCommand({
          name: "ask",
          user: defaultUser(),
          options: [{ name: "question", type: 3, value: question }],
        });
        const reply = await handle.waitForVisibleReply(5000);
        expect(handle.rejections).toEqual([]);
        checkAccepted(reply);
        if ((reply.flags ?? 0) & EPHEMERAL) {
          expect(reply.content).toMatch(/^(Please type a question|That question is too long)/);
        } else if ((reply.embeds ?? []).length > 0) {
          asked ??= reply;
        } else {
          expect(reply.content).toMatch(
            /couldn't find a confident answer|none of them states what you asked|I'm not sure|has no words I can search for/,
          );
        }
      }),
      { numRuns: 2000 },
    );
  }, 180_000);

  it("answers every tampered button with a clear private message", async () => {
    const message = asked ?? (await fake.sendCommand({ name: "source" }).waitForVisibleReply());
    await fc.assert(
      fc.asyncProperty(hostileCustomId, async (customId) => {
        const handle = fake.clickButton({
          customId,
          message,
          user: defaultUser(),
          allowMissingComponent: true,
        });
        const reply = await handle.waitForVisibleReply(5000);
        expect(handle.rejections).toEqual([]);
        checkAccepted(reply);
        expect(reply.flags).toBe(EPHEMERAL);
        expect(reply.content).toMatch(/^(That button doesn't belong|This answer has expired)/);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it("answers every autocomplete, for any typed text and any option name", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileQuestion,
        fc.constantFrom("question", "outlet", "colour", ""),
        async (typed, option) => {
          const handle = fake.sendAutocomplete({
            name: "ask",
            user: defaultUser(),
            options: [{ name: option, type: 3, value: typed, focused: true }],
          });
          const response = await handle.waitForResponse(5000);
          expect(response.accepted).toBe(true);
          expect(response.body.type).toBe(8);
        },
      ),
      { numRuns: 1000 },
    );
  }, 120_000);

  it("is still up, logged no unexpected error, and never wrote its token", async () => {
    const reply = await fake
      .sendCommand({
        name: "ask",
        options: [{ name: "question", type: 3, value: "how long was the summit" }],
      })
      .waitForVisibleReply();
    expect(JSON.stringify(reply.embeds)).toContain("90-minute");
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(bot.output).not.toContain(token);
  });
});
