/**
 * Files in the corpus folder are opened once and checked through the handle: what is read is
 * what was checked. Real files, symbolic links, hard links and named pipes on disk.
 */
import { execFileSync } from "node:child_process";
import { link, rename, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { loadCorpus } from "../../src/core/corpus.js";
import { formatProblem } from "../../src/core/problem.js";
import { articleText, useTempFolders } from "../support/corpus-folder.js";

/**
 * A swap to make right after the corpus loader's first file-system call on `path` returns:
 * the moment between a check and a read, made deterministic. Every function the loader could
 * use to reach a file is wrapped, so that the swap happens whichever it calls first.
 */
const race: { path?: string; swap?: () => Promise<void> } = {};

// Test files share one module cache (vitest.config.ts, `isolate: false`): forget the modules
// an earlier file loaded, so that the loader imported above is evaluated again with the mock,
// and forget them again afterwards, so that later files get the real module.
vi.hoisted(() => vi.resetModules());
afterAll(() => {
  vi.doUnmock("node:fs/promises");
  vi.resetModules();
});

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await fn(...args);
      const { path: target, swap } = race;
      if (swap && String(args[0]) === target) {
        race.swap = undefined;
        await swap();
      }
      return result;
    };
  const wrapped = {
    ...real,
    open: wrap(real.open),
    lstat: wrap(real.lstat),
    stat: wrap(real.stat),
    realpath: wrap(real.realpath),
    readFile: wrap(real.readFile),
  };
  return { ...wrapped, default: wrapped };
});

const folders = useTempFolders();

const article = (sentence: string) =>
  articleText({
    outlet: "Harbour Post",
    headline: "The ferry to Dunmore",
    url: "https://harbourpost.example/ferry",
    paragraphs: [sentence],
  });

const INSIDE = "The ferry to Dunmore will run twice a day from March.";
const OUTSIDE = "This private note lives outside the corpus folder.";

async function problemsIn(dir: string): Promise<string[]> {
  return (await loadCorpus(dir)).problems.map(formatProblem);
}

describe("a file is checked through the handle it is read from", () => {
  it("reads the file it checked when the name is swapped for a link outside between check and read", async () => {
    const dir = await folders.create({ "story.md": article(INSIDE) });
    const outside = path.join(path.dirname(dir), "outside.md");
    await writeFile(outside, article(OUTSIDE));
    const name = path.join(dir, "story.md");
    race.path = name;
    race.swap = async () => {
      await rename(name, path.join(dir, "story.md.old"));
      await symlink(outside, name);
    };
    const load = await loadCorpus(dir);
    expect(race.swap).toBeUndefined(); // the swap happened
    const texts = load.parsed.flatMap((a) => a.paragraphs.map((p) => p.text));
    expect(texts).not.toContain(OUTSIDE);
    expect(texts).toEqual([INSIDE]);
  });

  it("refuses a file removed after it was opened rather than reading another", async () => {
    const dir = await folders.create({ "story.md": article(INSIDE) });
    const outside = path.join(path.dirname(dir), "outside.md");
    await writeFile(outside, article(OUTSIDE));
    const name = path.join(dir, "story.md");
    race.path = name;
    race.swap = async () => {
      await writeFile(path.join(dir, "new.tmp"), article(OUTSIDE));
      await rename(path.join(dir, "new.tmp"), name);
    };
    const load = await loadCorpus(dir);
    expect(race.swap).toBeUndefined();
    expect(load.parsed.flatMap((a) => a.paragraphs.map((p) => p.text))).not.toContain(OUTSIDE);
    expect(load.problems.map(formatProblem)).toEqual([
      "seeds/story.md:1: was removed while it was being read; try again",
    ]);
  });
});

describe("hard links are refused", () => {
  it("refuses a hard link to a file outside the folder", async () => {
    const dir = await folders.create({ "a.md": article(INSIDE) });
    const outside = path.join(path.dirname(dir), "outside.md");
    await writeFile(outside, article(OUTSIDE));
    await link(outside, path.join(dir, "b.md"));
    expect(await problemsIn(dir)).toEqual([
      "seeds/b.md:1: has 2 names (a hard link), so it may be a file outside the folder; copy the file in instead",
    ]);
  });

  it("refuses an alias table that is a hard link", async () => {
    const dir = await folders.create({ "a.md": article(INSIDE) });
    const outside = path.join(path.dirname(dir), "aliases.yaml");
    await writeFile(outside, "aliases:\n  dunmore: [dunmoor]\n");
    await link(outside, path.join(dir, "aliases.yaml"));
    expect(await problemsIn(dir)).toEqual([
      "seeds/aliases.yaml:1: has 2 names (a hard link), so it may be a file outside the folder; copy the file in instead",
    ]);
  });

  it("still follows a symbolic link to a file inside the folder", async () => {
    const dir = await folders.create({ "story.txt": article(INSIDE) });
    await symlink(path.join(dir, "story.txt"), path.join(dir, "story.md"));
    const load = await loadCorpus(dir);
    expect(load.problems).toEqual([]);
    expect(load.corpus?.articles.map((a) => a.slug)).toEqual(["story"]);
  });

  it("refuses a relative symbolic link that climbs out of the folder", async () => {
    const dir = await folders.create({ "a.md": article(INSIDE) });
    await writeFile(path.join(path.dirname(dir), "outside.md"), article(OUTSIDE));
    await symlink("../outside.md", path.join(dir, "b.md"));
    expect(await problemsIn(dir)).toEqual([
      "seeds/b.md:1: is a symbolic link to a file outside the folder; copy the file in instead",
    ]);
  });
});

describe("what is not a regular file is refused without waiting on it", () => {
  it("refuses a named pipe named like an article, and does not hang", async () => {
    const dir = await folders.create({ "a.md": article(INSIDE) });
    execFileSync("mkfifo", [path.join(dir, "pipe.md")]);
    expect(await problemsIn(dir)).toEqual(["seeds/pipe.md:1: is not a regular file"]);
  });
});
