import { describe, expect, it } from "vitest";
import { MAX_ARTICLE_BYTES, parseArticle, slugFromFileName } from "../../src/core/article.js";
import { formatProblem } from "../../src/core/problem.js";

const BODY = "The two ministers met for three hours in Hanoi on Tuesday and agreed to meet again.";

/** A valid article file, line by line, so that tests can break one line and know its number. */
const VALID_LINES = [
  "---", // 1
  'outlet: "Harbour Post"', // 2
  'headline: "Ministers meet in Hanoi"', // 3
  'url: "https://harbourpost.example/ministers-meet"', // 4
  'published: "2026-01-05"', // 5
  "---", // 6
  BODY, // 7
];

function withLine(lineNumber: number, replacement: string | null): string {
  const lines = [...VALID_LINES];
  if (replacement === null) lines.splice(lineNumber - 1, 1);
  else lines[lineNumber - 1] = replacement;
  return `${lines.join("\n")}\n`;
}

const encode = (text: string) => new TextEncoder().encode(text);

/** Parses `text` as `seeds/x.md` and returns its problems as `file:line: message`. */
function problemsOf(source: string | Uint8Array, fileName = "x.md"): string[] {
  const bytes = typeof source === "string" ? encode(source) : source;
  return parseArticle(`seeds/${fileName}`, fileName, bytes).problems.map(formatProblem);
}

describe("a valid article file", () => {
  it("parses into an article with its metadata, slug and paragraphs", () => {
    const { article, problems } = parseArticle(
      "seeds/Ministers Meet.md",
      "Ministers Meet.md",
      encode(withLine(5, 'published: "2026-01-05"\nbyline: "Staff reporter"')),
    );
    expect(problems).toEqual([]);
    expect(article).toEqual({
      slug: "ministers-meet",
      file: "seeds/Ministers Meet.md",
      outlet: "Harbour Post",
      headline: "Ministers meet in Hanoi",
      url: "https://harbourpost.example/ministers-meet",
      published: "2026-01-05",
      byline: "Staff reporter",
      paragraphs: [{ ordinal: 1, line: 8, text: BODY }],
      dropped: [],
    });
  });

  it("may leave out the published date and the byline", () => {
    const { article } = parseArticle("seeds/x.md", "x.md", encode(withLine(5, null)));
    expect(article?.published).toBeUndefined();
    expect(article).not.toHaveProperty("published");
    expect(article).not.toHaveProperty("byline");
  });

  it("accepts a date written without quotes", () => {
    expect(problemsOf(withLine(5, "published: 2026-01-05"))).toEqual([]);
  });

  it("loads with a byte-order mark and Windows line endings, keeping line numbers", () => {
    const text = withLine(7, `${BODY}\n\nAdvertisement\n\n${BODY}`).replace(/\n/g, "\r\n");
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encode(text)]);
    const { article, problems } = parseArticle("seeds/x.md", "x.md", bytes);
    expect(problems).toEqual([]);
    expect(article?.outlet).toBe("Harbour Post");
    expect(article?.paragraphs).toEqual([
      { ordinal: 1, line: 7, text: BODY },
      { ordinal: 2, line: 11, text: BODY },
    ]);
    expect(article?.dropped).toEqual([{ line: 9, rule: "fragment", text: "Advertisement" }]);
  });
});

describe("front matter problems name the file and the line", () => {
  it("reports a missing required key on line 1", () => {
    expect(problemsOf(withLine(2, null))).toEqual(['seeds/x.md:1: missing required key "outlet"']);
  });

  it("reports every missing key of an empty front matter", () => {
    expect(problemsOf(`---\n---\n${BODY}\n`)).toEqual([
      'seeds/x.md:1: missing required key "outlet"',
      'seeds/x.md:1: missing required key "headline"',
      'seeds/x.md:1: missing required key "url"',
    ]);
  });

  const badUrls = [
    "harbourpost.example/ministers-meet",
    "javascript:alert(document.cookie)",
    "ftp://harbourpost.example/ministers-meet",
    "https://",
    "data:text/html,<b>hi</b>",
  ];
  for (const url of badUrls) {
    it(`refuses the url ${url}`, () => {
      expect(problemsOf(withLine(4, `url: ${JSON.stringify(url)}`))).toEqual([
        "seeds/x.md:4: url must be an http:// or https:// link to the article",
      ]);
    });
  }

  for (const date of ["2026-02-30", "2026-13-01", "5 January 2026", "2026-1-5"]) {
    it(`refuses the date ${date}`, () => {
      expect(problemsOf(withLine(5, `published: "${date}"`))).toEqual([
        "seeds/x.md:5: published must be a real date written YYYY-MM-DD, e.g. 2026-01-05",
      ]);
    });
  }

  it("refuses an unknown key on its line, listing the keys", () => {
    expect(problemsOf(withLine(5, 'author: "Jane Doe"'))).toEqual([
      'seeds/x.md:5: unknown key "author"; the keys are outlet, headline, url, published, byline',
    ]);
  });

  it("refuses an empty value and a value that is not text", () => {
    expect(
      problemsOf(
        withLine(2, 'outlet: "  "').replace('headline: "Ministers meet in Hanoi"', "headline: 42"),
      ),
    ).toEqual(["seeds/x.md:2: outlet is empty", "seeds/x.md:3: headline must be text"]);
  });

  it("refuses a headline longer than 300 characters", () => {
    expect(problemsOf(withLine(3, `headline: "${"a".repeat(301)}"`))).toEqual([
      "seeds/x.md:3: headline is longer than 300 characters",
    ]);
  });

  it("reports several problems of one file at once, in line order", () => {
    const text = withLine(2, 'outlet: ""')
      .replace("https://harbourpost.example/ministers-meet", "javascript:void(0)")
      .replace("2026-01-05", "2026-02-30");
    expect(problemsOf(text)).toEqual([
      "seeds/x.md:2: outlet is empty",
      "seeds/x.md:4: url must be an http:// or https:// link to the article",
      "seeds/x.md:5: published must be a real date written YYYY-MM-DD, e.g. 2026-01-05",
    ]);
  });

  it("reports invalid YAML on the line it is on", () => {
    expect(problemsOf(withLine(3, "headline: Ministers: meet in Hanoi"))).toEqual([
      "seeds/x.md:3: front matter: Nested mappings are not allowed in compact mappings",
    ]);
  });

  it("reports an unclosed quote on the line where the quote opens, not where yaml gave up", () => {
    expect(problemsOf(withLine(4, 'url: "https://harbourpost.example/ministers-meet'))).toEqual([
      'seeds/x.md:4: front matter: the " quote opened on this line is not closed',
    ]);
    expect(problemsOf(withLine(3, "headline: 'Ministers meet in Hanoi"))).toEqual([
      "seeds/x.md:3: front matter: the ' quote opened on this line is not closed",
    ]);
  });

  it("reports an unclosed quote on line 2 at line 2, whatever follows it", () => {
    expect(problemsOf(withLine(2, 'outlet: "Harbour Post'))).toEqual([
      'seeds/x.md:2: front matter: the " quote opened on this line is not closed',
    ]);
    const unquotedAfter = `---\noutlet: "Harbour Post\nheadline: Ministers meet\nurl: https://harbourpost.example/m\n---\n${BODY}\n`;
    expect(problemsOf(unquotedAfter)).toEqual([
      'seeds/x.md:2: front matter: the " quote opened on this line is not closed',
    ]);
  });

  it("reports a duplicate key on the line of the second one", () => {
    expect(problemsOf(withLine(5, 'outlet: "Other Post"'))).toEqual([
      "seeds/x.md:5: front matter: Map keys must be unique",
    ]);
  });

  it("refuses front matter that is not key: value lines", () => {
    expect(problemsOf(`---\n- outlet\n- headline\n---\n${BODY}\n`)).toEqual([
      "seeds/x.md:2: front matter must be `key: value` lines",
    ]);
  });
});

describe("the shape of the file", () => {
  it("must start with front matter", () => {
    expect(problemsOf(`${BODY}\n`)).toEqual([
      "seeds/x.md:1: missing front matter: the file must start with a line `---`",
    ]);
  });

  it("must close its front matter", () => {
    expect(problemsOf(withLine(6, null))).toEqual([
      "seeds/x.md:1: front matter is not closed: add a line `---` after the last key",
    ]);
  });

  it("must have a body after the front matter", () => {
    expect(problemsOf(withLine(7, "  \n\n\t"))).toEqual([
      "seeds/x.md:7: empty body: paste the article text after the front matter",
    ]);
  });

  it("must keep at least one paragraph after cleaning", () => {
    expect(problemsOf(withLine(7, "Share on Facebook\nAdvertisement"))).toEqual([
      "seeds/x.md:7: no paragraphs left after cleaning: every line looked like page chrome (run `npm run check-seeds` to see why)",
    ]);
  });

  it("must be UTF-8, naming the line of the first bad byte", () => {
    const latin1 = Buffer.from(
      withLine(7, `${BODY}\n\nThey met at the caf\u00e9 by the river.`),
      "latin1",
    );
    expect(problemsOf(latin1)).toEqual(["seeds/x.md:9: file is not UTF-8 text; save it as UTF-8"]);
  });

  it("must not contain NUL bytes", () => {
    expect(problemsOf(withLine(7, `${BODY}\u0000`))).toEqual([
      "seeds/x.md:1: file contains NUL bytes; it does not look like a text file",
    ]);
  });

  it("may be at most 1 MB", () => {
    const text = withLine(7, `${BODY}\n${"x".repeat(MAX_ARTICLE_BYTES)}`);
    expect(problemsOf(text)).toEqual([
      "seeds/x.md:1: file is 1.0 MB; an article may be at most 1 MB",
    ]);
  });

  it("accepts a file of exactly 1 MB", () => {
    const start = withLine(7, BODY);
    const padded = `${start}${"Padding sentence. ".repeat(MAX_ARTICLE_BYTES)}`.slice(
      0,
      MAX_ARTICLE_BYTES,
    );
    expect(encode(padded).length).toBe(MAX_ARTICLE_BYTES);
    expect(problemsOf(padded)).toEqual([]);
  });

  it("needs a file name with letters or digits for its slug", () => {
    expect(problemsOf(withLine(7, BODY), "---.md")).toEqual([
      "seeds/---.md:1: file name has no letters or digits to make a slug",
    ]);
  });
});

describe("slugs come from file names", () => {
  const cases: Array<[string, string]> = [
    ["My Article.md", "my-article"],
    ["my-article.md", "my-article"],
    ["Café Société.MD", "cafe-societe"],
    ["  lee & xi: the selfie!.md", "lee-xi-the-selfie"],
    ["2026-01-05 summit.md", "2026-01-05-summit"],
  ];
  for (const [name, slug] of cases) {
    it(`turns "${name}" into "${slug}"`, () => {
      expect(slugFromFileName(name)).toBe(slug);
    });
  }
});
