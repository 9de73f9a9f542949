import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { articleFileText } from "../../src/articles/add-article.js";
import { extractArticle } from "../../src/articles/extract.js";
import type { PageMetadata } from "../../src/articles/page-metadata.js";
import { parseArticle } from "../../src/core/article.js";
import { PAGES_DIR } from "../support/page-server.js";

interface Expected {
  metadata: PageMetadata;
  paragraphs: string[];
}

/** The fixture page, what it should give, and the article the corpus would load from it. */
async function extracted(name: string) {
  const html = await readFile(path.join(PAGES_DIR, `${name}.html`), "utf8");
  const expected = JSON.parse(
    await readFile(path.join(PAGES_DIR, `${name}.expected.json`), "utf8"),
  ) as Expected;
  const page = extractArticle(html);
  const meta = { outlet: "Outlet", url: "https://news.example/a", ...page.metadata };
  const text = articleFileText(meta as Required<typeof meta>, page.lines);
  const parsed = parseArticle(`seeds/${name}.md`, `${name}.md`, new TextEncoder().encode(text));
  if (!parsed.article) throw new Error(parsed.problems.map((p) => p.message).join("\n"));
  return { page, expected, paragraphs: parsed.article.paragraphs.map((p) => p.text) };
}

// Words that only page chrome uses on these pages: none may reach a kept paragraph.
const CHROME =
  /cookie|sign up|newsletter|subscribe|subscriber|free articles|share (?:this|on|via)|facebook|whatsapp|comment|related|recommended|read more|most read|advertisement|© |all rights reserved|log in|privacy/i;

const PAGES = [
  ["harbour-post-fisheries-pact", "a classic article page with JSON-LD and Open Graph"],
  ["valley-times-lantern-festival", "a page without JSON-LD, with a paywall box in the body"],
  ["the-ledger-quota-deal", "a page without any date, its text in <br>-separated lines"],
  ["coastal-wire-ferry-link", "a body split across several containers, with ads between"],
  ["plain-page-no-metadata", "a bare page with nothing but a <title>"],
] as const;

describe("the article's paragraphs are the text put in, and nothing else", () => {
  for (const [name, layout] of PAGES) {
    it(`extracts ${layout} (${name})`, async () => {
      const { paragraphs, expected } = await extracted(name);
      expect(paragraphs).toEqual(expected.paragraphs);
      for (const paragraph of paragraphs) expect(paragraph).not.toMatch(CHROME);
    });
  }

  it("keeps a figure caption that states a fact", async () => {
    const { paragraphs } = await extracted("coastal-wire-ferry-link");
    expect(paragraphs).toContain(
      "The Nordsund Aurora leaves Vell on its first crossing to Dunmore on Sunday, with 312 passengers on board.",
    );
  });
});

describe("metadata comes from the most reliable source on the page", () => {
  for (const [name] of PAGES) {
    it(`reads ${name}'s outlet, headline, link, date and byline`, async () => {
      const { page, expected } = await extracted(name);
      expect(page.metadata).toEqual(expected.metadata);
    });
  }

  it("prefers JSON-LD's headline to Open Graph's, found inside an @graph", async () => {
    const { page } = await extracted("coastal-wire-ferry-link");
    // og:title adds a clause; the JSON-LD headline does not.
    expect(page.metadata.headline).toBe("New ferry link between Vell and Dunmore opens");
  });

  it("ignores an author given as a link, and a date that is not there", async () => {
    const { page } = await extracted("the-ledger-quota-deal");
    expect(page.metadata).not.toHaveProperty("published");
  });

  it("reads a relative canonical link against the page's address", () => {
    const paragraph =
      "<p>The harbour board met on Monday and agreed a new budget for the year. </p>";
    const html = `<html><head><link rel="canonical" href="/story/1"><title>A</title></head><body><article>${paragraph.repeat(6)}</article></body></html>`;
    expect(extractArticle(html, "https://news.example/x?utm=1").metadata.url).toBe(
      "https://news.example/story/1",
    );
    // A saved file has no address to read it against.
    expect(extractArticle(html).metadata).not.toHaveProperty("url");
  });

  it("refuses a page with no article text", () => {
    expect(() => extractArticle("<html><head><title>A</title></head><body></body></html>")).toThrow(
      "found no article text on the page",
    );
  });
});
