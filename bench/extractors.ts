/**
 * `npm run bench:extractors`: Readability over linkedom against Readability over jsdom, on
 * the fixture pages of tests/fixtures/pages. Prints, for each DOM, how many pages come out
 * exactly as expected after cleaning, the paragraphs missed and the chrome lines kept, the
 * median time to parse and extract each page and a 1 MB page, and the time to load the
 * library in a fresh process.
 *
 * jsdom is not a dependency of the project: install it for the run with
 * `npm install --no-save jsdom`; without it only linkedom is measured.
 */
import { execFileSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DomDocument } from "../src/articles/dom.js";
import { type DomParser, extractArticle, parseWithLinkedom } from "../src/articles/extract.js";
import { cleanBody } from "../src/core/clean.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PAGES = path.join(ROOT, "tests/fixtures/pages");
const RUNS = 30;

interface Page {
  name: string;
  html: string;
  expected: string[];
}

async function loadPages(): Promise<Page[]> {
  const names = (await readdir(PAGES)).filter((n) => n.endsWith(".html")).sort();
  return Promise.all(
    names.map(async (file) => {
      const name = file.replace(/\.html$/, "");
      const expected = JSON.parse(
        await readFile(path.join(PAGES, `${name}.expected.json`), "utf8"),
      ) as { paragraphs: string[] };
      return {
        name,
        html: await readFile(path.join(PAGES, file), "utf8"),
        expected: expected.paragraphs,
      };
    }),
  );
}

async function jsdomParser(): Promise<DomParser | undefined> {
  // A module name in a variable: jsdom is optional, and the type check must not need it.
  const name = "jsdom";
  try {
    const { JSDOM } = (await import(name)) as {
      JSDOM: new (html: string) => { window: { document: DomDocument } };
    };
    return (html) => new JSDOM(html).window.document;
  } catch {
    return undefined;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time(work: () => void, runs = RUNS): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** A page of about 1 MB: one fixture's article with many more paragraphs and chrome blocks. */
function largePage(page: Page): string {
  const body = page.html.match(
    /<div class="story-body">[\s\S]*?<\/div>\s*<div class="article-tags">/,
  )?.[0];
  const paragraphs = page.expected.map((p) => `<p>${p}</p>`).join("\n");
  const chrome =
    '<aside class="newsletter-signup"><p>Get our newsletter every morning.</p></aside>';
  let filler = "";
  while (filler.length < 1024 * 1024) filler += `${paragraphs}\n${chrome}\n`;
  return page.html.replace(
    body ?? "</main>",
    `<div class="story-body">${filler}</div>${body ? '<div class="article-tags">' : "</main>"}`,
  );
}

function loadTime(specifier: string): number {
  const script = `const t=performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now()-t);`;
  const times = Array.from({ length: 5 }, () =>
    Number(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: ROOT,
        encoding: "utf8",
      }),
    ),
  );
  return median(times);
}

async function main() {
  const pages = await loadPages();
  const parsers: [string, DomParser | undefined][] = [
    ["linkedom", parseWithLinkedom],
    ["jsdom", await jsdomParser()],
  ];
  const large = largePage(
    pages.find((p) => p.name === "harbour-post-fisheries-pact") ?? (pages[0] as Page),
  );
  console.log(
    `${pages.length} fixture pages; large page ${(large.length / 1024).toFixed(0)} KB; median of ${RUNS} runs (5 for the large page)\n`,
  );
  for (const [name, parse] of parsers) {
    if (!parse) {
      console.log(`${name}: not installed (npm install --no-save ${name})`);
      continue;
    }
    let exact = 0;
    let missed = 0;
    let extra = 0;
    const perPage: string[] = [];
    for (const page of pages) {
      const { metadata, lines } = extractArticle(page.html, undefined, parse);
      const kept = cleanBody(lines.join("\n"), 1, metadata.headline ?? "").paragraphs.map(
        (p) => p.text,
      );
      const missing = page.expected.filter((p) => !kept.includes(p)).length;
      const chrome = kept.filter((p) => !page.expected.includes(p)).length;
      if (missing === 0 && chrome === 0) exact++;
      missed += missing;
      extra += chrome;
      perPage.push(`${time(() => extractArticle(page.html, undefined, parse)).toFixed(1)}`);
    }
    const largeMs = time(() => extractArticle(large, undefined, parse), 5);
    console.log(
      `${name}: ${exact}/${pages.length} pages exact, ${missed} paragraphs missed, ${extra} chrome lines kept; ` +
        `ms per page [${perPage.join(", ")}]; 1 MB page ${largeMs.toFixed(0)} ms; load ${loadTime(name).toFixed(0)} ms`,
    );
  }
}

await main();
