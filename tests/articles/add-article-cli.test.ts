/**
 * End to end: the real `npm run add-article` script (src/cli/add-article.ts under tsx), a
 * real page server on 127.0.0.1, a real seeds folder on disk; then the corpus loader and the
 * core's answer() on the folder it wrote.
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnalyzer } from "../../src/core/analyzer.js";
import { answer } from "../../src/core/answer.js";
import { loadCorpus } from "../../src/core/corpus.js";
import { buildPassageIndex } from "../../src/core/passage-index.js";
import { useTempFolders } from "../support/corpus-folder.js";
import { PAGES_DIR, type PageServer, startPageServer } from "../support/page-server.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const folders = useTempFolders();
let server: PageServer;

beforeAll(async () => {
  server = await startPageServer();
});
afterAll(() => server.close());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script as `npm run add-article` does, with the test setting for 127.0.0.1. */
async function addArticle(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/cli/add-article.ts", ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ADD_ARTICLE_ALLOW_LOOPBACK: "true" },
        timeout: 30_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every file of a folder and its bytes, to show that a failed add changed nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  const entries = await Promise.all(
    names.map(async (n) => [n, (await readFile(path.join(dir, n))).toString("base64")] as const),
  );
  return Object.fromEntries(entries);
}

describe("npm run add-article adds a page to the seeds folder", () => {
  it("fetches a page, writes seeds/<slug>.md, and the bot answers from it", async () => {
    const seeds = await folders.copyOfSeeds();
    const run = await addArticle(
      `${server.origin}/pages/harbour-post-fisheries-pact.html`,
      "--seeds",
      seeds,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const file = `${seeds}/norland-and-estmark-sign-fisheries-pact-after-night-of-talks.md`;
    expect(run.stdout).toContain(`${file}: 5 paragraphs kept, 0 lines dropped`);
    expect(run.stdout).toContain(
      `Wrote ${file}: Harbour Post, "Norland and Estmark sign fisheries pact after night of talks", 2026-02-10.`,
    );

    const text = await readFile(file, "utf8");
    expect(text.split("---\n")[1]).toBe(
      [
        'outlet: "Harbour Post"',
        'headline: "Norland and Estmark sign fisheries pact after night of talks"',
        'url: "https://www.harbourpost.example/world/2026/02/10/fisheries-pact-signed"',
        'published: "2026-02-10"',
        'byline: "Maren Holt"',
        "",
      ].join("\n"),
    );

    const load = await loadCorpus(seeds);
    expect(load.problems).toEqual([]);
    expect(load.corpus?.articles).toHaveLength(6);
    const index = buildPassageIndex(
      load.corpus?.articles ?? [],
      createAnalyzer(load.corpus?.aliases ?? { groups: [] }),
    );
    const result = answer(index, "How many tonnes of cod does the fisheries pact allow?");
    expect(result.answered).toBe(true);
    expect(result.results[0]?.text).toContain("48,000 tonnes of cod");
    expect(result.results[0]?.citation).toMatchObject({
      outlet: "Harbour Post",
      url: "https://www.harbourpost.example/world/2026/02/10/fisheries-pact-signed",
    });
  });

  it("adds a saved .html file, with flags overriding what the page says", async () => {
    const seeds = await folders.copyOfSeeds();
    const run = await addArticle(
      path.join(PAGES_DIR, "plain-page-no-metadata.html"),
      "--outlet",
      "Vell Daily",
      "--url",
      "https://vell-daily.example/crane",
      "--published",
      "2026-03-04",
      "--seeds",
      seeds,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const text = await readFile(
      path.join(seeds, "harbour-crane-collapses-in-vell-no-one-hurt.md"),
      "utf8",
    );
    expect(text).toContain('outlet: "Vell Daily"\n');
    expect(text).toContain('published: "2026-03-04"\n');
    expect((await loadCorpus(seeds)).problems).toEqual([]);
  });

  it("replaces an article with the same URL only with --replace", async () => {
    const seeds = await folders.copyOfSeeds();
    const page = `${server.origin}/pages/valley-times-lantern-festival.html`;
    expect((await addArticle(page, "--seeds", seeds)).code).toBe(0);
    const before = await snapshot(seeds);

    const again = await addArticle(page, "--seeds", seeds);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `add-article: ${seeds}/lantern-festival-draws-record-crowds-to-orrin.md already has this URL: pass --replace to overwrite it\n`,
    );
    expect(await snapshot(seeds)).toEqual(before);

    const replaced = await addArticle(
      page,
      "--replace",
      "--headline",
      "Orrin lanterns",
      "--seeds",
      seeds,
    );
    expect(replaced.code).toBe(0);
    const names = await readdir(seeds);
    expect(names).toContain("orrin-lanterns.md");
    expect(names).not.toContain("lantern-festival-draws-record-crowds-to-orrin.md");
    expect((await loadCorpus(seeds)).problems).toEqual([]);
  });
});

describe("a refused add exits 1 with one line and leaves the folder byte for byte", () => {
  const cases: [string, (origin: string) => string[], string][] = [
    ["a 404", (o) => [`${o}/missing`], `the server answered 404 Not Found for `],
    ["a PDF", (o) => [`${o}/report.pdf`], "the link is application/pdf, not an HTML page"],
    ["a page over 5 MB", (o) => [`${o}/huge`], "the page is larger than 5 MB"],
    ["too many redirects", (o) => [`${o}/redirect/6`], "more than 5 redirects"],
    [
      "a page without an outlet",
      () => [path.join(PAGES_DIR, "plain-page-no-metadata.html")],
      'the page does not name its outlet: pass --outlet "…"',
    ],
    [
      "a bad date flag",
      (o) => [`${o}/pages/the-ledger-quota-deal.html`, "--published", "2026-02-30"],
      "--published must be a real date written YYYY-MM-DD, e.g. 2026-01-05",
    ],
    [
      "a file that does not exist",
      () => ["no-such-page.html"],
      "cannot read no-such-page.html: no such file",
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, async () => {
      const seeds = await folders.copyOfSeeds();
      const before = await snapshot(seeds);
      const run = await addArticle(...args(server.origin), "--seeds", seeds);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(message);
      expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(await snapshot(seeds)).toEqual(before);
    });
  }

  it("refuses 127.0.0.1 when the test setting is off", async () => {
    const seeds = await folders.copyOfSeeds();
    const before = await snapshot(seeds);
    const { code, stderr } = await promisify(execFile)(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/add-article.ts",
        `${server.origin}/pages/the-ledger-quota-deal.html`,
        "--seeds",
        seeds,
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH } },
    ).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(1);
    expect(stderr).toBe(
      "add-article: refused to fetch from 127.0.0.1: it is a loopback address, not a public one\n",
    );
    expect(await snapshot(seeds)).toEqual(before);
  });
});
