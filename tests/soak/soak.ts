/**
 * `npm run soak`: 5,000 /ask interactions against the real bot and the local endpoint, mixed
 * with reloads, a gateway reconnect and Helpful / Not helpful votes (some changed). Passes when
 * none is lost, none is answered twice, the question log holds one row per /ask and per vote at
 * the end, and the bot's heap after the run is within 20% of its heap before (both after a
 * full GC).
 * Bounded to a few minutes; prints a summary and exits non-zero on failure.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import {
  adminUser,
  defaultUser,
  type InteractionHandle,
  type RecordedMessage,
  startFakeDiscord,
} from "../../fake-discord/index.js";
import { DATABASE_FILE } from "../../src/insights/store.js";
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
// Beside the seeds copy, so it is removed with it.
const dataDir = path.join(path.dirname(seeds.dir), "data");
const bot = startBot(
  {
    DATA_DIR: dataDir,
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
/** Every /ask sent, warm-up included: each is one row in the question log. */
let asksSent = 0;
/** Distinct (answer, member) pairs voted on: each is one row, whatever the clicks. */
const voted = new Set<string>();
let voteClicks = 0;
let votesUnanswered = 0;

const buttonIdOf = (message: RecordedMessage, label: string) =>
  ((message.components ?? []) as Array<{ components: Array<{ custom_id: string; label: string }> }>)
    .flatMap((row) => row.components)
    .find((b) => b.label === label)?.custom_id;

/** Every tenth answer gets a vote; every twentieth, a second click that changes it. */
async function vote(n: number, message: RecordedMessage): Promise<void> {
  if (n % 10 !== 0) return;
  const user = users[(n + 7) % users.length] ?? defaultUser();
  const clicks = n % 20 === 0 ? ["Helpful", "Not helpful"] : ["Not helpful"];
  for (const label of clicks) {
    const customId = buttonIdOf(message, label);
    if (customId === undefined) return; // a declined question has no vote buttons
    voteClicks++;
    const reply = await fake
      .clickButton({ customId, message, user })
      .waitForVisibleReply(10_000)
      .catch(() => undefined);
    if (reply?.content !== "Thanks — noted.") votesUnanswered++;
    voted.add(`${customId.split(":")[1]} ${user.id}`);
  }
}

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
      asksSent++;
      const reply = await handle.waitForVisibleReply(10_000).catch(() => undefined);
      if (reply) await vote(n, reply);
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

  if (votesUnanswered > 0) failures.push(`${votesUnanswered} of ${voteClicks} votes got no thanks`);
  if (voted.size === 0) failures.push("no answer got a vote");

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
}

// SIGTERM wrote what was still queued: the log holds every /ask and every member's last vote.
try {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const asks = count("SELECT count(*) AS n FROM asks WHERE via = 'ask'");
  const votes = count("SELECT count(*) AS n FROM votes");
  db.close();
  console.log(
    `  question log: ${asks} /ask rows (${asksSent} sent), ${votes} vote rows (${voted.size} voted, ${voteClicks} clicks)`,
  );
  if (asks !== asksSent) failures.push(`the question log holds ${asks} /ask rows, not ${asksSent}`);
  if (votes !== voted.size)
    failures.push(`the question log holds ${votes} votes, not ${voted.size}`);
} catch (error) {
  failures.push(`the question log could not be read: ${String(error)}`);
} finally {
  await seeds.remove();
}

if (failures.length > 0) {
  console.log(`soak FAILED:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  process.exit(1);
}
console.log("soak passed");
process.exit(0);
