/**
 * `npm run bench [-- --quick] [-- --e2e-only] [-- --json results.json] [-- --cpu-prof-dir dir] [-- --keep]`
 *
 * Prints the benchmark's figures: for the real seeds and synthetic corpora of about 1k, 10k
 * and 100k paragraphs, the time to a ready index, memory, answer latency next to plain
 * MiniSearch; a reload of the largest corpus under a stream of questions; and the real bot
 * end to end against the local Discord-compatible endpoint. Each measurement runs in a fresh
 * child process so that none inherits another's heap, caches or JIT state. BENCHMARKS.md
 * explains the method.
 *
 * `--quick` skips the 100k corpus and the end-to-end run (the reload is measured on 10k).
 * `--e2e-only` runs only the end-to-end comparison of the bot with a trivial discord.js bot
 * (bursts of 500 `/ask` at once, the first right after start-up); with `--cpu-prof-dir`, the
 * bot processes write their CPU profiles there.
 * Every step has a time limit; the corpora live in a temporary folder removed at the end.
 */
import { spawn, spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { INDEX_YOUNG_GENERATION_MB } from "../src/desk/index-thread-client.js";
import { CORPUS_SEED, type GeneratedCorpus, generateCorpus } from "./corpus.js";
import type { E2eJob, E2eResult } from "./measure-e2e.js";
import type { IndexJob, IndexResult } from "./measure-index.js";
import type { PeersJob, PeersResult } from "./measure-peers.js";
import type { ReloadJob, ReloadResult } from "./measure-reload.js";
import { RESULT_PREFIX } from "./stats.js";
import { type Machine, type Results, report } from "./table.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BENCH = path.join(ROOT, "bench");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "e2e-only": { type: "boolean", default: false },
    json: { type: "string" },
    "cpu-prof-dir": { type: "string" },
    keep: { type: "boolean", default: false },
  },
  strict: true,
});
const quick = values.quick === true;
const e2eOnly = values["e2e-only"] === true;

/**
 * The bot builds and holds its index in a worker thread whose young generation is capped
 * (`INDEX_YOUNG_GENERATION_MB`); a process that measures the index in its main thread gets the
 * same cap (a young generation is two semi-spaces), so that its memory and latency are the bot's.
 */
const AS_INDEX_THREAD = [`--max-semi-space-size=${INDEX_YOUNG_GENERATION_MB / 2}`];

/** Runs one measurement script in a fresh Node process and returns its result line. */
function runChild<T>(
  script: string,
  job: unknown,
  timeoutMs: number,
  profiled = true,
  nodeArgs: string[] = [],
): Promise<T> {
  const profile = profiled ? values["cpu-prof-dir"] : undefined;
  const args = [
    ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profile)}`] : []),
    ...nodeArgs,
    "--expose-gc",
    "--import",
    "tsx",
    path.join(BENCH, script),
    JSON.stringify(job),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
    });
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      process.stderr.write(`  ! ${script} took longer than ${timeoutMs / 1000} s; stopping it\n`);
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      const line = out.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
      else reject(new Error(`${script} ended with ${signal ?? `code ${code}`} and no result`));
    });
  });
}

/** Builds the bot, which runs compiled as `npm start` and the service files run it, and measures it. */
function runE2e(job: E2eJob, timeoutMs: number, profiled: boolean): Promise<E2eResult> {
  const built = spawnSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 300_000,
  });
  if (built.status !== 0) return Promise.reject(new Error("npm run build failed"));
  return runChild<E2eResult>("measure-e2e.ts", job, timeoutMs, profiled);
}

async function machine(): Promise<Machine> {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const info = await readFile("/proc/cpuinfo", "utf8");
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: os.cpus() is all there is.
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageStart: os.loadavg(),
  };
}

async function attempt<T>(what: string, errors: string[], work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`${what}: ${message}`);
    process.stderr.write(`  ! ${what} failed: ${message}\n`);
    return undefined;
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const temp = await mkdtemp(path.join(os.tmpdir(), "summit-bench-"));
  const stopOnSignal = () => {
    // Children share the terminal's process group and get the signal too; remove the corpora.
    void rm(temp, { recursive: true, force: true }).finally(() => process.exit(130));
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);

  const results: Results = {
    quick,
    machine: await machine(),
    corpora: [],
    index: [],
    peers: [],
    errors: [],
    totalSeconds: 0,
  };
  const { errors } = results;
  try {
    process.stderr.write(`Summit Desk benchmark${quick ? " (quick)" : ""}; corpora in ${temp}\n`);
    const seedsDir = path.join(temp, "seeds");
    await cp(path.join(ROOT, "seeds"), seedsDir, { recursive: true });

    if (e2eOnly) {
      process.stderr.write("measuring end to end only: the bot next to a trivial bot\n");
      const profile = values["cpu-prof-dir"];
      const e2eJob: E2eJob = {
        dir: seedsDir,
        label: "seeds",
        root: ROOT,
        count: 500,
        starts: 0,
        bursts: 3,
        compareOnly: true,
        ...(profile !== undefined && { cpuProfDir: path.resolve(profile) }),
      };
      results.e2e = await attempt("end to end", errors, () => runE2e(e2eJob, 600_000, false));
    } else {
      const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
      const corpora: Array<{ label: string; dir: string; generated?: GeneratedCorpus }> = [
        { label: "seeds", dir: seedsDir },
      ];
      for (const size of sizes) {
        const label = `${size / 1000}k`;
        process.stderr.write(`generating ${label} paragraphs\n`);
        const generated = await generateCorpus(path.join(temp, label), seedsDir, {
          paragraphs: size,
          seed: CORPUS_SEED,
        });
        corpora.push({ label, dir: generated.dir, generated });
        results.corpora.push({ label, ...generated });
      }

      const largest = corpora[corpora.length - 1] as (typeof corpora)[number];
      type Plan = Pick<IndexJob, "loadReps" | "rounds" | "warmUp" | "checkPlain" | "throughputMs">;
      const plan: Record<string, Plan> = {
        seeds: { loadReps: 20, rounds: 10, warmUp: 120, checkPlain: true, throughputMs: 2000 },
        "1k": { loadReps: 10, rounds: 5, warmUp: 120, checkPlain: true, throughputMs: 2000 },
        "10k": { loadReps: 3, rounds: 2, warmUp: 60, checkPlain: true, throughputMs: 3000 },
        "100k": { loadReps: 0, rounds: 1, warmUp: 10, checkPlain: false, throughputMs: 5000 },
      };
      const limits: Record<string, number> = {
        seeds: 120_000,
        "1k": 180_000,
        "10k": 300_000,
        "100k": 900_000,
      };
      for (const corpus of corpora) {
        process.stderr.write(`measuring ${corpus.label}\n`);
        const job: IndexJob = {
          ...(plan[corpus.label] as Plan),
          dir: corpus.dir,
          label: corpus.label,
          root: ROOT,
          cpu: 0,
          levers: corpus === largest ? 40 : 0,
        };
        const result = await attempt(`index ${corpus.label}`, errors, () =>
          runChild<IndexResult>(
            "measure-index.ts",
            job,
            limits[corpus.label] ?? 300_000,
            true,
            AS_INDEX_THREAD,
          ),
        );
        if (result) results.index.push(result);
      }

      const peerRounds: Record<string, number> = { seeds: 10, "1k": 5, "10k": 2, "100k": 1 };
      for (const corpus of corpora) {
        process.stderr.write(`measuring ${corpus.label}: Summit Desk and other engines\n`);
        const job: PeersJob = {
          dir: corpus.dir,
          label: corpus.label,
          root: ROOT,
          rounds: peerRounds[corpus.label] ?? 1,
          warmUp: 60,
        };
        const result = await attempt(`peers ${corpus.label}`, errors, () =>
          runChild<PeersResult>("measure-peers.ts", job, limits[corpus.label] ?? 300_000),
        );
        if (result) results.peers.push(result);
      }

      process.stderr.write(`measuring a reload of ${largest.label} under questions\n`);
      const reloadJob: ReloadJob = {
        dir: largest.dir,
        label: largest.label,
        root: ROOT,
        maxRate: 20,
        questions: quick ? 120 : 40,
        beforeMs: quick ? 3000 : 10_000,
        afterMs: quick ? 3000 : 10_000,
      };
      results.reload = await attempt("reload", errors, () =>
        runChild<ReloadResult>("measure-reload.ts", reloadJob, 900_000),
      );

      if (!quick) {
        process.stderr.write("measuring end to end (bot process, local endpoint)\n");
        const e2eJob: E2eJob = {
          dir: seedsDir,
          label: "seeds",
          root: ROOT,
          count: 500,
          starts: 3,
          bursts: 3,
          large: { dir: largest.dir, label: largest.label, burst: 50 },
        };
        results.e2e = await attempt("end to end", errors, () => runE2e(e2eJob, 900_000, true));
      }
    }
  } finally {
    if (values.keep) process.stderr.write(`corpora kept in ${temp}\n`);
    else await rm(temp, { recursive: true, force: true });
  }

  results.machine.loadAverageEnd = os.loadavg();
  results.totalSeconds = (performance.now() - started) / 1000;
  process.stdout.write(report(results));
  if (values.json) await writeFile(values.json, `${JSON.stringify(results, null, 2)}\n`);
  return errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
