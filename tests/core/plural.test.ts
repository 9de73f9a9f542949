import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CorpusError } from "../../src/core/problem.js";
import { plural } from "../../src/core/wording.js";
import { articleText, useTempFolders } from "../support/corpus-folder.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const folders = useTempFolders();

describe("counts agree with their numbers", () => {
  it("says 1 paragraph, 0 paragraphs, 2 paragraphs", () => {
    expect(plural(1, "paragraph")).toBe("1 paragraph");
    expect(plural(0, "paragraph")).toBe("0 paragraphs");
    expect(plural(2, "paragraph")).toBe("2 paragraphs");
  });

  it("takes the plural when it is not the word plus s", () => {
    expect(plural(1, "production dependency", "production dependencies")).toBe(
      "1 production dependency",
    );
    expect(plural(12, "production dependency", "production dependencies")).toBe(
      "12 production dependencies",
    );
  });

  it("says the corpus has 1 problem", () => {
    expect(new CorpusError([{ file: "seeds/a.md", line: 1, message: "x" }]).message).toBe(
      "the corpus has 1 problem",
    );
  });

  it("check-seeds says 1 paragraph kept, 1 line dropped, and OK: 1 article, 1 paragraph", async () => {
    const dir = await folders.create({
      "ferry.md": articleText({
        outlet: "Harbour Post",
        headline: "The ferry to Dunmore",
        url: "https://harbourpost.example/ferry",
        paragraphs: ["The ferry to Dunmore will run twice a day from March.", "Share this article"],
      }),
    });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/cli/check-seeds.ts", dir],
      { cwd: ROOT },
    );
    expect(stdout).toContain(": 1 paragraph kept, 1 line dropped\n");
    expect(stdout).toContain("OK: 1 article, 1 paragraph.\n");
  });
});
