/**
 * Starts the real bot (`src/main.ts` under tsx, or the compiled `dist/src/main.js` that
 * `npm start` runs) as a child process with a chosen environment, collects everything it
 * writes, and stops it with a real signal.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_KEYS } from "../../src/config.js";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Every configuration key, blank, so that a developer's .env cannot leak into a test. Derived
 * from the config schema, so a new key is blanked without anyone remembering to.
 */
export const BLANK_CONFIG: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(CONFIG_KEYS.map((key) => [key, ""])),
);

/** A token-shaped secret, unique per run, so a test can search the output for it. */
export function fakeToken(): string {
  return `MTE4NzY1NDMyMTA5ODc2NTQz.${randomBytes(4).toString("hex")}.${randomBytes(18).toString("base64url")}`;
}

/**
 * A temporary copy of the project's seeds/ folder, as `<tmp>/seeds` so that problems read
 * `seeds/<file>:<line>` as they do for the real folder; remove it with the returned function.
 */
export async function copySeeds(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "summit-seeds-"));
  const dir = path.join(root, "seeds");
  await cp(path.join(PROJECT_ROOT, "seeds"), dir, { recursive: true });
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export class BotProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly logs: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #buffer = "";

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      this.stdout.push(chunk);
      this.#buffer += chunk;
      let newline = this.#buffer.indexOf("\n");
      while (newline !== -1) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a log line (the console prints text); kept in stdout.
        }
        newline = this.#buffer.indexOf("\n");
      }
    });
    child.stderr?.on("data", (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
  }

  /** Everything the process wrote, both streams. */
  get output(): string {
    return this.stdout.join("") + this.stderr.join("");
  }

  /** Waits until a log line matches, failing after `timeoutMs` with the output so far. */
  async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find(predicate);
      if (found) return found;
      if (this.child.exitCode !== null)
        throw new Error(
          `the bot exited (${this.child.exitCode}) before the log line:\n${this.output}`,
        );
      if (Date.now() > deadline)
        throw new Error(`no such log line within ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Sends a signal and waits for the exit (bounded). */
  async stop(
    signal: NodeJS.Signals = "SIGTERM",
    timeoutMs = 20_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The TypeScript entry point under tsx, as the tests run it. */
const SOURCE_ENTRY: readonly string[] = ["--import", "tsx", "src/main.ts"];
/** The compiled entry point, as `npm start` and the service files run it (after a build). */
export const COMPILED_ENTRY: readonly string[] = ["dist/src/main.js"];

/**
 * Starts the bot as one Node process (so signals reach the bot itself): `src/main.ts` under
 * tsx, or with `entry` {@link COMPILED_ENTRY} the built `dist/src/main.js`, with the given
 * configuration (every other key blank). Without a DATA_DIR, the question log goes to a
 * temporary folder removed when the bot exits (never to the project's data/); a test that
 * restarts the bot passes its own.
 */
export function startBot(
  env: Record<string, string>,
  args: string[] = [],
  nodeArgs: string[] = [],
  entry: readonly string[] = SOURCE_ENTRY,
): BotProcess {
  const ownData =
    env.DATA_DIR === undefined ? mkdtempSync(path.join(os.tmpdir(), "summit-data-")) : undefined;
  const child = spawn(process.execPath, [...nodeArgs, ...entry, ...args], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.tmpdir(),
      ...BLANK_CONFIG,
      ...(ownData !== undefined && { DATA_DIR: ownData }),
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const bot = new BotProcess(child);
  if (ownData !== undefined) {
    void bot.exited.then(() => rm(ownData, { recursive: true, force: true }));
  }
  return bot;
}
