/**
 * `npm run soak`: 5,000 /ask interactions against the real bot and the local endpoint, mixed
 * with reloads and a gateway reconnect. Passes when none is lost, none is answered twice, and
 * the bot's heap after the run is within 20% of its heap before (both after a full GC).
 * Bounded to a few minutes; prints a summary and exits non-zero on failure.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  adminUser,
  defaultUser,
  type InteractionHandle,
  startFakeDiscord,
} from "../../fake-discord/index.js";
import {
  copySeeds,
  fakeToken,
  type LogLine,
  PROJECT_ROOT,
  startBot,
} from "../support/bot-process.js";

const TOTAL = 5000;
const CONCURRENCY = 50;
const TIME_LIMIT_MS = 4 * 60_000;
const MAX_HEAP_GROWTH = 0.2;

const started = Date.now();
const deadline = started + TIME_LIMIT_MS;
const failures: string[] = [];

const questions = (
  await Promise.all(
    ["dev-questions.json", "paraphrase-questions.json"].map(async (f) =>
      (
        JSON.parse(await readFile(path.join(PROJECT_ROOT, "eval", f), "utf8")) as {
          questions: Array<{ question: string }>;
        }
      ).questions.map((q) => q.question),
    ),
  )
).flat();

const fake = await startFakeDiscord();
const seeds = await copySeeds();
const token = fakeToken();
const bot = startBot(
  {
    DISCORD_TOKEN: token,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: seeds.dir,
    ASK_RATE_LIMIT: "1000",
    ASK_RATE_WINDOW_SECONDS: "1",
  },
  [],
  ["--expose-gc"],
);

async function status(): Promise<LogLine> {
  const count = bot.logs.filter((l) => l.msg === "status").length;
  bot.child.kill("SIGUSR2");
  return bot.waitForLog(
    (l) => l.msg === "status" && bot.logs.filter((s) => s.msg === "status").indexOf(l) === count,
  );
}

const users = Array.from({ length: 200 }, () => defaultUser());
const handles: InteractionHandle[] = [];

/** Sends `count` questions, at most CONCURRENCY in flight, waiting for every visible reply. */
async function ask(count: number, during?: (sent: number) => Promise<void>): Promise<void> {
  let sent = 0;
  const worker = async () => {
    while (sent < count && Date.now() < deadline) {
      const n = sent++;
      if (during) await during(n);
      const handle = fake.sendCommand({
        name: "ask",
        user: users[n % users.length],
        options: [
          { name: "question", type: 3, value: questions[n % questions.length] ?? "summit" },
        ],
      });
      handles.push(handle);
      await handle.waitForVisibleReply(10_000).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

try {
  await bot.waitForLog((l) => l.msg === "connected to Discord", 30_000);
  await ask(300);
  const before = await status();
  handles.length = 0;

  let reloads = 0;
  let reconnects = 0;
  await ask(TOTAL, async (n) => {
    if (n === Math.floor(TOTAL * 0.25) || n === Math.floor(TOTAL * 0.75)) {
      if (n > TOTAL / 2) {
        await writeFile(
          path.join(seeds.dir, "soak-extra.md"),
          `---\noutlet: "Soak Wire"\nheadline: "Soak test article"\nurl: "https://example.com/soak"\n---\nA paragraph added during the soak run.\n`,
        );
      }
      reloads++;
      void fake
        .sendCommand({ name: "reload", user: adminUser() })
        .waitForVisibleReply(30_000)
        .then((r) => {
          if (!/Reloaded in/.test(r.content ?? ""))
            failures.push(`reload ${reloads}: ${r.content}`);
        })
        .catch((e: unknown) => failures.push(`reload: ${String(e)}`));
    }
    if (n === Math.floor(TOTAL / 2)) {
      reconnects++;
      fake.closeGateway(4000);
    }
  });

  const sent = handles.length;
  const lost = handles.filter((h) => h.visibleReply === undefined);
  const twice = handles.filter(
    (h) => h.callbacks.filter((c) => c.accepted).length > 1 || h.rejections.length > 0,
  );
  if (sent < TOTAL)
    failures.push(`only ${sent} of ${TOTAL} interactions were sent within the time limit`);
  if (lost.length > 0) failures.push(`${lost.length} interactions got no reply`);
  if (twice.length > 0)
    failures.push(`${twice.length} interactions were answered twice or refused`);

  const after = await status();
  const growth = (Number(after.heapUsed) - Number(before.heapUsed)) / Number(before.heapUsed);
  if (growth > MAX_HEAP_GROWTH) failures.push(`heap grew by ${(growth * 100).toFixed(1)}%`);
  if (bot.output.includes(token)) failures.push("the token appeared in the bot's output");
  const errors = bot.logs.filter((l) => l.level >= 50);
  if (errors.length > 0)
    failures.push(`${errors.length} error log lines, e.g. ${JSON.stringify(errors[0])}`);

  const mb = (n: unknown) => `${(Number(n) / 1024 / 1024).toFixed(1)} MB`;
  const latencies = handles
    .filter((h) => h.visibleReply)
    .map((h) => (h.visibleReply?.at ?? 0) - h.sentAt)
    .sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]?.toFixed(0);
  console.log(
    [
      `soak: ${sent} /ask interactions, ${CONCURRENCY} at a time, ${reloads} reloads, ${reconnects} gateway reconnect, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      `  lost: ${lost.length}, answered twice or refused: ${twice.length}`,
      `  reply latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies.at(-1)?.toFixed(0)} ms`,
      `  heap (after GC): before ${mb(before.heapUsed)}, after ${mb(after.heapUsed)} (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}%); rss ${mb(before.rss)} → ${mb(after.rss)}`,
    ].join("\n"),
  );
} catch (error) {
  failures.push(`soak stopped: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await bot.stop("SIGTERM");
  await fake.close();
  await seeds.remove();
}

if (failures.length > 0) {
  console.log(`soak FAILED:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  process.exit(1);
}
console.log("soak passed");
process.exit(0);
