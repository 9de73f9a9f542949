import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { articleText, useTempFolders } from "../support/corpus-folder.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const folders = useTempFolders();

const FERRY = articleText({
  outlet: "Harbour Post",
  headline: "The ferry to Dunmore",
  url: "https://harbourpost.example/ferry",
  paragraphs: ["The ferry to Dunmore will run twice a day from March."],
});

/** Runs `npm run check-seeds -- …` (the script itself) with `env` added. */
async function checkSeeds(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/cli/check-seeds.ts", ...args],
      { cwd: ROOT, env: { ...process.env, SEEDS_DIR: "", ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("check-seeds names what it does not read", () => {
  it("lists ignored files and a name that breaks the rule, and still passes", async () => {
    const dir = await folders.create({
      "ferry.md": FERRY,
      "notes.txt": "to do",
      "Ferry Two.md": FERRY.replace("/ferry", "/ferry-2"),
    });
    await mkdir(path.join(dir, "drafts"));
    const result = await checkSeeds(["--quiet", dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        "3 notes:",
        `${dir}/Ferry Two.md: the name breaks the naming rule (lower-case words and hyphens, e.g. ferry-two.md); loaded with the slug "ferry-two"`,
        `${dir}/drafts: ignored: a folder (only files directly in this folder are read)`,
        `${dir}/notes.txt: ignored: only *.md articles and aliases.yaml are read`,
      ].join("\n"),
    );
    expect(result.stdout).toContain("OK: 2 articles, 2 paragraphs.");
  });
});

describe("check-seeds names the folder SEEDS_DIR was set to", () => {
  it("refuses SEEDS_DIR=/nonexistent at start-up, naming it, although seeds/ exists", async () => {
    const result = await checkSeeds([], { SEEDS_DIR: "/nonexistent" });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('SEEDS_DIR is "/nonexistent", which does not exist');
    expect(result.stderr).not.toContain("seeds:1:");
  });

  it("labels the problems of the folder set with that folder's name", async () => {
    const dir = await folders.create({ "ferry.md": "no front matter\n" });
    const result = await checkSeeds([], { SEEDS_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${path.basename(dir)}/ferry.md:1: missing front matter: the file must start with a line \`---\``,
    );
  });

  it("checks SEEDS_DIR with the other settings, reporting every problem at once", async () => {
    const dir = await folders.create({ "ferry.md": FERRY });
    await writeFile(path.join(dir, "a-file"), "x");
    const result = await checkSeeds([], {
      SEEDS_DIR: path.join(dir, "a-file"),
      DISCORD_SHARDS: "0",
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(
      'DISCORD_SHARDS must be "auto" or a whole number of shards from 1 to 1000',
    );
    expect(result.stderr).toContain(
      `SEEDS_DIR is "${path.join(dir, "a-file")}", which is not a folder`,
    );
  });
});
