/**
 * End to end: `/add-article` through the real bot process against the local Discord-compatible
 * endpoint, reading pages from a local page server on 127.0.0.1 (allowed by the test setting
 * ADD_ARTICLE_ALLOW_LOOPBACK), writing into a temporary copy of seeds/; and the same command in
 * the local console.
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
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
import { type BotProcess, copySeeds, startBot } from "../support/bot-process.js";
import { type PageServer, startPageServer } from "../support/page-server.js";
import { type Stack, startStack } from "../support/stack.js";

const EPHEMERAL = 1 << 6;
const MANAGE_GUILD = String(1 << 5);
const REPLY_TIMEOUT_MS = 60_000;
let stack: Stack | undefined;
let fake: FakeDiscord;
let bot: BotProcess;
let seedsDir: string;
let pages: PageServer;

const HARBOUR = "/pages/harbour-post-fisheries-pact.html";
const HARBOUR_SLUG = "norland-and-estmark-sign-fisheries-pact-after-night-of-talks";
const COD_QUESTION = "How many tonnes of cod does the fisheries pact allow?";

interface Embed {
  author?: { name: string };
  title?: string;
  url?: string;
  description?: string;
}
const embedsOf = (m: RecordedMessage) => (m.embeds ?? []) as Embed[];

function addArticle(link: string, user: FakeUser = adminUser(), replace?: boolean) {
  const options: FakeOption[] = [{ name: "url", type: 3, value: link }];
  if (replace !== undefined) options.push({ name: "replace", type: 5, value: replace });
  return fake.sendCommand({ name: "add-article", options, user });
}

/** Asks as a new member each time, so that the per-user limit on /ask never answers instead. */
const ask = (question: string) =>
  fake
    .sendCommand({
      name: "ask",
      options: [{ name: "question", type: 3, value: question }],
      user: defaultUser(),
    })
    .waitForVisibleReply(10_000);

/** Every file of a folder (dot-files too) and its bytes, to show that nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  const entries = await Promise.all(
    names.map(async (n) => [n, (await readFile(path.join(dir, n))).toString("base64")] as const),
  );
  return Object.fromEntries(entries);
}

/** What an answer shows, to compare before and after. */
const shown = (m: RecordedMessage) => ({ content: m.content, embeds: m.embeds });

beforeAll(async () => {
  pages = await startPageServer();
  stack = await startStack({ env: { ADD_ARTICLE_ALLOW_LOOPBACK: "true", LOG_LEVEL: "debug" } });
  ({ fake, bot, seedsDir } = stack);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await pages?.close();
});

describe("/add-article", () => {
  it("is registered for Manage Server only, in servers only, with a required url", async () => {
    const { default: command } = await import("../../commands/add-article.js");
    expect(command.data.default_member_permissions).toBe(MANAGE_GUILD);
    expect(command.data.contexts).toEqual([0]);
    expect(command.data.options?.[0]).toMatchObject({ name: "url", type: 3, required: true });
  });

  it("is not delivered from a member without Manage Server, as Discord enforces the registration", () => {
    expect(() => addArticle(`${pages.origin}${HARBOUR}`, defaultUser())).toThrow(
      /Discord would not deliver \/add-article .*lacks default_member_permissions 32/,
    );
  });

  it("refuses a member without Manage Server whom server settings let use it, logs who tried, and fetches nothing", async () => {
    const user = defaultUser();
    // A server admin allowed this member under Integrations; the bot still checks.
    fake.setCommandPermissions(fake.guildId, "add-article", [
      { id: user.id, type: 2, permission: true },
    ]);
    const requests = pages.requests.length;
    const files = await snapshot(seedsDir);
    const reply = await addArticle(`${pages.origin}${HARBOUR}`, user).waitForVisibleReply(
      REPLY_TIMEOUT_MS,
    );
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toBe(
      "Only server admins (with Manage Server) can add articles. Nothing was changed.",
    );
    await bot.waitForLog(
      (l) => l.msg === "add-article refused: not an admin" && l.user === user.id,
    );
    expect(pages.requests.length).toBe(requests);
    expect(await snapshot(seedsDir)).toEqual(files);
  });

  const failures: Array<[string, string, string]> = [
    ["a 404", "/nope", "404 Not Found"],
    ["a page that is not HTML", "/report.pdf", "application/pdf"],
    [
      "a page whose article fails validation",
      "/overlong-headline",
      "headline is longer than 300 characters",
    ],
  ];
  for (const [what, route, reason] of failures) {
    it(`refuses ${what} privately with the reason; seeds/ stays byte-identical and the answers unchanged`, async () => {
      const files = await snapshot(seedsDir);
      const before = await ask(COD_QUESTION);
      const reply = await addArticle(`${pages.origin}${route}`).waitForVisibleReply(
        REPLY_TIMEOUT_MS,
      );
      expect(reply.flags).toBe(EPHEMERAL);
      expect(reply.content).toMatch(/^Could not add that article: /);
      expect(reply.content).toContain(reason);
      expect(reply.content).toMatch(/Nothing was changed\.$/);
      expect(await snapshot(seedsDir)).toEqual(files);
      expect(shown(await ask(COD_QUESTION))).toEqual(shown(before));
    });
  }

  it("takes the new file out again when the reload fails because another file in seeds/ is broken", async () => {
    const broken = path.join(seedsDir, "broken.md");
    await writeFile(broken, "no front matter here\n");
    try {
      const files = await snapshot(seedsDir);
      const before = await ask(COD_QUESTION);
      const reply = await addArticle(`${pages.origin}${HARBOUR}`).waitForVisibleReply(
        REPLY_TIMEOUT_MS,
      );
      expect(reply.flags).toBe(EPHEMERAL);
      expect(reply.content).toContain(
        `❌ Not added: the reload failed, so \`seeds/${HARBOUR_SLUG}.md\` was taken out again.`,
      );
      expect(reply.content).toContain(
        "Reload failed: 1 problem. Nothing changed — the previous index is still serving.",
      );
      expect(reply.content).toContain(
        "seeds/broken.md:1: missing front matter: the file must start with a line `---`",
      );
      expect(await snapshot(seedsDir)).toEqual(files);
      expect(shown(await ask(COD_QUESTION))).toEqual(shown(before));
    } finally {
      await rm(broken);
    }
  });

  it("adds an article from its link; /ask then answers from it with its citation", async () => {
    const before = await ask(COD_QUESTION);
    expect(JSON.stringify(before.embeds ?? [])).not.toContain("48,000 tonnes");

    const reply = await addArticle(`${pages.origin}${HARBOUR}`).waitForVisibleReply(
      REPLY_TIMEOUT_MS,
    );
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toContain(
      `✅ Added \`seeds/${HARBOUR_SLUG}.md\`: **Harbour Post** — “Norland and Estmark sign fisheries pact after night of talks”, 10 Feb 2026, 5 paragraphs.`,
    );
    expect(reply.content).toMatch(/Reloaded in \d+ ms/);
    expect(reply.content).toContain(`Added (1): \`${HARBOUR_SLUG}\``);
    expect(reply.content).toContain("Paragraphs: 5 added, 0 removed, 0 changed.");
    expect(await readdir(seedsDir)).toContain(`${HARBOUR_SLUG}.md`);

    const after = await ask(COD_QUESTION);
    const [embed] = embedsOf(after);
    expect(embed?.description).toContain("48,000 tonnes of cod");
    expect(embed?.author?.name).toBe("Harbour Post");
    expect(embed?.url).toBe(
      "https://www.harbourpost.example/world/2026/02/10/fisheries-pact-signed",
    );
  });

  it("refuses the same link again unless replace is set", async () => {
    const files = await snapshot(seedsDir);
    const again = await addArticle(`${pages.origin}${HARBOUR}`).waitForVisibleReply(
      REPLY_TIMEOUT_MS,
    );
    expect(again.content).toBe(
      `Could not add that article: seeds/${HARBOUR_SLUG}.md already has this URL: use replace:true to overwrite it. Nothing was changed.`,
    );
    expect(await snapshot(seedsDir)).toEqual(files);
    const replaced = await addArticle(
      `${pages.origin}${HARBOUR}`,
      adminUser(),
      true,
    ).waitForVisibleReply(REPLY_TIMEOUT_MS);
    expect(replaced.content).toContain(`✅ Added \`seeds/${HARBOUR_SLUG}.md\``);
    expect(replaced.content).toContain("No article changed.");
  });

  it("lets only one of two simultaneous adds of the same link through", async () => {
    const link = `${pages.origin}/pages/valley-times-lantern-festival.html`;
    const [first, second] = [addArticle(link), addArticle(link)];
    const replies = await Promise.all([
      first.waitForVisibleReply(REPLY_TIMEOUT_MS),
      second.waitForVisibleReply(REPLY_TIMEOUT_MS),
    ]);
    const added = replies.filter((r) => r.content?.startsWith("✅ Added"));
    const refused = replies.filter((r) => r.content?.startsWith("Could not add that article"));
    expect(added).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.content).toMatch(
      /another article is being added to seeds right now|already has this URL/,
    );
    expect((await readdir(seedsDir)).filter((n) => n.includes("lantern"))).toEqual([
      "lantern-festival-draws-record-crowds-to-orrin.md",
    ]);
  });

  it("never sends the bot's token, cookies or credentials to the pages it reads", () => {
    expect(pages.requests.length).toBeGreaterThan(0);
    for (const { headers } of pages.requests) {
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(stack?.token);
    }
    expect(bot.output).not.toContain(stack?.token);
  });
});

describe("/add-article in the local console", () => {
  it("adds an article from its link, then answers from it", async () => {
    const seeds = await copySeeds();
    try {
      const console = startBot({ SEEDS_DIR: seeds.dir, ADD_ARTICLE_ALLOW_LOOPBACK: "true" }, [
        "--console",
      ]);
      console.child.stdin?.end(
        `/add-article ${pages.origin}/pages/coastal-wire-ferry-link.html\n/ask how long does the ferry crossing take\n/quit\n`,
      );
      const { code } = await console.exited;
      expect(code).toBe(0);
      expect(console.output).toContain(
        "✅ Added `seeds/new-ferry-link-between-vell-and-dunmore-opens.md`: *Coastal Wire* — “New ferry link between Vell and Dunmore opens”, 1 Mar 2026",
      );
      expect(console.output).toContain(
        "Added (1): `new-ferry-link-between-vell-and-dunmore-opens`",
      );
      expect(console.output).toMatch(/ninety minutes by sea/);
    } finally {
      await seeds.remove();
    }
  });
});
