// `npm run build`: compiles src/ and commands/ into dist/ with tsc (dist/ is emptied first, so
// a removed source file leaves nothing behind), and copies the data files the code reads next
// to itself (src/core/ranking-model.json, src/core/lexicon/). `npm start` (scripts/start.mjs)
// calls buildIfStale() first.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
/** What the build reads: a change to any of it (a file added, changed or removed) rebuilds. */
const INPUTS = ["src", "commands", "tsconfig.json", "tsconfig.build.json", "package.json"];
/** Written last by a build, so its time is when the build finished. */
const STAMP = path.join(DIST, "src", "main.js");

/** Files that are neither compiled nor needed at run time. */
const notData = (file) => file.endsWith(".ts") || file.endsWith(".mjs");

/** The newest modification time among the inputs (folders count: a removal changes theirs). */
function newestInput(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(file)) {
    newest = Math.max(newest, newestInput(path.join(file, name)));
  }
  return newest;
}

/** Whether dist/ is missing or older than anything it is built from. */
export function isStale() {
  const built = statSync(STAMP, { throwIfNoEntry: false });
  if (!built) return true;
  return INPUTS.some((input) => newestInput(path.join(ROOT, input)) > built.mtimeMs);
}

/** Builds dist/; on a compile error prints tsc's messages and exits 1. */
export function build() {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    process.stderr.write(
      "dist/ is missing or out of date, and TypeScript is not installed to build it: run " +
        "`npm install` (or `npm ci` without --omit=dev), then `npm run build`.\n",
    );
    process.exit(1);
  }
  rmSync(DIST, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    process.stderr.write("The build failed: nothing was started.\n");
    process.exit(1);
  }
  cpSync(path.join(ROOT, "src"), path.join(DIST, "src"), {
    recursive: true,
    filter: (file) => statSync(file).isDirectory() || !notData(file),
  });
  // The stamp is the last file touched, so a build that stops half-way counts as stale.
  const now = new Date();
  utimesSync(STAMP, now, now);
}

/** Builds when {@link isStale}; says so on standard error, since it takes a few seconds. */
export function buildIfStale() {
  if (!isStale()) return;
  process.stderr.write("Building dist/ (npm run build): it is missing or older than src/\n");
  build();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
