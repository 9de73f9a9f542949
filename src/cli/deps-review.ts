/**
 * `npm run deps-review`: writes the table of production dependencies in RELIABILITY.md from
 * package.json and package-lock.json. A row keeps its review date while its locked version is
 * the one reviewed; a changed version reads "not reviewed".
 *
 * `-- --reviewed YYYY-MM-DD` records that every row was reviewed that day.
 * `-- --check` changes nothing: exits 1, naming each, when a dependency was added, removed,
 * changed version or is not reviewed (CI runs this).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { plural } from "../core/wording.js";
import {
  dependencyRows,
  type PackageJson,
  type PackageLock,
  parseTable,
  renderTable,
  replaceTable,
  reviewProblems,
  withReviews,
} from "./dependency-review.js";
import { runScript } from "./run.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RECORD = path.join(ROOT, "RELIABILITY.md");

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { check: { type: "boolean", default: false }, reviewed: { type: "string" } },
    strict: true,
  });
  if (values.reviewed !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.reviewed)) {
    throw new Error("--reviewed takes the review's date as YYYY-MM-DD, e.g. --reviewed 2026-12-03");
  }
  const read = async <T>(file: string) =>
    JSON.parse(await readFile(path.join(ROOT, file), "utf8")) as T;
  const rows = dependencyRows(
    await read<PackageJson>("package.json"),
    await read<PackageLock>("package-lock.json"),
  );
  const markdown = await readFile(RECORD, "utf8");

  if (values.check) {
    const problems = reviewProblems(markdown, rows);
    if (problems.length > 0) {
      process.stdout.write(
        `dependency review: RELIABILITY.md is out of date (run npm run deps-review, review, then npm run deps-review -- --reviewed <date>):\n${problems.map((p) => `  - ${p}`).join("\n")}\n`,
      );
      return 1;
    }
    const dates = [...parseTable(markdown).values()].map((r) => r.reviewed ?? "").sort();
    process.stdout.write(
      `dependency review: ${plural(rows.length, "production dependency", "production dependencies")} at their locked versions, last reviewed ${dates[0]}${dates[0] === dates.at(-1) ? "" : ` to ${dates.at(-1)}`} (RELIABILITY.md)\n`,
    );
    return 0;
  }

  const reviewed = withReviews(rows, parseTable(markdown), values.reviewed);
  await writeFile(RECORD, replaceTable(markdown, renderTable(reviewed)));
  const pending = reviewed.filter((r) => r.reviewed === undefined).map((r) => r.name);
  process.stdout.write(
    `RELIABILITY.md: ${plural(reviewed.length, "production dependency", "production dependencies")}${pending.length > 0 ? `; not reviewed: ${pending.join(", ")}` : ", all reviewed"}\n`,
  );
  return 0;
}

runScript(main);
