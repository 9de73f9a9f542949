/**
 * An article's front matter as the page itself states it, most reliable source first:
 * JSON-LD (`NewsArticle`, `Article` and their kinds), then Open Graph and `article:` meta tags,
 * then the canonical link, then `<title>`.
 */
import { normalizeWhitespace } from "../core/text.js";
import type { DomDocument } from "./dom.js";

/** What the page says about itself; every field may be missing. */
export interface PageMetadata {
  outlet?: string;
  headline?: string;
  url?: string;
  /** `YYYY-MM-DD`, the date as the page writes it (its own time zone). */
  published?: string;
  byline?: string;
}

const ARTICLE_TYPES = new Set([
  "article",
  "newsarticle",
  "reportagenewsarticle",
  "analysisnewsarticle",
  "opinionnewsarticle",
  "backgroundnewsarticle",
  "reviewnewsarticle",
  "blogposting",
  "liveblogposting",
  "report",
]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A non-empty string with its whitespace normalised, or undefined. */
function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const clean = normalizeWhitespace(decodeEntities(value));
  return clean === "" ? undefined : clean;
}

// JSON-LD and meta contents are sometimes double-escaped ("&amp;#039;").
function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([\da-f]+);/gi, (_, code: string) =>
      String.fromCodePoint(Number.parseInt(code, 16)),
    )
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");
}

/** The `YYYY-MM-DD` a timestamp starts with, if it is a real date. */
export function dateOf(value: unknown): string | undefined {
  const match = typeof value === "string" ? value.trim().match(/^(\d{4})-(\d{2})-(\d{2})/) : null;
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real =
    date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real ? match[0].slice(0, 10) : undefined;
}

/** Names of people (or an organisation) from a JSON-LD `author`. */
function authorNames(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((entry) => {
    const name = isObject(entry) ? text(entry.name) : text(entry);
    return name !== undefined && !looksLikeLink(name) ? [name] : [];
  });
}

const looksLikeLink = (value: string) => /^(?:https?:)?\/\//i.test(value);

function joinNames(names: string[]): string | undefined {
  const unique = [...new Set(names)];
  if (unique.length === 0) return undefined;
  if (unique.length === 1) return unique[0];
  return `${unique.slice(0, -1).join(", ")} and ${unique.at(-1)}`;
}

/** Every object in the page's JSON-LD blocks, `@graph` members included. */
function jsonLdObjects(document: DomDocument): Json[] {
  const found: Json[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      found.push(value);
      if (value["@graph"] !== undefined) visit(value["@graph"]);
    }
  };
  for (const script of Array.from(
    document.querySelectorAll('script[type="application/ld+json"]'),
  )) {
    try {
      visit(JSON.parse(script.textContent ?? ""));
    } catch {
      // A broken block is skipped; the other sources may still name what it would have.
    }
  }
  return found;
}

function isArticle(object: Json): boolean {
  const types = Array.isArray(object["@type"]) ? object["@type"] : [object["@type"]];
  return types.some((t) => typeof t === "string" && ARTICLE_TYPES.has(t.toLowerCase()));
}

function fromJsonLd(document: DomDocument): PageMetadata {
  const article = jsonLdObjects(document).find(isArticle);
  if (!article) return {};
  const publisher = article.publisher;
  const outlet = isObject(publisher) ? text(publisher.name) : text(publisher);
  const headline = text(article.headline) ?? text(article.name);
  const published = dateOf(article.datePublished);
  const byline = joinNames(authorNames(article.author));
  return {
    ...(outlet !== undefined && { outlet }),
    ...(headline !== undefined && { headline }),
    ...(published !== undefined && { published }),
    ...(byline !== undefined && { byline }),
  };
}

function meta(document: DomDocument, ...keys: string[]): string | undefined {
  for (const key of keys) {
    for (const attribute of ["property", "name"]) {
      const element = document.querySelector(`meta[${attribute}="${key}"]`);
      const value = text(element?.getAttribute("content"));
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

function absoluteLink(value: string | undefined, base: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = base === undefined ? new URL(value) : new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the page's metadata. Each field comes from the most reliable source that has it.
 *
 * @param pageUrl  where the page was fetched from, to resolve relative links; unset for a
 *   saved file, whose relative links are then ignored
 */
export function readPageMetadata(document: DomDocument, pageUrl?: string): PageMetadata {
  const jsonLd = fromJsonLd(document);
  const outlet = jsonLd.outlet ?? meta(document, "og:site_name", "application-name");
  const canonical = document.querySelector('link[rel~="canonical"]')?.getAttribute("href");
  const url =
    absoluteLink(meta(document, "og:url"), pageUrl) ??
    absoluteLink(canonical ?? undefined, pageUrl);
  const metaAuthor = meta(document, "article:author", "author");
  const byline =
    jsonLd.byline ??
    (metaAuthor !== undefined && !looksLikeLink(metaAuthor) ? metaAuthor : undefined);
  const published =
    jsonLd.published ??
    dateOf(meta(document, "article:published_time", "og:published_time", "date", "pubdate"));
  const headline =
    jsonLd.headline ??
    meta(document, "og:title", "twitter:title") ??
    titleWithoutOutlet(text(document.querySelector("title")?.textContent), outlet);
  return {
    ...(outlet !== undefined && { outlet }),
    ...(headline !== undefined && { headline }),
    ...(url !== undefined && { url }),
    ...(published !== undefined && { published }),
    ...(byline !== undefined && { byline }),
  };
}

/** `<title>` usually ends with the outlet's name: "Headline | The Outlet". */
function titleWithoutOutlet(title: string | undefined, outlet: string | undefined) {
  if (title === undefined || outlet === undefined) return title;
  const suffix = new RegExp(`\\s+[|–—:-]\\s+${escapeRegExp(outlet)}$`, "i");
  return title.replace(suffix, "") || title;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
