import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs `npm run ask -- …` as npm does (the script itself), and returns what it printed. */
async function ask(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/cli/ask.ts", ...args],
      { cwd: ROOT },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run ask explains a mistake on the command line", () => {
  const cases: Array<[string[], string]> = [
    [["--nosuch", "question"], "npm run ask: unknown option --nosuch"],
    [["-x"], "npm run ask: unknown option -x"],
    [["--outlet"], 'npm run ask: --outlet needs a value, e.g. --outlet "Asiatoday"'],
    [["--outlet", "--all", "q"], 'npm run ask: --outlet needs a value, e.g. --outlet "Asiatoday"'],
    [["--json=yes"], "npm run ask: --json takes no value"],
  ];
  for (const [args, first] of cases) {
    it(`answers ${args.join(" ")} with one line and the usage, exit code 2`, async () => {
      const result = await ask(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      const lines = result.stderr.split("\n");
      expect(lines[0]).toBe(first);
      expect(lines[2]).toBe("Usage:");
      expect(result.stderr).not.toMatch(
        /ERR_PARSE_ARGS|TypeError|at .*\.js|To specify a positional/,
      );
    });
  }

  it("shows npm run --silent for --json in the usage, and in the README", async () => {
    const { stdout, code } = await ask(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("npm run --silent ask -- --json");
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    for (const line of readme.split("\n").filter((l) => /\bask -- --json/.test(l))) {
      expect(line).toContain("npm run --silent ask -- --json");
    }
  });
});

describe("npm run ask names outlets and sources its own way", () => {
  it("takes any unambiguous word of an outlet's name", async () => {
    const result = await ask(["--outlet", "STRAITS", "what phone did Lee use for the selfie?"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("— The Straits Times,");
  });

  it("refuses an unknown or ambiguous outlet with exit code 1", async () => {
    const unknown = await ask(["--outlet", "nosuch", "who took the selfie?"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no outlet called "nosuch"');
    expect(unknown.stderr).toContain("npm run ask -- --sources lists them.");
    const ambiguous = await ask(["--outlet", "the", "who took the selfie?"]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('"the" could be The Independent or The Straits Times');
  });

  it("lists the sources with --sources, and names that flag, never /source, when it declines", async () => {
    const sources = await ask(["--sources"]);
    expect(sources.code).toBe(0);
    expect(sources.stdout).toMatch(/^5 outlets, 5 articles, \d+ paragraphs\./);
    expect(sources.stdout).toContain("The Straits Times");
    const declined = await ask(["how tall is Xi?"]);
    expect(declined.code).toBe(0);
    expect(declined.stdout).toContain("npm run ask -- --sources lists every article.");
    expect(declined.stdout).not.toContain("/source");
  });
});
