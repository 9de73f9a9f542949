import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/core/corpus.js";
import { formatNotice, formatProblem } from "../../src/core/problem.js";
import { type ArticleSpec, articleText, useTempFolders } from "../support/corpus-folder.js";

const folders = useTempFolders();

function article(n: number, overrides: Partial<ArticleSpec> = {}): string {
  return articleText({
    outlet: "Harbour Post",
    headline: `Harbour story number ${n}`,
    url: `https://harbourpost.example/story-${n}`,
    published: "2026-01-05",
    paragraphs: [`Story number ${n} says the ferry to Dunmore will run twice a day from March.`],
    ...overrides,
  });
}

async function problemsIn(dir: string): Promise<string[]> {
  return (await loadCorpus(dir)).problems.map(formatProblem);
}

describe("loading a folder of valid articles", () => {
  it("returns every article, ordered by file, and the alias table", async () => {
    const dir = await folders.create({
      "b.md": article(2),
      "a.md": article(1),
      "aliases.yaml": "aliases:\n  dunmore: [dunmoor]\n",
      "notes.txt": "not an article",
      ".a.md.swp": "editor swap file",
    });
    const load = await loadCorpus(dir);
    expect(load.problems).toEqual([]);
    expect(load.corpus?.articles.map((a) => a.file)).toEqual(["seeds/a.md", "seeds/b.md"]);
    expect(load.corpus?.aliases).toEqual({
      groups: [{ canonical: "dunmore", variants: ["dunmoor"] }],
    });
  });

  it("works without an alias table", async () => {
    const load = await loadCorpus(await folders.create({ "a.md": article(1) }));
    expect(load.corpus?.aliases).toEqual({ groups: [] });
  });

  it("labels problems with the name given for the folder", async () => {
    const dir = await folders.create({ "a.md": "no front matter\n" });
    const load = await loadCorpus(dir, "corpus/en");
    expect(load.problems.map(formatProblem)).toEqual([
      "corpus/en/a.md:1: missing front matter: the file must start with a line `---`",
    ]);
  });

  it("follows a symbolic link to a file inside the folder", async () => {
    const dir = await folders.create({ "story.txt": article(1) });
    await symlink(path.join(dir, "story.txt"), path.join(dir, "story.md"));
    const load = await loadCorpus(dir);
    expect(load.problems).toEqual([]);
    expect(load.corpus?.articles.map((a) => a.slug)).toEqual(["story"]);
  });
});

describe("problems of the folder as a whole", () => {
  it("reports an empty folder", async () => {
    expect(await problemsIn(await folders.create())).toEqual([
      "seeds:1: holds no article files (*.md)",
    ]);
  });

  it("reports a folder with only an alias table", async () => {
    expect(await problemsIn(await folders.create({ "aliases.yaml": "aliases: {}\n" }))).toEqual([
      "seeds:1: holds no article files (*.md)",
    ]);
  });

  it("reports a missing folder without its absolute path", async () => {
    const dir = path.join(path.dirname(await folders.create()), "nowhere");
    const load = await loadCorpus(dir);
    expect(load.problems.map(formatProblem)).toEqual([
      "nowhere:1: cannot read the folder: it does not exist",
    ]);
    expect(load.corpus).toBeUndefined();
  });

  it("reports a file given in place of a folder", async () => {
    const dir = await folders.create({ "a.md": article(1) });
    expect(
      (await loadCorpus(path.join(dir, "a.md"), "seeds/a.md")).problems.map(formatProblem),
    ).toEqual(["seeds/a.md:1: is not a folder"]);
  });
});

describe("problems of single files in the folder", () => {
  it("refuses a symbolic link to a file outside the folder", async () => {
    const dir = await folders.create({ "a.md": article(1) });
    const outside = path.join(path.dirname(dir), "outside.md");
    await writeFile(outside, article(2));
    await symlink(outside, path.join(dir, "b.md"));
    expect(await problemsIn(dir)).toEqual([
      "seeds/b.md:1: is a symbolic link to a file outside the folder; copy the file in instead",
    ]);
  });

  it("refuses a folder named like an article", async () => {
    const dir = await folders.create({ "a.md": article(1) });
    await mkdir(path.join(dir, "x.md"));
    expect(await problemsIn(dir)).toEqual(["seeds/x.md:1: is a folder, not an article file"]);
  });

  it("refuses a file over 1 MB without reading it", async () => {
    const dir = await folders.create({
      "a.md": article(1),
      "big.md": `${article(2)}${"x".repeat(1024 * 1024)}`,
    });
    expect(await problemsIn(dir)).toEqual([
      "seeds/big.md:1: file is 1.0 MB; an article may be at most 1 MB",
    ]);
  });

  it("refuses two files whose names give the same slug", async () => {
    const dir = await folders.create({
      "My Article.md": article(1),
      "my-article.md": article(2),
    });
    expect(await problemsIn(dir)).toEqual([
      'seeds/my-article.md:1: duplicate slug "my-article" (also seeds/My Article.md)',
    ]);
  });

  it("refuses two files with the same url", async () => {
    const dir = await folders.create({
      "a.md": article(1),
      "b.md": article(2, { url: "https://harbourpost.example/story-1" }),
    });
    expect(await problemsIn(dir)).toEqual([
      'seeds/b.md:1: duplicate url "https://harbourpost.example/story-1" (also seeds/a.md)',
    ]);
  });

  it("reports a broken alias table with the articles", async () => {
    const dir = await folders.create({
      "a.md": article(1),
      "aliases.yaml": "aliases:\n  dunmore: [dunmoor]\nsynonyms:\n  - [ferry, boat]\n",
    });
    expect(await problemsIn(dir)).toEqual([
      'seeds/aliases.yaml:3: unknown section "synonyms"; the sections are "aliases" and "related"',
    ]);
  });
});

describe("every problem of the folder is reported at once", () => {
  it("lists the problems of several broken files together, sorted by file and line", async () => {
    const dir = await folders.create({
      "a-good.md": article(1),
      "b-no-front-matter.md": "Just pasted text, no front matter at all.\n",
      "c-bad-fields.md": article(3, { url: "javascript:alert(1)", published: "2026-02-30" }),
      "d-copy.md": article(4, { url: "https://harbourpost.example/story-1" }),
      "e-latin1.md": Buffer.from(article(5, { headline: "Caf\u00e9 talks" }), "latin1"),
      "aliases.yaml": "aliases:\n  ferry: [boat]\n  port: [Boat]\n",
    });
    await mkdir(path.join(dir, "f-folder.md"));
    const load = await loadCorpus(dir);
    expect(load.corpus).toBeUndefined();
    expect(load.problems.map(formatProblem)).toEqual([
      'seeds/aliases.yaml:3: "Boat" is listed under both "ferry" and "port"',
      "seeds/b-no-front-matter.md:1: missing front matter: the file must start with a line `---`",
      "seeds/c-bad-fields.md:4: url must be an http:// or https:// link to the article",
      "seeds/c-bad-fields.md:5: published must be a real date written YYYY-MM-DD, e.g. 2026-01-05",
      'seeds/d-copy.md:1: duplicate url "https://harbourpost.example/story-1" (also seeds/a-good.md)',
      "seeds/e-latin1.md:3: file is not UTF-8 text; save it as UTF-8",
      "seeds/f-folder.md:1: is a folder, not an article file",
    ]);
    // The seed check still sees what did parse.
    expect(load.parsed.map((a) => a.file)).toEqual(["seeds/a-good.md", "seeds/d-copy.md"]);
  });
});

describe("files the loader does not read are named, and names that break the rule are reported", () => {
  it("names a file that is not an article or the alias table as ignored, without failing", async () => {
    const dir = await folders.create({
      "a.md": article(1),
      "notes.txt": "not an article",
      "draft.markdown": article(2),
      "aliases.yml": "aliases: {}\n",
      ".a.md.swp": "editor swap file",
    });
    await mkdir(path.join(dir, "old"));
    const load = await loadCorpus(dir);
    expect(load.problems).toEqual([]);
    expect(load.notices.map(formatNotice)).toEqual([
      "seeds/aliases.yml: ignored: the alias table must be named exactly aliases.yaml",
      "seeds/draft.markdown: ignored: only *.md articles and aliases.yaml are read",
      "seeds/notes.txt: ignored: only *.md articles and aliases.yaml are read",
      "seeds/old: ignored: a folder (only files directly in this folder are read)",
    ]);
  });

  it("reports an article whose name breaks the naming rule with the slug it got", async () => {
    const dir = await folders.create({
      "Windows Notes.md": article(1),
      "Café_Story.MD": article(2),
      "good-name-2.md": article(3),
    });
    const load = await loadCorpus(dir);
    expect(load.problems).toEqual([]);
    expect(load.corpus?.articles.map((a) => a.slug).sort()).toEqual([
      "cafe-story",
      "good-name-2",
      "windows-notes",
    ]);
    expect(load.notices.map(formatNotice)).toEqual([
      'seeds/Café_Story.MD: the name breaks the naming rule (lower-case words and hyphens, e.g. cafe-story.md); loaded with the slug "cafe-story"',
      'seeds/Windows Notes.md: the name breaks the naming rule (lower-case words and hyphens, e.g. windows-notes.md); loaded with the slug "windows-notes"',
    ]);
  });

  it("names ignored files even when the load fails", async () => {
    const dir = await folders.create({ "a.md": "no front matter\n", "a.txt": "x" });
    const load = await loadCorpus(dir);
    expect(load.problems).toHaveLength(1);
    expect(load.notices.map((n) => n.file)).toEqual(["seeds/a.txt"]);
  });
});
