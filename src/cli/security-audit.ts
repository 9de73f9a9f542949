/**
 * `npm run security-audit`: `npm audit` of the production dependencies, in one line. Exits 0
 * when no high or critical advisory is known, 1 when one is, and 3 when the audit could not
 * run (a registry without an advisory service): that is said plainly, with the date, and not
 * counted as a pass. RELIABILITY.md keeps the review of each production dependency for then.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { auditVerdict } from "./dependency-review.js";
import { runScript } from "./run.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

async function main(): Promise<number> {
  const output = await new Promise<string>((resolve) => {
    // npm audit exits non-zero both for advisories and for a failed request; the JSON tells.
    execFile(
      "npm",
      ["audit", "--omit=dev", "--audit-level=high", "--json"],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout) => resolve(stdout),
    );
  });
  const verdict = auditVerdict(output, new Date().toISOString().slice(0, 10));
  process.stdout.write(`${verdict.line}\n`);
  if (verdict.status === "not-run") {
    process.stdout.write(
      "  the production dependencies' versions and when each was last reviewed are in RELIABILITY.md (npm run deps-review)\n",
    );
  }
  return verdict.status === "pass" ? 0 : verdict.status === "fail" ? 1 : 3;
}

runScript(main);
