import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import {
  auditVerdict,
  dependencyRows,
  type PackageJson,
  type PackageLock,
  parseTable,
  renderTable,
  reviewProblems,
  withReviews,
} from "../../src/cli/dependency-review.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = async <T>(file: string) =>
  JSON.parse(await readFile(path.join(ROOT, file), "utf8")) as T;

/** What npm audit printed against this project's registry, which has no advisory service. */
const REGISTRY_405 = JSON.stringify({
  message:
    "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
  method: "POST",
  uri: "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
  statusCode: 405,
  body: "",
  error: { summary: "", detail: "" },
});
const report = (high: number, critical: number) =>
  JSON.stringify({
    metadata: { vulnerabilities: { info: 0, low: 2, moderate: 1, high, critical } },
  });

describe("the security audit says what it checked", () => {
  it("says plainly, with the date, that the audit could not run when the registry answers 405", () => {
    expect(auditVerdict(REGISTRY_405, "2026-12-03")).toEqual({
      status: "not-run",
      line: "npm audit --omit=dev: could not run on 2026-12-03 (the registry's advisory service answered 405); no advisories were checked",
    });
  });

  it("does not pass output it cannot read", () => {
    expect(auditVerdict("npm error something", "2026-12-03").status).toBe("not-run");
  });

  it("fails on a high or critical advisory and passes with only lower ones", () => {
    expect(auditVerdict(report(1, 0), "2026-12-03")).toEqual({
      status: "fail",
      line: "npm audit --omit=dev: 1 high, 0 critical",
    });
    expect(auditVerdict(report(0, 0), "2026-12-03").status).toBe("pass");
  });
});

describe("RELIABILITY.md records the production dependencies and their review", () => {
  it("lists every production dependency at the version package-lock.json installs, reviewed", async () => {
    const rows = dependencyRows(
      await read<PackageJson>("package.json"),
      await read<PackageLock>("package-lock.json"),
    );
    expect(rows.map((r) => r.name)).toContain("discord.js");
    const markdown = await readFile(path.join(ROOT, "RELIABILITY.md"), "utf8");
    expect(reviewProblems(markdown, rows)).toEqual([]);
  });

  const lock = (version: string): PackageLock => ({
    packages: {
      "": {},
      "node_modules/a": { version, license: "MIT", dependencies: { b: "^1" } },
      "node_modules/b": { version: "1.0.0", license: "ISC" },
      "node_modules/c": { version: "2.0.0", license: "MIT" },
    },
  });
  const pkg: PackageJson = { dependencies: { a: "^1.0.0", c: "^2.0.0" } };

  it("keeps a review date while the version is the one reviewed, and drops it when it changes", () => {
    const reviewed = renderTable(
      withReviews(dependencyRows(pkg, lock("1.0.0")), new Map(), "2026-12-03"),
    );
    expect(parseTable(reviewed).get("a")).toEqual({ version: "1.0.0", reviewed: "2026-12-03" });

    const updated = dependencyRows(pkg, lock("1.1.0"));
    expect(reviewProblems(reviewed, updated)).toEqual(["a is 1.1.0 now; the table records 1.0.0"]);
    const rewritten = renderTable(withReviews(updated, parseTable(reviewed)));
    expect(rewritten).toContain("| `a` | `^1.0.0` | 1.1.0 | MIT | 2 | not reviewed |");
    expect(rewritten).toContain("| `c` | `^2.0.0` | 2.0.0 | MIT | 1 | 2026-12-03 |");
    expect(reviewProblems(rewritten, updated)).toEqual(["a 1.1.0 is not reviewed"]);
  });

  it("names a dependency added or removed since the review", () => {
    const reviewed = renderTable(
      withReviews(dependencyRows(pkg, lock("1.0.0")), new Map(), "2026-12-03"),
    );
    const now = dependencyRows({ dependencies: { a: "^1.0.0", d: "^1.0.0" } }, lock("1.0.0"));
    expect(reviewProblems(reviewed, now)).toEqual([
      "d not in the lock file is not in the table",
      "c is no longer a dependency",
    ]);
  });
});

describe(".ci/run", () => {
  let stubs: string | undefined;
  afterAll(async () => {
    if (stubs) await rm(stubs, { recursive: true, force: true });
  });

  it("says the audit did not run, with the date, counts the dependency review, and ends with one tally line", async () => {
    // A stand-in npm: install, tests (3), the soak and the deploy check succeed, the registry answers the audit with
    // 405, and the project's own scripts run for real.
    stubs = await mkdtemp(path.join(tmpdir(), "summit-desk-ci-"));
    await writeFile(path.join(stubs, "audit-405.json"), REGISTRY_405);
    const npm = path.join(stubs, "npm");
    await writeFile(
      npm,
      `#!/usr/bin/env bash
case "$1" in
  ci) exit 0 ;;
  test)
    for arg in "$@"; do case "$arg" in --outputFile=*) out="\${arg#--outputFile=}" ;; esac; done
    echo '{"numPassedTests":3,"numFailedTests":0,"numPendingTests":0,"numTodoTests":0}' > "$out"
    exit 0 ;;
  audit) cat "${stubs}/audit-405.json"; exit 1 ;;
  run)
    shift; [ "$1" = --silent ] && shift
    script="$1"; shift; [ "\${1:-}" = -- ] && shift
    case "$script" in
      soak | check-deploy) exit 0 ;;
      *) exec node --import tsx "src/cli/$script.ts" "$@" ;;
    esac ;;
esac
echo "unexpected npm $*" >&2; exit 9
`,
    );
    await chmod(npm, 0o755);
    const { stdout } = await promisify(execFile)("bash", [path.join(ROOT, ".ci/run")], {
      env: { ...process.env, PATH: `${stubs}:${process.env.PATH}` },
    });
    const lines = stdout.trim().split("\n");
    expect(lines.filter((l) => /^\d+ passed, \d+ failed$/.test(l))).toEqual(["6 passed, 0 failed"]);
    expect(lines.at(-1)).toBe("6 passed, 0 failed");
    expect(stdout).toMatch(
      /npm audit --omit=dev: could not run on \d{4}-\d{2}-\d{2} \(the registry's advisory service answered 405\)/,
    );
    expect(stdout).toMatch(
      /dependency review: \d+ production dependencies at their locked versions/,
    );
  });
});
