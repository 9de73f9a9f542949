/**
 * The bot's desk, with the index in a worker thread: callable at once (calls wait for the
 * index), every desk method answered from the thread, a failed load reported once.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DESK_METHODS } from "../../src/core/desk.js";
import { Library } from "../../src/core/library.js";
import { CorpusError } from "../../src/core/problem.js";
import { openThreadedDesk } from "../../src/desk/index-thread-client.js";
import { createLogger } from "../../src/log.js";
import { useTempFolders } from "../support/corpus-folder.js";

const log = createLogger({ level: "silent" });
const folders = useTempFolders();

describe("the threaded desk", () => {
  it("can be called before its index is ready, and answers as the library does", async () => {
    const dir = await folders.copyOfSeeds();
    const desk = openThreadedDesk(dir, "seeds", log);
    try {
      const early = desk.outlets();
      const serving = await desk.ready;
      const library = await Library.open(dir, "seeds");
      expect(await early).toEqual(await library.outlets());
      expect(await desk.serving()).toEqual(serving);
      expect(serving.paragraphs).toBe((await library.serving()).paragraphs);
      const question = "what phone did lee use for the selfie";
      expect((await desk.answer(question)).results).toEqual(
        (await library.answer(question)).results,
      );
      for (const method of DESK_METHODS) expect(desk[method]).toBeTypeOf("function");
    } finally {
      await desk.close();
    }
  }, 60_000);

  it("reports a corpus that does not load through `ready`, and fails the calls made meanwhile", async () => {
    const dir = await folders.create({ "bad.md": "no front matter here\n" });
    const desk = openThreadedDesk(dir, "seeds", log);
    const early = desk.sources();
    await expect(desk.ready).rejects.toBeInstanceOf(CorpusError);
    await expect(early).rejects.toBeInstanceOf(CorpusError);
    await desk.close();
  }, 60_000);

  it("gives the outlets and sources of the index it serves, and those of the new one after a reload", async () => {
    const dir = await folders.copyOfSeeds();
    const desk = openThreadedDesk(dir, "seeds", log);
    try {
      await desk.ready;
      const before = await desk.sources();
      expect(await desk.outlets()).not.toContain("Test Wire");
      await writeFile(
        path.join(dir, "test-wire-ferry.md"),
        `---\noutlet: "Test Wire"\nheadline: "Ferry service resumes"\nurl: "https://example.com/ferry"\n---\nThe island ferry resumed service with a new boat named Morning Gull.\n`,
      );
      // Not reloaded yet: the index still serves what it was built from.
      expect(await desk.sources()).toEqual(before);
      expect((await desk.reload()).status).toBe("reloaded");
      const after = await desk.sources();
      expect(after.articleCount).toBe(before.articleCount + 1);
      expect(after.loadedAt).not.toBe(before.loadedAt);
      expect(await desk.outlets()).toContain("Test Wire");
    } finally {
      await desk.close();
    }
  }, 60_000);
});
