/**
 * Turns a news page's HTML into the article's metadata and body lines: Mozilla's Readability
 * (the code behind Firefox's Reader View) finds the article in a linkedom document, and each
 * paragraph, subheading, list item and caption of what it keeps becomes one line. The lines
 * then go through the same cleaner as a hand-written article file, which removes the chrome
 * that Readability leaves in.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { normalizeWhitespace } from "../core/text.js";
import { type DomDocument, type DomNode, ELEMENT_NODE, TEXT_NODE } from "./dom.js";
import { type PageMetadata, readPageMetadata } from "./page-metadata.js";

/** Builds a DOM document from HTML. */
export type DomParser = (html: string) => DomDocument;

/** The default parser: linkedom, which is light and fast (see BENCHMARKS.md). */
export const parseWithLinkedom: DomParser = (html) =>
  parseHTML(html).document as unknown as DomDocument;

export interface ExtractedPage {
  metadata: PageMetadata;
  /** The article body, one paragraph per entry, whitespace normalised; never empty strings. */
  lines: string[];
}

/** The page holds nothing Readability recognises as an article. */
class NoArticleError extends Error {
  constructor() {
    super("found no article text on the page; is it an article, or behind a login?");
    this.name = "NoArticleError";
  }
}

// Elements whose text makes a line of its own. Everything else is inline: its text joins the
// line around it.
const BLOCKS = new Set([
  "ADDRESS",
  "ARTICLE",
  "ASIDE",
  "BLOCKQUOTE",
  "DD",
  "DETAILS",
  "DIV",
  "DL",
  "DT",
  "FIGCAPTION",
  "FIGURE",
  "FOOTER",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "HEADER",
  "HR",
  "LI",
  "MAIN",
  "NAV",
  "OL",
  "P",
  "PRE",
  "SECTION",
  "SUMMARY",
  "TABLE",
  "TD",
  "TH",
  "TR",
  "UL",
]);
const SKIPPED = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "SVG", "BUTTON", "IFRAME"]);

/** The text of `root` as lines: one per block element, `<br>` also ending a line. */
function textLines(root: DomNode): string[] {
  const lines: string[] = [];
  let current = "";
  const flush = () => {
    const line = normalizeWhitespace(current);
    if (line !== "") lines.push(line);
    current = "";
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === TEXT_NODE) {
      current += node.textContent ?? "";
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const name = node.nodeName.toUpperCase();
    if (SKIPPED.has(name)) return;
    if (name === "BR") return flush();
    const block = BLOCKS.has(name);
    if (block) flush();
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) flush();
  };
  walk(root);
  flush();
  return lines;
}

/**
 * Extracts an article from a page.
 *
 * @param pageUrl  where the page came from, to resolve relative links in its metadata
 * @throws {NoArticleError} when no article body is found
 */
export function extractArticle(
  html: string,
  pageUrl?: string,
  parse: DomParser = parseWithLinkedom,
): ExtractedPage {
  const document = parse(html);
  // Metadata first: Readability changes the document as it works.
  const metadata = readPageMetadata(document, pageUrl);
  const reader = new Readability<DomNode>(document as never, {
    serializer: (node) => node as unknown as DomNode,
    // Short articles (a wire brief of three paragraphs) are still articles.
    charThreshold: 200,
  });
  const result = reader.parse();
  const root = result?.content;
  if (!root) throw new NoArticleError();
  const lines = textLines(root);
  if (lines.length === 0) throw new NoArticleError();
  return { metadata, lines };
}
