/**
 * End to end: the real bot process, started as `npm start` starts it, against the local
 * Discord-compatible endpoint, driven by interactions as Discord would send them.
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminUser,
  defaultUser,
  type FakeDiscord,
  type FakeOption,
  type FakeUser,
  type RecordedMessage,
} from "../../fake-discord/index.js";
import type { BotProcess } from "../support/bot-process.js";
import { type Stack, startStack } from "../support/stack.js";

const EPHEMERAL = 1 << 6;
let token: string;
let fake: FakeDiscord;
let bot: BotProcess;
let seedsDir: string;
let stack: Stack | undefined;

interface Embed {
  author?: { name: string };
  title?: string;
  url?: string;
  description?: string;
  footer?: { text: string };
}
interface Button {
  custom_id: string;
  label: string;
  disabled?: boolean;
}

const embedsOf = (m: RecordedMessage) => (m.embeds ?? []) as Embed[];
const buttonsOf = (m: RecordedMessage) =>
  ((m.components ?? []) as Array<{ components: Button[] }>).flatMap((row) => row.components);
const button = (m: RecordedMessage, label: RegExp) => {
  const found = buttonsOf(m).find((b) => label.test(b.label));
  if (!found) throw new Error(`no button ${label} in ${JSON.stringify(m.components)}`);
  return found;
};

function option(name: string, value: string | boolean, focused = false): FakeOption {
  return { name, type: typeof value === "boolean" ? 5 : 3, value, ...(focused && { focused }) };
}

async function command(
  name: string,
  options: FakeOption[] = [],
  user: FakeUser = defaultUser(),
): Promise<RecordedMessage> {
  return fake.sendCommand({ name, options, user }).waitForVisibleReply(10_000);
}

const ask = (question: string, user?: FakeUser, extra: FakeOption[] = []) =>
  command("ask", [option("question", question), ...extra], user);

async function click(message: RecordedMessage, customId: string, user: FakeUser) {
  const handle = fake.clickButton({ customId, message, user });
  return { handle, reply: await handle.waitForVisibleReply(10_000) };
}

const ARTICLE_WITH_MENTIONS = `---
outlet: "Test Wire"
headline: "Harbour festival draws record crowds"
url: "https://example.com/harbour-festival"
published: "2026-01-09"
---
The harbour festival drew a record crowd of 80,000 people, @everyone was invited, and <@123456789012345678> and @here handed out lanterns.
`;

beforeAll(async () => {
  stack = await startStack({
    env: { LOG_LEVEL: "debug" },
    prepare: (dir) =>
      writeFile(path.join(dir, "test-wire-harbour-festival.md"), ARTICLE_WITH_MENTIONS),
  });
  ({ fake, bot, seedsDir, token } = stack);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("/ask", () => {
  it("answers directly with the passage, its outlet, headline, link and date", async () => {
    const reply = await ask("what phone did lee use to take the selfie with xi");
    expect(reply.source).toBe("callback");
    const [embed] = embedsOf(reply);
    expect(embed?.description).toMatch(/\*\*[^*]*Xiaomi[^*]*\*\*/);
    expect(embed?.author?.name).toMatch(
      /WorldTribune|The Straits Times|allthe\.news|The Independent|Asiatoday/,
    );
    expect(embed?.url).toMatch(/^https:\/\//);
    expect(embed?.title?.length).toBeGreaterThan(10);
    expect(embed?.footer?.text).toMatch(/2026|date not given/);
    expect(reply.content).toContain("what phone did lee use");
    expect(reply.flags ?? 0).toBe(0);
  });

  it("says in one line that the coverage does not answer a question it cannot, with no passage", async () => {
    const reply = await ask("how tall is Xi Jinping?");
    expect(reply.embeds ?? []).toHaveLength(0);
    expect(reply.content).toMatch(/none of them states what you asked/);
    expect(reply.content).toContain("/source");
  });

  it("refuses an empty question privately", async () => {
    const reply = await ask("   ");
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toBe("Please type a question — it was empty.");
  });

  it("refuses a question over 300 characters privately", async () => {
    const reply = await ask("why ".repeat(100));
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/too long/);
  });

  it("answers privately when asked to", async () => {
    const reply = await ask("how many agreements did the two countries sign", defaultUser(), [
      option("private", true),
    ]);
    expect(reply.flags).toBe(EPHEMERAL);
    expect(embedsOf(reply)[0]?.description).toMatch(/agreements/);
  });

  it("answers from one outlet when the outlet option is given, and names unknown outlets", async () => {
    const reply = await ask("what did xi say", defaultUser(), [option("outlet", "Asiatoday")]);
    expect(embedsOf(reply)[0]?.author?.name).toBe("Asiatoday");
    const unknown = await ask("what did xi say", defaultUser(), [option("outlet", "Daily Planet")]);
    expect(unknown.flags).toBe(EPHEMERAL);
    expect(unknown.content).toMatch(/no outlet called "Daily Planet".*Asiatoday/s);
  });

  it("never pings, even when the passage and the question contain mentions", async () => {
    const reply = await ask(
      "how many people came to the harbour festival @everyone <@123456789012345678>",
    );
    // Shown as text: @everyone broken by a zero-width space, the mention escaped.
    expect(embedsOf(reply)[0]?.description).toContain("@\u200beveryone");
    expect(embedsOf(reply)[0]?.description).toContain("\\<@123456789012345678>");
    for (const message of fake.interactions.flatMap((i) => [
      ...i.callbacks.map((c) => c.body.data),
      ...i.edits,
      ...i.followUps,
    ])) {
      if (!message || "choices" in message) continue;
      expect(message.allowed_mentions).toEqual({
        parse: [],
        users: [],
        roles: [],
        replied_user: false,
      });
    }
  });
});

describe("/ask buttons", () => {
  it("pages through the next passages in place", async () => {
    const user = defaultUser();
    const first = await ask("what date was the lee xi summit", user);
    expect(embedsOf(first)[0]?.footer?.text).toMatch(/passage 1 of [2-5]/);
    const { reply: second } = await click(first, button(first, /Next/).custom_id, user);
    expect(second.source).toBe("callback");
    expect(embedsOf(second)[0]?.footer?.text).toMatch(/passage 2 of/);
    expect(embedsOf(second)[0]?.description).not.toBe(embedsOf(first)[0]?.description);
    const { reply: back } = await click(second, button(second, /Previous/).custom_id, user);
    expect(embedsOf(back)[0]?.description).toBe(embedsOf(first)[0]?.description);
  });

  it("shows the best passage of each other outlet that covers the question", async () => {
    const user = defaultUser();
    const first = await ask("what phone did lee use to take the selfie", user);
    const shownOutlet = embedsOf(first)[0]?.author?.name;
    const { reply } = await click(first, button(first, /Other outlets/).custom_id, user);
    const outlets = embedsOf(reply).map((e) => e.author?.name);
    expect(outlets.length).toBeGreaterThanOrEqual(2);
    expect(outlets).not.toContain(shownOutlet);
    expect(new Set(outlets).size).toBe(outlets.length);
    expect(outlets).not.toContain("Test Wire");
  });

  it("gives someone else who clicks their own private copy and leaves the asker's message alone", async () => {
    const first = await ask("how big was lee's business delegation", defaultUser());
    const { handle, reply } = await click(
      first,
      button(first, /Other outlets/).custom_id,
      defaultUser(),
    );
    expect(handle.callbacks[0]?.body.type).toBe(4);
    expect(reply.flags).toBe(EPHEMERAL);
  });

  it("says so when a button's answer has expired or its id was tampered with", async () => {
    const user = defaultUser();
    const first = await ask("what was xi's ice proverb", user);
    const expired = fake.clickButton({
      customId: "ask:AAAAAAAA:page:1",
      message: first,
      user,
      allowMissingComponent: true,
    });
    expect((await expired.waitForVisibleReply()).content).toMatch(/expired/);
    const tampered = fake.clickButton({
      customId: "ask:x:page:-1';drop",
      message: first,
      user,
      allowMissingComponent: true,
    });
    const reply = await tampered.waitForVisibleReply();
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/doesn't belong to an answer/);
  });
});

describe("autocomplete", () => {
  it("suggests completions of the question from the corpus, within Discord's limits", async () => {
    const handle = fake.sendAutocomplete({
      name: "ask",
      options: [option("question", "what did xi gift le", true)],
    });
    const response = await handle.waitForResponse();
    const choices = response.body.data?.choices ?? [];
    expect(response.body.type).toBe(8);
    expect(choices.length).toBeGreaterThan(1);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]?.value).toBe("what did xi gift le");
    expect(choices.map((c) => c.name)).toContain("what did xi gift Lee");
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
  });

  it("offers the corpus's outlets for the outlet option", async () => {
    const handle = fake.sendAutocomplete({
      name: "ask",
      options: [option("question", "phone"), option("outlet", "times", true)],
    });
    const choices = (await handle.waitForResponse()).body.data?.choices ?? [];
    expect(choices.map((c) => c.value)).toEqual(["The Straits Times"]);
  });
});

describe("/source", () => {
  it("lists the outlets with their articles linked, dates, paragraph counts and when the index was loaded", async () => {
    const reply = await command("source");
    const description = embedsOf(reply)[0]?.description ?? "";
    for (const outlet of [
      "The Straits Times",
      "allthe.news",
      "WorldTribune",
      "The Independent",
      "Asiatoday",
    ]) {
      expect(description).toContain(`**${outlet}**`);
    }
    expect(description).toMatch(/\]\(https:\/\/www\.straitstimes\.com\/[^)]+\)/);
    expect(description).toMatch(/6 Jan 2026 · 17 ¶/);
    expect(description).toMatch(/Index loaded <t:\d+:F>/);
  });
});

describe("/reload", () => {
  it("is registered hidden from members without Manage Server", async () => {
    const { default: reload } = await import("../../commands/reload.js");
    expect(reload.data.default_member_permissions).toBe(String(1 << 5));
  });

  it("is not delivered from a member without Manage Server, as Discord enforces the registration", () => {
    expect(() => fake.sendCommand({ name: "reload", user: defaultUser() })).toThrow(
      /Discord would not deliver \/reload .*lacks default_member_permissions 32/,
    );
  });

  it("refuses a member without Manage Server whom server settings let use it, logs who tried, and changes nothing", async () => {
    const user = defaultUser();
    // A server admin allowed this member under Integrations; the bot still checks.
    fake.setCommandPermissions(fake.guildId, "reload", [
      { id: user.id, type: 2, permission: true },
    ]);
    const reply = await command("reload", [], user);
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/Only server admins/);
    await bot.waitForLog((l) => l.msg === "reload refused: not an admin" && l.user === user.id);
    expect(bot.logs.some((l) => l.msg === "reload requested")).toBe(false);
  });

  it("reloads for an admin: a new article's answer appears", async () => {
    const before = await ask("what colour were the lanterns at the night market");
    expect(before.content).toMatch(/couldn't find/);
    await writeFile(
      path.join(seedsDir, "test-wire-night-market.md"),
      `---\noutlet: "Test Wire"\nheadline: "Night market lights up the old port"\nurl: "https://example.com/night-market"\n---\nAt the night market the lanterns were crimson and gold, and the stalls stayed open until dawn.\n`,
    );
    const report = await command("reload", [], adminUser());
    expect(report.flags).toBe(EPHEMERAL);
    expect(report.content).toMatch(/Reloaded in \d+ ms/);
    expect(report.content).toContain("Added (1): `test-wire-night-market`");
    const after = await ask("what colour were the lanterns at the night market");
    expect(embedsOf(after)[0]?.description).toMatch(/crimson and gold/);
  });

  it("reports every problem of a broken file by file and line, and keeps the old index serving", async () => {
    const broken = path.join(seedsDir, "broken.md");
    await writeFile(
      broken,
      `---\noutlet: "Test Wire"\nurl: "javascript:alert(1)"\n---\nSome text.\n`,
    );
    try {
      const report = await command("reload", [], adminUser());
      expect(report.content).toMatch(
        /Reload failed: 2 problems\. Nothing changed — the previous index is still serving\./,
      );
      expect(report.content).toContain(
        "seeds/broken.md:3: url must be an http:// or https:// link to the article",
      );
      expect(report.content).toContain('seeds/broken.md:1: missing required key "headline"');
      const answer = await ask("what colour were the lanterns at the night market");
      expect(embedsOf(answer)[0]?.description).toMatch(/crimson and gold/);
    } finally {
      await rm(broken);
    }
  });
});

describe("gateway faults", () => {
  it("resumes after the gateway closes, and answers interactions sent during the outage", async () => {
    const resumes = fake.stats.resumes;
    fake.closeGateway(4000);
    const during = fake.sendCommand({
      name: "ask",
      options: [option("question", "how long was the summit")],
    });
    await fake.waitFor(() => fake.stats.resumes > resumes, 10_000, "a resume");
    expect(embedsOf(await during.waitForVisibleReply(10_000))[0]?.description).toMatch(/90-minute/);
    const after = await ask("how many agreements did the two countries sign");
    expect(embedsOf(after)[0]?.description).toMatch(/15 agreements/);
  });
});

describe("secrets", () => {
  it("never writes the token to its output", () => {
    expect(bot.output.length).toBeGreaterThan(0);
    expect(bot.output).not.toContain(token);
  });
});
