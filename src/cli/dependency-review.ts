/**
 * The record of the production dependencies kept in RELIABILITY.md, and the verdict of
 * `npm audit`. Pure functions: the scripts `deps-review` and `security-audit` do the reading,
 * writing and running.
 */
import { plural } from "../core/wording.js";

/** The parts of package.json and package-lock.json (lockfileVersion 3) used here. */
export interface PackageJson {
  dependencies?: Record<string, string>;
}
export interface PackageLock {
  packages: Record<
    string,
    { version?: string; license?: string; dependencies?: Record<string, string>; dev?: boolean }
  >;
}

export interface DependencyRow {
  name: string;
  /** The range asked for in package.json. */
  range: string;
  /** The version package-lock.json installs. */
  version: string;
  license: string;
  /** How many packages it brings in, itself included (required dependencies, not optional ones). */
  packages: number;
  /** `YYYY-MM-DD`, or undefined when this version has not been reviewed. */
  reviewed?: string;
}

export const TABLE_START = "<!-- deps-review:start (npm run deps-review writes this table) -->";
export const TABLE_END = "<!-- deps-review:end -->";
const NOT_REVIEWED = "not reviewed";

/** The production dependencies as package.json asks and package-lock.json installs them. */
export function dependencyRows(pkg: PackageJson, lock: PackageLock): DependencyRow[] {
  return Object.entries(pkg.dependencies ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, range]) => {
      const where = `node_modules/${name}`;
      const entry = lock.packages[where];
      return {
        name,
        range,
        version: entry?.version ?? "not in the lock file",
        license: entry?.license ?? "unknown",
        packages: closure(lock, where).size,
      };
    });
}

/** The lock-file locations a package needs, itself included (Node's resolution rules). */
function closure(lock: PackageLock, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (where: string) => {
    if (seen.has(where) || lock.packages[where] === undefined) return;
    seen.add(where);
    for (const dep of Object.keys(lock.packages[where]?.dependencies ?? {})) {
      const found = resolve(lock, where, dep);
      if (found) visit(found);
    }
  };
  visit(start);
  return seen;
}

function resolve(lock: PackageLock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    const up = base.lastIndexOf("/node_modules/");
    if (up === -1) break;
    base = base.slice(0, up);
  }
  return lock.packages[`node_modules/${name}`] ? `node_modules/${name}` : undefined;
}

/** Reads the rows of a table written by {@link renderTable} (name, version and review date). */
export function parseTable(markdown: string): Map<string, { version: string; reviewed?: string }> {
  const rows = new Map<string, { version: string; reviewed?: string }>();
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start === -1 || end < start) return rows;
  for (const line of markdown.slice(start, end).split("\n")) {
    const cells = line.split("|").map((c) => c.trim().replace(/^`|`$/g, ""));
    const [, name, , version, , , reviewed] = cells;
    if (!name || !version || !reviewed || !/^\d/.test(version)) continue;
    rows.set(name, {
      version,
      ...(/^\d{4}-\d{2}-\d{2}$/.test(reviewed) && { reviewed }),
    });
  }
  return rows;
}

/**
 * Carries review dates over from the previous table: a row keeps its date while its version
 * is the one that was reviewed. With `reviewedOn`, every row is marked reviewed that day.
 */
export function withReviews(
  rows: DependencyRow[],
  previous: ReturnType<typeof parseTable>,
  reviewedOn?: string,
): DependencyRow[] {
  return rows.map((row) => {
    const before = previous.get(row.name);
    const reviewed = reviewedOn ?? (before?.version === row.version ? before.reviewed : undefined);
    return { ...row, ...(reviewed !== undefined && { reviewed }) };
  });
}

export function renderTable(rows: DependencyRow[]): string {
  const total = rows.reduce((n, r) => n + r.packages, 0);
  return [
    TABLE_START,
    "",
    "| package | asked for | locked version | licence | packages it brings in | last reviewed |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| \`${r.name}\` | \`${r.range}\` | ${r.version} | ${r.license} | ${r.packages} | ${r.reviewed ?? NOT_REVIEWED} |`,
    ),
    "",
    `${plural(rows.length, "production dependency", "production dependencies")}; ${plural(total, "package")} with what they bring in (a package shared by two counts twice; optional platform binaries, such as esbuild's, are not counted).`,
    "",
    TABLE_END,
  ].join("\n");
}

/** Replaces the table in `markdown`; appends it when there is none yet. */
export function replaceTable(markdown: string, table: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start === -1 || end < start) return `${markdown.trimEnd()}\n\n${table}\n`;
  return markdown.slice(0, start) + table + markdown.slice(end + TABLE_END.length);
}

/** What is wrong with the record: versions changed or never reviewed, packages added or gone. */
export function reviewProblems(markdown: string, rows: DependencyRow[]): string[] {
  const recorded = parseTable(markdown);
  const problems: string[] = [];
  for (const row of rows) {
    const before = recorded.get(row.name);
    if (!before) problems.push(`${row.name} ${row.version} is not in the table`);
    else if (before.version !== row.version)
      problems.push(`${row.name} is ${row.version} now; the table records ${before.version}`);
    else if (before.reviewed === undefined)
      problems.push(`${row.name} ${row.version} is not reviewed`);
  }
  for (const name of recorded.keys()) {
    if (!rows.some((r) => r.name === name)) problems.push(`${name} is no longer a dependency`);
  }
  return problems;
}

export type AuditVerdict =
  | { status: "pass" | "fail"; line: string }
  | { status: "not-run"; line: string };

/**
 * Reads `npm audit --omit=dev --audit-level=high --json`'s output. When the registry has no
 * advisory service (some answer 405) or the output is unreadable, says the audit did not run,
 * and on which day, instead of passing it.
 */
export function auditVerdict(output: string, today: string): AuditVerdict {
  const prefix = "npm audit --omit=dev:";
  let report: {
    metadata?: { vulnerabilities?: { high: number; critical: number } };
    statusCode?: number;
    message?: string;
    error?: { code?: string; summary?: string };
  };
  try {
    report = JSON.parse(output);
  } catch {
    return { status: "not-run", line: `${prefix} could not run on ${today}: unreadable output` };
  }
  const v = report.metadata?.vulnerabilities;
  if (!v) {
    const why =
      report.statusCode !== undefined
        ? `the registry's advisory service answered ${report.statusCode}`
        : (report.error?.code ?? report.error?.summary ?? report.message ?? "no report");
    return {
      status: "not-run",
      line: `${prefix} could not run on ${today} (${why}); no advisories were checked`,
    };
  }
  if (v.high + v.critical > 0) {
    return { status: "fail", line: `${prefix} ${v.high} high, ${v.critical} critical` };
  }
  return { status: "pass", line: `${prefix} no high or critical vulnerabilities (${today})` };
}
