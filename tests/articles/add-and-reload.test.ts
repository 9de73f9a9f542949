/**
 * Adding an article as one transaction (`ArticleAdder`), in process: a real page server on
 * 127.0.0.1, a real seeds folder on disk, and a real {@link Library} whose reload decides
 * whether the new file stays. The bot and the console run exactly this; the end-to-end test
 * (`tests/e2e/add-article.test.ts`) drives it through Discord.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArticleAdder } from "../../src/articles/add-and-reload.js";
import { withFolderLock } from "../../src/articles/folder-lock.js";
import type { ReloadOutcome } from "../../src/core/desk.js";
import { Library } from "../../src/core/library.js";
import { useTempFolders } from "../support/corpus-folder.js";
import { type PageServer, startPageServer } from "../support/page-server.js";

const folders = useTempFolders();
let server: PageServer;

beforeAll(async () => {
  server = await startPageServer();
});
afterAll(() => server.close());

const HARBOUR = "/pages/harbour-post-fisheries-pact.html";
const HARBOUR_FILE = "norland-and-estmark-sign-fisheries-pact-after-night-of-talks.md";
const COD_QUESTION = "How many tonnes of cod does the fisheries pact allow?";

/** Every file of a folder (dot-files too) and its bytes, to show that nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  const entries = await Promise.all(
    names.map(async (n) => [n, (await readFile(path.join(dir, n))).toString("base64")] as const),
  );
  return Object.fromEntries(entries);
}

async function setUp(options: { allowLoopback?: boolean; prepareTimeoutMs?: number } = {}) {
  const dir = await folders.copyOfSeeds();
  const library = await Library.open(dir, "seeds");
  const adder = new ArticleAdder({
    seedsDir: dir,
    seedsLabel: "seeds",
    allowLoopback: options.allowLoopback ?? true,
    ...(options.prepareTimeoutMs !== undefined && { prepareTimeoutMs: options.prepareTimeoutMs }),
  });
  return { dir, library, adder, reload: () => library.reload() };
}

describe("adding an article from a link", () => {
  it("writes the file, reloads, and the desk answers from the new article with its citation", async () => {
    const { dir, library, adder, reload } = await setUp();
    const before = await library.answer(COD_QUESTION);
    expect(JSON.stringify(before)).not.toContain("48,000 tonnes");

    const outcome = await adder.add(`${server.origin}${HARBOUR}`, reload);
    expect(outcome.status).toBe("added");
    if (outcome.status !== "added") return;
    expect(outcome.added.file).toBe(`seeds/${HARBOUR_FILE}`);
    expect(outcome.added.article).toMatchObject({
      outlet: "Harbour Post",
      headline: "Norland and Estmark sign fisheries pact after night of talks",
      published: "2026-02-10",
    });
    expect(outcome.added.article.paragraphs).toHaveLength(5);
    expect(outcome.reload.status).toBe("reloaded");
    if (outcome.reload.status === "reloaded") {
      expect(outcome.reload.changes.articles.added).toEqual([
        "norland-and-estmark-sign-fisheries-pact-after-night-of-talks",
      ]);
    }
    expect((await readdir(dir)).filter((n) => n.startsWith("."))).toEqual([]);

    const after = await library.answer(COD_QUESTION);
    expect(after.answered).toBe(true);
    expect(after.results[0]?.text).toContain("48,000 tonnes of cod");
    expect(after.results[0]?.citation).toMatchObject({
      outlet: "Harbour Post",
      url: "https://www.harbourpost.example/world/2026/02/10/fisheries-pact-signed",
    });
  });

  const failures: Array<[string, string, RegExp]> = [
    ["a 404", "/nope", /404/],
    ["a page that is not HTML", "/report.pdf", /application\/pdf/],
    [
      "a page whose article would not pass check-seeds",
      "/overlong-headline",
      /headline is longer than 300 characters/,
    ],
    [
      "a page that names no outlet",
      "/pages/plain-page-no-metadata.html",
      /does not name its outlet/,
    ],
  ];
  for (const [what, route, reason] of failures) {
    it(`refuses ${what}, and leaves the folder byte-identical and the answers unchanged`, async () => {
      const { dir, library, adder, reload } = await setUp();
      const files = await snapshot(dir);
      const before = await library.answer(COD_QUESTION);
      const outcome = await adder.add(`${server.origin}${route}`, reload);
      expect(outcome.status).toBe("refused");
      if (outcome.status === "refused") expect(outcome.reason).toMatch(reason);
      expect(await snapshot(dir)).toEqual(files);
      expect(await library.answer(COD_QUESTION)).toEqual(before);
    });
  }

  it("refuses a path on the server's disk: only http and https links are read", async () => {
    const { dir, adder, reload } = await setUp();
    const files = await snapshot(dir);
    for (const link of ["/etc/hostname", "file:///etc/hostname", "ftp://example.com/a.html"]) {
      expect(await adder.add(link, reload)).toEqual({
        status: "refused",
        reason: "only http:// and https:// links can be added",
      });
    }
    expect(await snapshot(dir)).toEqual(files);
  });

  it("refuses a page on 127.0.0.1 when the test setting is off", async () => {
    const { dir, adder, reload } = await setUp({ allowLoopback: false });
    const files = await snapshot(dir);
    const outcome = await adder.add(`${server.origin}${HARBOUR}`, reload);
    expect(outcome.status).toBe("refused");
    if (outcome.status === "refused") expect(outcome.reason).toMatch(/loopback/);
    expect(await snapshot(dir)).toEqual(files);
  });

  it("removes the new file when the reload fails because another file is broken; the old index keeps serving", async () => {
    const { dir, library, adder, reload } = await setUp();
    await writeFile(path.join(dir, "broken.md"), "no front matter here\n");
    const files = await snapshot(dir);
    const before = await library.answer(COD_QUESTION);
    const outcome = await adder.add(`${server.origin}${HARBOUR}`, reload);
    expect(outcome.status).toBe("rolled-back");
    if (outcome.status !== "rolled-back") return;
    expect(outcome.reload.status).toBe("failed");
    if (outcome.reload.status === "failed") {
      expect(outcome.reload.problems.map((p) => p.file)).toEqual(["seeds/broken.md"]);
    }
    expect(await snapshot(dir)).toEqual(files);
    expect(await library.answer(COD_QUESTION)).toEqual(before);
  });

  it("puts a replaced article's old bytes back when the reload fails", async () => {
    const { dir, library, adder, reload } = await setUp();
    expect((await adder.add(`${server.origin}${HARBOUR}`, reload)).status).toBe("added");
    // The admin's own edit of the added file, which a failed replace must not lose.
    const edited = path.join(dir, HARBOUR_FILE);
    await writeFile(edited, `${await readFile(edited, "utf8")}\nA note the admin added by hand.\n`);
    expect((await library.reload()).status).toBe("reloaded");
    await writeFile(path.join(dir, "broken.md"), "no front matter here\n");
    const files = await snapshot(dir);

    const outcome = await adder.add(`${server.origin}${HARBOUR}`, reload, { replace: true });
    expect(outcome.status).toBe("rolled-back");
    expect(await snapshot(dir)).toEqual(files);
  });

  it("replaces an article only when asked to", async () => {
    const { adder, reload } = await setUp();
    expect((await adder.add(`${server.origin}${HARBOUR}`, reload)).status).toBe("added");
    const again = await adder.add(`${server.origin}${HARBOUR}`, reload);
    expect(again).toEqual({
      status: "refused",
      reason: `seeds/${HARBOUR_FILE} already has this URL: pass --replace to overwrite it`,
    });
    const replaced = await adder.add(`${server.origin}${HARBOUR}`, reload, { replace: true });
    expect(replaced.status).toBe("added");
    if (replaced.status === "added") {
      expect(replaced.added.replaced).toEqual([`seeds/${HARBOUR_FILE}`]);
      expect(replaced.reload.status === "reloaded" && replaced.reload.changes.articles).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
    }
  });

  it("puts the folder back and rethrows when the reload itself throws", async () => {
    const { dir, adder } = await setUp();
    const files = await snapshot(dir);
    const failing = () => Promise.reject(new Error("the index worker has stopped"));
    await expect(adder.add(`${server.origin}${HARBOUR}`, failing)).rejects.toThrow(
      "the index worker has stopped",
    );
    expect(await snapshot(dir)).toEqual(files);
  });

  it("waits for a reload that is already running, then reloads with the new file", async () => {
    const { adder, library } = await setUp();
    let calls = 0;
    const busyThenFree = async (): Promise<ReloadOutcome> => {
      calls++;
      if (calls <= 2) return { status: "busy", serving: await library.serving() };
      return library.reload();
    };
    const outcome = await adder.add(`${server.origin}${HARBOUR}`, busyThenFree);
    expect(calls).toBe(3);
    expect(outcome.status).toBe("added");
  });

  it("stops reading a page that takes longer than the time allowed", async () => {
    const { dir, adder, reload } = await setUp({ prepareTimeoutMs: 500 });
    const files = await snapshot(dir);
    // The page's body never finishes within the fetch's own 15 s: the thread's deadline ends it.
    const outcome = await adder.add(`${server.origin}/slow`, reload);
    expect(outcome).toEqual({
      status: "refused",
      reason:
        "reading the page took longer than 0.5 s; save the page and add the file with npm run add-article",
    });
    expect(await snapshot(dir)).toEqual(files);
  });
});

describe("two adds at once", () => {
  it("lets only one of two simultaneous adds of the same link pass the duplicate check", async () => {
    const { dir, adder, reload } = await setUp();
    const link = `${server.origin}${HARBOUR}`;
    const outcomes = await Promise.all([adder.add(link, reload), adder.add(link, reload)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["added", "refused"]);
    const refused = outcomes.find((o) => o.status === "refused");
    expect(refused?.status === "refused" && refused.reason).toMatch(
      /another article is being added to seeds right now|already has this URL/,
    );
    expect((await readdir(dir)).filter((n) => n.includes("fisheries"))).toEqual([HARBOUR_FILE]);
  });

  it("refuses an add while another holds the folder, and releases the lock however the work ends", async () => {
    const { dir, adder, reload } = await setUp();
    let release = () => {};
    const held = withFolderLock(
      dir,
      "seeds",
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const outcome = await adder.add(`${server.origin}${HARBOUR}`, reload);
    expect(outcome).toEqual({
      status: "refused",
      reason: "another article is being added to seeds right now; try again in a moment",
    });
    release();
    await held;
    await expect(
      withFolderLock(dir, "seeds", () => Promise.reject(new Error("boom"))),
    ).rejects.toThrow("boom");
    expect((await adder.add(`${server.origin}${HARBOUR}`, reload)).status).toBe("added");
  });

  it("takes over a lock left behind by a process that has ended", async () => {
    const { dir, adder, reload } = await setUp();
    // Process ids are at most 2^22 on Linux: this one cannot be running.
    await writeFile(path.join(dir, ".add-article.lock"), "99999999 0123456789ab\n");
    expect((await adder.add(`${server.origin}${HARBOUR}`, reload)).status).toBe("added");
    expect((await readdir(dir)).filter((n) => n.startsWith("."))).toEqual([]);
  });
});
