/**
 * Rate limits beyond the deadline, against the real bot process and the local endpoint: a 429
 * on the interaction callback whose Retry-After outlasts Discord's 3 s, and 429s on the edit
 * of a deferred reply. The member gets the answer or a late message, never silence, and never
 * two copies: copies are counted among the messages the endpoint holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminUser,
  defaultUser,
  type FakeDiscord,
  type FakeOption,
  type FakeUser,
  type InteractionHandle,
  type RecordedMessage,
} from "../../fake-discord/index.js";
import type { BotProcess } from "../support/bot-process.js";
import { type Stack, startStack } from "../support/stack.js";

const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
const EDIT = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

let fake: FakeDiscord;
let bot: BotProcess;
let stack: Stack | undefined;

beforeAll(async () => {
  stack = await startStack();
  ({ fake, bot } = stack);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

interface Embed {
  description?: string;
  footer?: { text: string };
}
const embedsOf = (m: { embeds?: unknown[] }) => (m.embeds ?? []) as Embed[];
const buttonsOf = (m: RecordedMessage) =>
  (
    (m.components ?? []) as Array<{ components: Array<{ custom_id: string; label: string }> }>
  ).flatMap((row) => row.components);

/** A member whose name no other test uses, to find the late message meant for them. */
const member = (name: string): FakeUser => ({ ...defaultUser(), username: name });

function ask(question: string, user: FakeUser, extra: FakeOption[] = []): InteractionHandle {
  return fake.sendCommand({
    name: "ask",
    user,
    options: [{ name: "question", type: 3, value: question }, ...extra],
  });
}

/** The late message posted in the channel for a member, once there is one. */
async function lateMessageFor(name: string): Promise<RecordedMessage> {
  const find = () =>
    fake.channelMessages.find((m) => m.content?.includes(`Late reply for ${name}`));
  await fake.waitFor(() => find() !== undefined, 10_000, `a late message for ${name}`);
  return find() as RecordedMessage;
}

/** Messages the endpoint holds that show this interaction's answer, however they got there. */
function copies(handle: InteractionHandle, name: string) {
  return fake
    .heldMessages()
    .filter(
      (m) =>
        m.interactionId === handle.id ||
        (m.interactionId === undefined && String(m.api.content).includes(`Late reply for ${name}`)),
    );
}

const requestsOf = (handle: InteractionHandle, method: string, path: RegExp) =>
  fake.requests.filter(
    (r) =>
      r.method === method &&
      path.test(r.path) &&
      (r.path.includes(`/${handle.id}/`) || r.path.includes(`/${handle.token}`)),
  );

describe("a 429 on the interaction callback past Discord's 3 s deadline", () => {
  it("posts the /ask answer in the channel once, saying it is late, and no second copy appears later", async () => {
    fake.failNext({ method: "POST", path: CALLBACK, status: 429, retryAfterSeconds: 5 });
    const name = "late-asker-one";
    const handle = ask("how long was the summit", member(name));
    const late = await lateMessageFor(name);
    expect(late.content?.split("\n")[0]).toBe(
      `⏱ Late reply for ${name}: Discord held back my answer to your /ask, so it is here instead.`,
    );
    expect(embedsOf(late)[0]?.description).toContain("90-minute");
    expect(late.allowed_mentions).toMatchObject({ parse: [] });
    // Past the Retry-After: a retry waiting in discord.js would have answered by now.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(copies(handle, name).map((m) => m.id)).toEqual([late.id]);
    expect(requestsOf(handle, "POST", CALLBACK).map((r) => r.status)).toEqual([429]);
    expect(handle.callbacks).toEqual([]);
  }, 20_000);

  it("keeps the answer's buttons working on the late message", async () => {
    fake.failNext({ method: "POST", path: CALLBACK, status: 429, retryAfterSeconds: 5 });
    const user = member("late-asker-two");
    ask("what date was the lee xi summit", user);
    const late = await lateMessageFor("late-asker-two");
    expect(embedsOf(late)[0]?.footer?.text).toMatch(/passage 1 of [2-5]/);
    const next = buttonsOf(late).find((b) => /Next/.test(b.label));
    if (!next) throw new Error(`no Next button on ${JSON.stringify(late.components)}`);
    const click = fake.clickButton({ customId: next.custom_id, message: late, user });
    const paged = await click.waitForVisibleReply(10_000);
    expect(paged.id).toBe(late.id);
    expect(embedsOf(paged)[0]?.footer?.text).toMatch(/passage 2 of/);
  });

  it("posts a page of an answer as a late message without buttons, and leaves the answer as it was", async () => {
    const name = "late-pager";
    const user = member(name);
    const first = await ask("what date was the lee xi summit", user).waitForVisibleReply(10_000);
    const next = buttonsOf(first).find((b) => /Next/.test(b.label));
    if (!next) throw new Error("no Next button");
    fake.failNext({ method: "POST", path: CALLBACK, status: 429, retryAfterSeconds: 5 });
    const click = fake.clickButton({ customId: next.custom_id, message: first, user });
    const late = await lateMessageFor(name);
    expect(late.content).toContain("answer to your click");
    expect(embedsOf(late)[0]?.footer?.text).toMatch(/passage 2 of/);
    expect(late.components).toEqual([]);
    const held = fake.heldMessages().find((m) => m.id === first.id);
    expect(embedsOf(held?.api ?? {})[0]?.footer?.text).toMatch(/passage 1 of/);
    expect(click.callbacks).toEqual([]);
  });

  it("never posts a private answer in the channel: logs it as not delivered", async () => {
    const posted = fake.channelMessages.length;
    fake.failNext({ method: "POST", path: CALLBACK, status: 429, retryAfterSeconds: 5 });
    const handle = ask("how long was the summit", member("private-asker"), [
      { name: "private", type: 5, value: true },
    ]);
    await bot.waitForLog(
      (l) => l.interaction === handle.id && String(l.msg).startsWith("private reply not delivered"),
      10_000,
    );
    expect(fake.channelMessages.length).toBe(posted);
    expect(fake.heldMessages().filter((m) => m.interactionId === handle.id)).toEqual([]);
  });
});

describe("a 429 on the edit of a deferred reply", () => {
  it("edits /reload's reply in place, once, after a short Retry-After", async () => {
    fake.failNext({ method: "PATCH", path: EDIT, status: 429, retryAfterSeconds: 1 });
    const handle = fake.sendCommand({ name: "reload", user: adminUser() });
    const reply = await handle.waitForVisibleReply(30_000);
    expect(reply.source).toBe("edit");
    expect(reply.content).toMatch(/Reloaded in/);
    expect(requestsOf(handle, "PATCH", EDIT).map((r) => r.status)).toEqual([429, 200]);
    expect(fake.heldMessages().filter((m) => m.interactionId === handle.id)).toHaveLength(1);
  }, 40_000);

  it("gives up an edit whose Retry-After is longer than the wait allowed: a private reply is logged, not posted in the channel", async () => {
    const posted = fake.channelMessages.length;
    fake.failNext({ method: "PATCH", path: EDIT, status: 429, retryAfterSeconds: 60 });
    const handle = fake.sendCommand({ name: "reload", user: adminUser() });
    await bot.waitForLog(
      (l) => l.interaction === handle.id && String(l.msg).startsWith("private reply not delivered"),
      30_000,
    );
    expect(requestsOf(handle, "PATCH", EDIT).map((r) => r.status)).toEqual([429]);
    expect(fake.channelMessages.length).toBe(posted);
    expect(handle.edits).toEqual([]);
  }, 40_000);
});
