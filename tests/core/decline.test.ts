/**
 * What a decline says: what the coverage is about in one line, the closest thing the articles
 * cover, the script the articles are in, and each front end's own way to list the articles.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Library } from "../../src/core/library.js";
import { coverageLine, declineMessage, foreignScript } from "../../src/core/wording.js";
import { SEEDS_DIR } from "../support/corpus-folder.js";

let library: Library;
beforeAll(async () => {
  library = await Library.open(SEEDS_DIR);
});

describe("the decline message", () => {
  it("says in one line what the coverage is about, from the articles themselves", async () => {
    const line = coverageLine(await library.sources());
    expect(line).toBe(
      "The coverage is 5 articles from 5 outlets, 6 Jan 2026 to 8 Jan 2026, about: selfie, Xi, Lee, South, Beijing, Korean.",
    );
    expect(line).not.toContain("\n");
  });

  it("names no headline cut mid-title, and each front end's own way to list the articles", async () => {
    const sources = await library.sources();
    const discord = declineMessage("low-confidence", sources, { listSources: "/source" });
    const cli = declineMessage("low-confidence", sources, {
      listSources: "npm run ask -- --sources",
    });
    expect(discord).toMatch(/\/source lists every article\.$/);
    expect(cli).toMatch(/npm run ask -- --sources lists every article\.$/);
    expect(cli).not.toContain("/source");
    expect(discord).not.toContain("…");
  });

  it("suggests the closest article and the question's own words it uses", async () => {
    const question = "how tall is Xi, who hosted the state banquet?";
    const declined = await library.answer(question);
    expect(declined.answered).toBe(false);
    const { nearest } = declined;
    expect(nearest?.words).toEqual(expect.arrayContaining(["Xi", "banquet"]));
    const headlines = (await library.sources()).outlets.flatMap((o) =>
      o.articles.map((a) => a.headline),
    );
    expect(headlines).toContain(nearest?.headline);
    const message = declineMessage("low-confidence", await library.sources(), {
      listSources: "/source",
      question,
      ...(nearest !== undefined && { nearest }),
    });
    expect(message).toContain(`The closest the articles come is “${nearest?.headline}”`);
    expect(message).toMatch(/which mentions .*“banquet”/);
  });

  it("has no suggestion when nothing in the coverage matches the question's words", async () => {
    const declined = await library.answer("zzyzx qwertyuiop");
    expect(declined.answered).toBe(false);
    expect(declined.nearest).toBeUndefined();
  });

  it("says the articles are in English when the question is in Hangul or Hanzi", async () => {
    const sources = await library.sources();
    for (const [question, script] of [
      ["시진핑 주석은 무엇을 먹었나요?", "Korean (Hangul)"],
      ["习近平吃了什么?", "Chinese characters"],
    ] as const) {
      expect(foreignScript(question)).toBe(script);
      expect(declineMessage("no-match", sources, { listSources: "/source", question })).toContain(
        `Your question is in ${script}, but the articles are in English: try asking in English.`,
      );
    }
    expect(foreignScript("what did 이재명 post?")).toBeUndefined();
    expect(
      declineMessage("no-match", sources, { listSources: "/source", question: "who is Lee?" }),
    ).not.toContain("English");
  });
});
