/**
 * End to end: the real bot process (the compiled `dist/src/main.js`, as `npm start` runs it;
 * bench/run.ts builds it first) against the local Discord-compatible endpoint (fake-discord/),
 * on 127.0.0.1.
 *
 * - Start-up: from spawning the process to its "index ready" and "connected to Discord" log
 *   lines (the log lines' own timestamps), over a few starts.
 * - `/ask` from dispatch (INTERACTION_CREATE written to the gateway socket) to the reply the
 *   user sees (the endpoint accepting the callback, or the edit after a deferral): 500 sent one
 *   after another, then 500 sent at once. Each interaction comes from a different user, so
 *   the per-user rate limit (left at its configured default) refuses none; refusals are
 *   counted anyway.
 * - The health server (HTTP_PORT) while those 500 are answered at once: how long `/health`
 *   and `/metrics` take, probed one after another, next to the same probes with the bot idle.
 * - The real bot next to a trivial one (`trivial-bot.ts`, a plain discord.js client that replies
 *   at once with a fixed line), against the same endpoint, one after the other: each started
 *   afresh and sent bursts of `count` `/ask` at once, the first as soon as it reports ready
 *   (what members see after a deploy or a restart), the others after a pause.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  defaultUser,
  type FakeDiscord,
  type InteractionHandle,
  makeSnowflake,
  type RecordedMessage,
  startFakeDiscord,
} from "../fake-discord/index.js";
import {
  BLANK_CONFIG,
  BotProcess,
  COMPILED_ENTRY,
  fakeToken,
  PROJECT_ROOT,
  startBot,
} from "../tests/support/bot-process.js";
import { get, opsPort } from "../tests/support/ops-client.js";
import { benchQuestions } from "./questions.js";
import { emitResult, median, progress, type Summary, summarize } from "./stats.js";

export interface E2eJob {
  dir: string;
  label: string;
  root: string;
  /** Interactions in each of the sequential and the concurrent run. */
  count: number;
  /** How many times the bot is started to measure start-up (the last start is kept). */
  starts: number;
  /**
   * A large corpus to start the bot on once more afterwards: its start-up, the RSS of one
   * shard holding it, and a burst of questions at once.
   */
  large?: { dir: string; label: string; burst: number };
  /** Bursts of `count` at once sent to each of the trivial and the real bot (0: none). */
  bursts?: number;
  /** Only the comparison with the trivial bot: no start-up series, sequential run or probes. */
  compareOnly?: boolean;
  /** Where the bot processes write CPU profiles (`node --cpu-prof`), if anywhere. */
  cpuProfDir?: string;
}

/** One burst at once, to the trivial bot and to the real one. */
export interface BurstPair {
  /** The first burst after the bot reported ready. */
  cold: boolean;
  trivial: Outcome;
  real: Outcome;
}

export interface Comparison {
  count: number;
  pauseMs: number;
  /** Process start → ready (the last of "index ready", "connected" and "warmed up"), per bot. */
  readyMs: { trivial: number; real: number };
  bursts: BurstPair[];
}

export interface LargeRun {
  label: string;
  indexReadyMs: number;
  connectedMs: number;
  /** RSS of the bot's process tree once connected, and after the burst. */
  rssMb: number;
  rssAfterBurstMb: number;
  burst: Outcome;
}

export interface Outcome {
  latency: Summary;
  /** Interactions whose first response came within Discord's 3 s of the click. */
  within3s: number;
  /** Replies sent directly, and after a deferral (an edit). */
  direct: number;
  deferred: number;
  answered: number;
  declined: number;
  /** Private refusals (the rate limit, a problem with the question). */
  refused: number;
  /** The bot's private apology for an unexpected error (e.g. the index worker's 10 s timeout). */
  errors: number;
  /** No visible reply within the wait, or a response Discord would have rejected. */
  failed: number;
  wallMs: number;
  /** Why the failed ones failed: "no reply", or the endpoint's error code for a rejection. */
  failures?: Record<string, number>;
  /** TCP connections the endpoint accepted meanwhile (bursts only). */
  connections?: number;
}

/** Probes of the health server: latencies of those that answered, and how many did not. */
export interface ProbeRun {
  health: Summary;
  metrics: Summary;
  /** Probes that failed or answered neither 200 nor 503. */
  failed: number;
}

export interface E2eResult {
  label: string;
  count: number;
  /** The health server idle, and while the concurrent run is answered. */
  probes?: { idle: ProbeRun; underLoad: ProbeRun };
  startup?: { indexReadyMs: number[]; connectedMs: number[] };
  botRssMb?: number;
  sequential?: Outcome;
  concurrent?: Outcome;
  rateLimit: string;
  large?: LargeRun;
  comparison?: Comparison;
}

const EPHEMERAL = 1 << 6;
const RATE_LIMIT = "default (5 per user per 10 s); every interaction from a different user";
const REPLY_WAIT_MS = 20_000;
const LARGE_REPLY_WAIT_MS = 120_000;

/** RSS of a process and its descendants, from /proc. */
function treeRssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number, depth: number) => {
    if (depth > 4) return;
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      for (const child of children.split(/\s+/).filter(Boolean)) visit(Number(child), depth + 1);
    } catch {
      // Not on Linux, or the process is gone: report what was read.
    }
  };
  visit(pid, 0);
  return kb / 1000;
}

function profileArgs(dir: string | undefined): string[] {
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

/** The trivial bot, started as the real one is (`node --import tsx`), with the same environment. */
function startTrivialBot(env: Record<string, string>, nodeArgs: string[]): BotProcess {
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", "tsx", path.join("bench", "trivial-bot.ts")],
    {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? os.tmpdir(),
        ...BLANK_CONFIG,
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  return new BotProcess(child);
}

async function startMeasured(
  fake: FakeDiscord,
  dir: string,
  which: "real" | "trivial" = "real",
  cpuProfDir?: string,
) {
  const spawnedAt = Date.now();
  const env = {
    DISCORD_TOKEN: fakeToken(),
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: dir,
    LOG_LEVEL: "info",
    HTTP_PORT: "0",
  };
  const nodeArgs = profileArgs(cpuProfDir);
  // The real bot runs compiled, as `npm start` runs it; the trivial one under tsx.
  const bot =
    which === "real" ? startBot(env, [], nodeArgs, COMPILED_ENTRY) : startTrivialBot(env, nodeArgs);
  const ready = await bot.waitForLog((l) => l.msg === "index ready", 300_000);
  const connected = await bot.waitForLog((l) => l.msg === "connected to Discord", 60_000);
  // The real bot renders a few replies once the index is ready, before it counts as ready.
  const warmed =
    which === "real"
      ? await bot.waitForLog((l) => l.msg === "warmed up" || l.msg.startsWith("warming up"), 60_000)
      : ready;
  return {
    bot,
    readyMs: Math.max(Number(ready.time), Number(connected.time), Number(warmed.time)) - spawnedAt,
    indexReadyMs: Number(ready.time) - spawnedAt,
    connectedMs: Number(connected.time) - spawnedAt,
  };
}

function outcome(handles: InteractionHandle[], replies: Array<RecordedMessage | undefined>) {
  const latencies: number[] = [];
  const result: Omit<Outcome, "latency" | "wallMs"> = {
    within3s: 0,
    direct: 0,
    deferred: 0,
    answered: 0,
    declined: 0,
    refused: 0,
    errors: 0,
    failed: 0,
  };
  const failures: Record<string, number> = {};
  handles.forEach((handle, i) => {
    const reply = replies[i];
    const first = handle.callbacks[0];
    if (first?.accepted && first.at - handle.createdAt <= 3000) result.within3s++;
    if (!reply || handle.rejections.length > 0) {
      result.failed++;
      const why = handle.rejections[0] ? `code ${handle.rejections[0].code}` : "no reply";
      failures[why] = (failures[why] ?? 0) + 1;
      return;
    }
    latencies.push(reply.at - handle.sentAt);
    if (reply.source === "callback") result.direct++;
    else result.deferred++;
    if ((reply.embeds ?? []).length > 0) result.answered++;
    else if (reply.content?.includes("something went wrong")) result.errors++;
    else if ((reply.flags ?? 0) & EPHEMERAL) result.refused++;
    else result.declined++;
  });
  return { ...result, latency: summarize(latencies), failures };
}

/**
 * Probes `/health` then `/metrics`, one request at a time, until `done` says stop (and at
 * least `min` pairs, at most `max`), as a service manager and a scraper would.
 */
async function probe(port: number, done: () => boolean, min: number, max: number) {
  const health: number[] = [];
  const metrics: number[] = [];
  let failed = 0;
  const once = async (path: string, into: number[]) => {
    const t = performance.now();
    try {
      const answer = await get(port, path);
      if (answer.status === 200 || answer.status === 503) into.push(performance.now() - t);
      else failed++;
    } catch {
      failed++;
    }
  };
  for (let i = 0; i < max && (i < min || !done()); i++) {
    await once("/health", health);
    await once("/metrics", metrics);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { health: summarize(health), metrics: summarize(metrics), failed };
}

function ask(fake: FakeDiscord, question: string): InteractionHandle {
  return fake.sendCommand({
    name: "ask",
    options: [{ name: "question", type: 3, value: question }],
    user: defaultUser(makeSnowflake()),
  });
}

/** Sends `count` `/ask` at once, each from a different user, and waits for every reply. */
async function burst(
  fake: FakeDiscord,
  questions: string[],
  count: number,
  offset: number,
): Promise<Outcome> {
  const t0 = performance.now();
  const connected = fake.stats.tcpConnections;
  const handles: InteractionHandle[] = [];
  for (let i = 0; i < count; i++) {
    handles.push(ask(fake, questions[(offset + i) % questions.length] as string));
  }
  const replies = await Promise.all(
    handles.map((h) => h.waitForVisibleReply(REPLY_WAIT_MS).catch(() => undefined)),
  );
  return {
    ...outcome(handles, replies),
    wallMs: performance.now() - t0,
    connections: fake.stats.tcpConnections - connected,
  };
}

/** Pause between bursts: the bot idle, its connections kept alive as Discord keeps them. */
const BURST_PAUSE_MS = 2000;

/**
 * The trivial bot, then the real one, each started afresh against the same endpoint and sent
 * `bursts` bursts of `count` at once, the first as soon as it is ready. The same questions go
 * to both (the trivial bot ignores them), from new users every time.
 */
async function compare(job: E2eJob, questions: string[], fake: FakeDiscord): Promise<Comparison> {
  const bursts = job.bursts ?? 3;
  const runs: Record<"trivial" | "real", Outcome[]> = { trivial: [], real: [] };
  const readyMs = { trivial: 0, real: 0 };
  for (const which of ["trivial", "real"] as const) {
    progress(`e2e ${job.label}: ${which} bot, ${bursts} bursts of ${job.count} /ask at once`);
    const started = await startMeasured(fake, job.dir, which, job.cpuProfDir);
    readyMs[which] = started.readyMs;
    try {
      await fake.waitForReady({ timeoutMs: 20_000 });
      for (let b = 0; b < bursts; b++) {
        if (b > 0) await new Promise((r) => setTimeout(r, BURST_PAUSE_MS));
        runs[which].push(await burst(fake, questions, job.count, b * job.count));
        const last = runs[which][b] as Outcome;
        progress(
          `  ${which} burst ${b + 1}: p50 ${last.latency.p50.toFixed(0)} ms, p99 ${last.latency.p99.toFixed(0)} ms, failed ${last.failed}, deferred ${last.deferred}, new connections ${last.connections}, failures ${JSON.stringify(last.failures)}`,
        );
      }
    } finally {
      await started.bot.stop("SIGTERM");
    }
  }
  return {
    count: job.count,
    pauseMs: BURST_PAUSE_MS,
    readyMs,
    bursts: runs.real.map((real, i) => ({
      cold: i === 0,
      trivial: runs.trivial[i] as Outcome,
      real,
    })),
  };
}

async function run(job: E2eJob): Promise<E2eResult> {
  const questions = (await benchQuestions(job.root)).map((q) => q.text).filter((q) => q.trim());
  const startup = { indexReadyMs: [] as number[], connectedMs: [] as number[] };
  let fake: FakeDiscord | undefined;
  let bot: BotProcess | undefined;
  // Stopped by the runner's time limit: stop the bot process too, then end.
  process.once("SIGTERM", () => {
    void Promise.allSettled([bot?.stop("SIGKILL"), fake?.close()]).finally(() => process.exit(1));
  });
  try {
    if (job.compareOnly) {
      fake = await startFakeDiscord();
      const comparison = await compare(job, questions, fake);
      return { label: job.label, count: job.count, rateLimit: RATE_LIMIT, comparison };
    }
    for (let i = 0; i < job.starts; i++) {
      progress(`e2e ${job.label}: start-up ${i + 1}/${job.starts}`);
      await bot?.stop("SIGTERM");
      await fake?.close();
      fake = await startFakeDiscord();
      const started = await startMeasured(fake, job.dir);
      bot = started.bot;
      startup.indexReadyMs.push(started.indexReadyMs);
      startup.connectedMs.push(started.connectedMs);
    }
    if (!fake || !bot) throw new Error("the bot was not started");
    await fake.waitForReady({ timeoutMs: 20_000 });
    const port = await opsPort(bot);
    const live = fake;
    const botRssMb = bot.child.pid === undefined ? Number.NaN : treeRssMb(bot.child.pid);

    progress(`e2e ${job.label}: warming up`);
    for (const q of questions.slice(0, 30)) {
      await ask(live, q).waitForVisibleReply(REPLY_WAIT_MS);
    }

    progress(`e2e ${job.label}: ${job.count} /ask one after another`);
    const seqHandles: InteractionHandle[] = [];
    const seqReplies: Array<RecordedMessage | undefined> = [];
    let t0 = performance.now();
    for (let i = 0; i < job.count; i++) {
      const handle = ask(live, questions[i % questions.length] as string);
      seqHandles.push(handle);
      seqReplies.push(await handle.waitForVisibleReply(REPLY_WAIT_MS).catch(() => undefined));
    }
    const sequential = { ...outcome(seqHandles, seqReplies), wallMs: performance.now() - t0 };

    progress(`e2e ${job.label}: health server probes, idle`);
    const idle = await probe(port, () => true, 50, 50);

    progress(`e2e ${job.label}: ${job.count} /ask at once, the health server probed meanwhile`);
    t0 = performance.now();
    const conHandles: InteractionHandle[] = [];
    for (let i = 0; i < job.count; i++) {
      conHandles.push(ask(live, questions[i % questions.length] as string));
    }
    let answeredAll = false;
    const probing = probe(port, () => answeredAll, 1, 10_000);
    const conReplies = await Promise.all(
      conHandles.map((h) => h.waitForVisibleReply(REPLY_WAIT_MS).catch(() => undefined)),
    );
    const concurrent = { ...outcome(conHandles, conReplies), wallMs: performance.now() - t0 };
    answeredAll = true;
    const underLoad = await probing;

    await bot.stop("SIGTERM");
    const comparison = (job.bursts ?? 3) > 0 ? await compare(job, questions, live) : undefined;

    let large: LargeRun | undefined;
    if (job.large) {
      const { dir, label, burst } = job.large;
      progress(`e2e ${label}: start-up on the large corpus`);
      await bot.stop("SIGTERM");
      await fake.close();
      fake = await startFakeDiscord();
      const started = await startMeasured(fake, dir);
      bot = started.bot;
      const pid = bot.child.pid;
      const rssMb = pid === undefined ? Number.NaN : treeRssMb(pid);
      progress(`e2e ${label}: ${burst} /ask at once`);
      const big = fake;
      const t1 = performance.now();
      const handles = questions.slice(0, burst).map((q) => ask(big, q));
      const replies = await Promise.all(
        handles.map((h) => h.waitForVisibleReply(LARGE_REPLY_WAIT_MS).catch(() => undefined)),
      );
      large = {
        label,
        indexReadyMs: started.indexReadyMs,
        connectedMs: started.connectedMs,
        rssMb,
        rssAfterBurstMb: pid === undefined ? Number.NaN : treeRssMb(pid),
        burst: { ...outcome(handles, replies), wallMs: performance.now() - t1 },
      };
    }

    return {
      label: job.label,
      count: job.count,
      startup,
      botRssMb,
      sequential,
      concurrent,
      probes: { idle, underLoad },
      rateLimit: RATE_LIMIT,
      ...(large && { large }),
      ...(comparison && { comparison }),
    };
  } finally {
    await bot?.stop("SIGTERM");
    await fake?.close();
  }
}

const job = JSON.parse(process.argv[2] ?? "{}") as E2eJob;
const result = await run(job);
if (result.startup) {
  progress(
    `e2e ${job.label}: start-up median ${median(result.startup.connectedMs).toFixed(0)} ms to connected`,
  );
}
emitResult(result);
