import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasChanges } from "../../src/core/changes.js";
import { Library, unexpectedProblem } from "../../src/core/library.js";
import { CorpusError, formatProblem } from "../../src/core/problem.js";
import { articleText, useTempFolders } from "../support/corpus-folder.js";

const folders = useTempFolders();

const STRAITS = "straitstimes-lee-snaps-xi-selfie-with-backdoor-phone";
const WORLDTRIBUNE = "worldtribune-lee-giddy-after-selfie-of-a-lifetime";

const QUESTIONS = [
  "How many times was Lee's selfie post shared?",
  "What did Xi joke about the phone?",
  "Which noodles did they eat at dinner?",
  "How many agreements were signed at the summit?",
];

const FERRY = articleText({
  outlet: "Harbour Post",
  headline: "New ferry link between Vell and Dunmore opens",
  url: "https://harbourpost.example/ferry",
  published: "2026-03-01",
  paragraphs: [
    "A new ferry link between Vell and Dunmore opened on Sunday, cutting the crossing to ninety minutes.",
    "Bicycles travel free on weekday mornings, the operator said.",
  ],
});

async function answersOf(library: Library) {
  return Promise.all(QUESTIONS.map((q) => library.answer(q)));
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(file, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(file, after);
}

describe("opening a library", () => {
  it("serves the corpus it was opened on", async () => {
    const library = await Library.open(await folders.copyOfSeeds());
    expect(await library.outlets()).toEqual([
      "allthe.news",
      "Asiatoday",
      "The Independent",
      "The Straits Times",
      "WorldTribune",
    ]);
    const sources = await library.sources();
    expect(sources.articleCount).toBe(5);
    expect(sources.paragraphCount).toBe(library.snapshot.index.passages.length);
    const [shared] = (await library.answer(QUESTIONS[0] ?? "")).results;
    expect(shared?.text).toContain("3,400 times");
  });

  it("refuses to open a broken corpus, with every problem", async () => {
    const dir = await folders.create({ "a.md": "no front matter\n", "b.md": "---\n" });
    const error = await Library.open(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as CorpusError).message).toBe("the corpus has 2 problems");
    expect((error as CorpusError).problems.map(formatProblem)).toEqual([
      "seeds/a.md:1: missing front matter: the file must start with a line `---`",
      "seeds/b.md:1: front matter is not closed: add a line `---` after the last key",
    ]);
  });
});

describe("a reload that fails keeps the old corpus", () => {
  it("reports every problem and keeps answering exactly as before", async () => {
    const dir = await folders.copyOfSeeds();
    const library = await Library.open(dir);
    const before = await answersOf(library);
    const sourcesBefore = await library.sources();
    const snapshot = library.snapshot;

    await edit(path.join(dir, `${STRAITS}.md`), (t) =>
      t.replace(/^url: .*$/m, 'url: "javascript:alert(1)"'),
    );
    await writeFile(path.join(dir, "pasted.md"), "Just the text, no front matter.\n");
    await writeFile(path.join(dir, "ferry.md"), FERRY);

    const outcome = await library.reload();
    expect(outcome.status).toBe("failed");
    if (outcome.status !== "failed") return;
    expect(outcome.problems.map(formatProblem)).toEqual([
      "seeds/pasted.md:1: missing front matter: the file must start with a line `---`",
      `seeds/${STRAITS}.md:4: url must be an http:// or https:// link to the article`,
    ]);
    expect(outcome.serving).toEqual({
      articles: 5,
      paragraphs: snapshot.index.passages.length,
      loadedAt: snapshot.loadedAt.toISOString(),
    });

    expect(library.snapshot).toBe(snapshot);
    expect(await answersOf(library)).toEqual(before);
    expect(await library.sources()).toEqual(sourcesBefore);
    expect((await library.answer("Do bicycles travel free on the ferry?")).answered).toBe(false);
  });

  it("keeps the old corpus when the folder disappears", async () => {
    const dir = await folders.copyOfSeeds();
    const library = await Library.open(dir);
    const before = await answersOf(library);
    await rename(dir, `${dir}-moved`);
    const outcome = await library.reload();
    expect(outcome.status).toBe("failed");
    expect(outcome.status === "failed" && outcome.problems.map(formatProblem)).toEqual([
      "seeds:1: cannot read the folder: it does not exist",
    ]);
    expect(await answersOf(library)).toEqual(before);
    await rename(`${dir}-moved`, dir);
  });
});

describe("a reload that succeeds swaps in the new corpus and says what changed", () => {
  it("counts articles and paragraphs added, removed and changed", async () => {
    const dir = await folders.copyOfSeeds();
    const library = await Library.open(dir);
    const paragraphsOf = (slug: string) =>
      library.snapshot.index.articles.find((a) => a.slug === slug)?.paragraphs.length ?? 0;
    const worldTribuneParagraphs = paragraphsOf(WORLDTRIBUNE);
    const totalBefore = library.snapshot.index.passages.length;
    expect(worldTribuneParagraphs).toBeGreaterThan(0);

    // First a broken state, then the fix: the failed reload must not disturb the next one.
    await writeFile(path.join(dir, "ferry.md"), "---\noutlet: Harbour Post\n");
    expect((await library.reload()).status).toBe("failed");

    await writeFile(path.join(dir, "ferry.md"), FERRY);
    await rm(path.join(dir, `${WORLDTRIBUNE}.md`));
    await edit(path.join(dir, `${STRAITS}.md`), (t) =>
      t
        .replace(
          "In the selfie, the presidential families are seen smiling.",
          "In the selfie, both presidential couples are seen smiling.",
        )
        .replace("One user quipped: “Sir, do you know Nicolas Maduro used the same phone?”\n", ""),
    );

    const outcome = await library.reload();
    expect(outcome.status).toBe("reloaded");
    if (outcome.status !== "reloaded") return;
    expect(outcome.changes).toEqual({
      articles: { added: ["ferry"], removed: [WORLDTRIBUNE], changed: [STRAITS] },
      paragraphs: { added: 2, removed: worldTribuneParagraphs + 1, changed: 1 },
    });
    expect(outcome.serving.articles).toBe(5);
    expect(outcome.serving.paragraphs).toBe(totalBefore - worldTribuneParagraphs - 1 + 2);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);

    const [bicycles] = (await library.answer("Do bicycles travel free on the ferry?")).results;
    expect(bicycles?.citation.url).toBe("https://harbourpost.example/ferry");
    expect(await library.outlets()).not.toContain("WorldTribune");
  });

  it("reports no changes when nothing changed", async () => {
    const library = await Library.open(await folders.copyOfSeeds());
    const outcome = await library.reload();
    expect(outcome.status).toBe("reloaded");
    expect(outcome.status === "reloaded" && hasChanges(outcome.changes)).toBe(false);
  });

  it("counts a changed headline as a changed article with no paragraph changes", async () => {
    const dir = await folders.copyOfSeeds();
    const library = await Library.open(dir);
    await edit(path.join(dir, `${STRAITS}.md`), (t) =>
      t.replace(/^headline: .*$/m, 'headline: "Lee takes a selfie with Xi"'),
    );
    const outcome = await library.reload();
    expect(outcome.status === "reloaded" && outcome.changes).toEqual({
      articles: { added: [], removed: [], changed: [STRAITS] },
      paragraphs: { added: 0, removed: 0, changed: 0 },
    });
  });
});

describe("a reload names the files it ignored", () => {
  it("lists an ignored file and a name that breaks the naming rule in the outcome", async () => {
    const dir = await folders.create({ "ferry.md": FERRY });
    const library = await Library.open(dir, "seeds");
    await writeFile(path.join(dir, "notes.txt"), "a note");
    await writeFile(path.join(dir, "Ferry Two.md"), FERRY.replace("/ferry", "/ferry-2"));
    const outcome = await library.reload();
    expect(outcome.status).toBe("reloaded");
    expect(outcome.status !== "busy" && outcome.notices?.map((n) => n.file)).toEqual([
      "seeds/Ferry Two.md",
      "seeds/notes.txt",
    ]);
  });
});

describe("reloads do not overlap", () => {
  it("refuses a second reload while one runs, then accepts the next", async () => {
    const library = await Library.open(await folders.copyOfSeeds());
    const outcomes = await Promise.all([library.reload(), library.reload()]);
    expect(outcomes.map((o) => o.status)).toEqual(["reloaded", "busy"]);
    expect(outcomes[1]?.serving.articles).toBe(5);
    expect((await library.reload()).status).toBe("reloaded");
  });
});

describe("an unexpected failure becomes a readable problem", () => {
  it("names the error without a stack", () => {
    expect(unexpectedProblem("seeds", new TypeError("boom"))).toEqual({
      file: "seeds",
      line: 1,
      message: "reload stopped by an unexpected error (TypeError: boom)",
    });
    expect(formatProblem(unexpectedProblem("seeds", "plain"))).toBe(
      "seeds:1: reload stopped by an unexpected error (plain)",
    );
  });
});
