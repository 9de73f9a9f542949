/**
 * Starting and stopping: the modes of `npm start`, a clean exit on SIGTERM with work in flight,
 * and command registration with `npm run deploy-commands`. (`npm start` on a terminal is in
 * compiled.test.ts: it runs the compiled bot, and only that file builds or replaces dist/.)
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { adminUser, type FakeDiscord, startFakeDiscord } from "../../fake-discord/index.js";
import {
  BLANK_CONFIG,
  copySeeds,
  fakeToken,
  PROJECT_ROOT,
  startBot,
} from "../support/bot-process.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function fakeDiscord(): Promise<FakeDiscord> {
  const fake = await startFakeDiscord();
  cleanups.push(() => fake.close());
  return fake;
}

describe("npm start without a token", () => {
  it("exits with a clear message and code 2 when there is no terminal", async () => {
    const bot = startBot({});
    bot.child.stdin?.end();
    const { code } = await bot.exited;
    expect(code).toBe(2);
    expect(bot.output).toContain(
      "DISCORD_TOKEN is not set, and there is no terminal for the local console",
    );
  });

  it("runs the console from a pipe with --console, pressing buttons by number", async () => {
    const bot = startBot({}, ["--console"]);
    bot.child.stdin?.end("/ask what date was the lee xi summit\n1\n/source\n/quit\n");
    const { code } = await bot.exited;
    expect(code).toBe(0);
    expect(bot.output).toMatch(/passage 1 of \d/);
    expect(bot.output).toMatch(/passage 2 of \d/);
    expect(bot.output).toContain("The Straits Times");
  });
});

describe("shutdown", () => {
  it("finishes a reload in flight on SIGTERM, then exits 0", async () => {
    const fake = await fakeDiscord();
    const seeds = await copySeeds();
    cleanups.push(seeds.remove);
    const token = fakeToken();
    const bot = startBot({
      DISCORD_TOKEN: token,
      DISCORD_API_URL: fake.apiUrl,
      SEEDS_DIR: seeds.dir,
    });
    cleanups.push(() => bot.stop("SIGKILL"));
    await bot.waitForLog((l) => l.msg === "connected to Discord");

    const reload = fake.sendCommand({ name: "reload", user: adminUser() });
    await reload.waitForResponse();
    bot.child.kill("SIGTERM");
    const reply = await reload.waitForVisibleReply(15_000);
    expect(reply.content).toMatch(/Reloaded in \d+ ms/);
    const { code } = await bot.exited;
    expect(code).toBe(0);
    expect(bot.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(["shutting down: finishing interactions in flight", "stopped"]),
    );
    expect(bot.output).not.toContain(token);
  });

  it("refuses to start with a message naming every problem when seeds/ is broken", async () => {
    const fake = await fakeDiscord();
    const seeds = await copySeeds();
    cleanups.push(seeds.remove);
    await writeFile(path.join(seeds.dir, "bad.md"), "no front matter here\n");
    const bot = startBot({
      DISCORD_TOKEN: fakeToken(),
      DISCORD_API_URL: fake.apiUrl,
      SEEDS_DIR: seeds.dir,
    });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    expect(bot.output).toContain(
      "seeds/bad.md:1: missing front matter: the file must start with a line `---`",
    );
  });
});

describe("npm run deploy-commands", () => {
  // Asynchronous: the fake endpoint runs in this process and must keep answering meanwhile.
  const deploy = (env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [path.join(PROJECT_ROOT, "node_modules/tsx/dist/cli.mjs"), "src/cli/deploy-commands.ts"],
        {
          cwd: PROJECT_ROOT,
          env: {
            PATH: process.env.PATH ?? "",
            HOME: process.env.HOME ?? "/tmp",
            ...BLANK_CONFIG,
            ...env,
          },
          stdio: ["ignore", "pipe", "pipe"],
          timeout: 30_000,
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  it("registers every command to the configured server, the admin ones hidden from members without Manage Server", async () => {
    const fake = await fakeDiscord();
    const result = await deploy({
      DISCORD_TOKEN: fakeToken(),
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: fake.guildId,
    });
    expect(result.stdout).toContain(
      `Registered 5 commands to server ${fake.guildId}: /add-article, /ask, /insights, /reload, /source`,
    );
    expect(result.status).toBe(0);
    const [registration] = fake.commandRegistrations;
    expect(registration?.scope).toEqual({ guildId: fake.guildId });
    const body = (registration?.body ?? []) as Array<{
      name: string;
      default_member_permissions?: string | null;
    }>;
    // Manage Server (1 << 5) for the admin commands; everyone for the others.
    expect(body.map((c) => [c.name, c.default_member_permissions ?? null])).toEqual([
      ["add-article", String(1 << 5)],
      ["ask", null],
      ["insights", String(1 << 5)],
      ["reload", String(1 << 5)],
      ["source", null],
    ]);
  });

  it("registers globally when no server is configured", async () => {
    const fake = await fakeDiscord();
    const result = await deploy({ DISCORD_TOKEN: fakeToken(), DISCORD_API_URL: fake.apiUrl });
    expect(result.status).toBe(0);
    expect(fake.commandRegistrations[0]?.scope).toBe("global");
  });

  it("exits non-zero with a clear message when Discord refuses", async () => {
    const fake = await fakeDiscord();
    fake.failNext({
      method: "PUT",
      path: /commands/,
      status: 403,
      body: { message: "Missing Access", code: 50001 },
    });
    const token = fakeToken();
    const result = await deploy({
      DISCORD_TOKEN: token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: fake.guildId,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Could not register the commands: Missing Access");
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it("exits non-zero without a token", async () => {
    const result = await deploy({});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("DISCORD_TOKEN is not set");
  });
});
