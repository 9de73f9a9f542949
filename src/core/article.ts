/**
 * Article files: `seeds/<slug>.md`, a YAML front-matter block between `---` lines, then the
 * article body as captured. This module turns the bytes of one file into an {@link Article}
 * or into every problem it has, each with the line it is on.
 */
import { isMap, isScalar, LineCounter, Parser, parseDocument, type YAMLError } from "yaml";
import { z } from "zod";
import { type CleanedBody, cleanBody } from "./clean.js";
import type { Problem } from "./problem.js";
import { splitLines } from "./text.js";

/** The metadata an article file declares in its front matter. */
export interface ArticleMeta {
  outlet: string;
  headline: string;
  /** Link to the article; always http or https. */
  url: string;
  /** `YYYY-MM-DD`; absent when the page gives no date. */
  published?: string;
  byline?: string;
}

/** A cleaned paragraph of an article, with where it sits. */
export interface Paragraph {
  /** 1-based position among the article's kept paragraphs. */
  ordinal: number;
  /** Line of the file it came from. */
  line: number;
  text: string;
}

export interface Article extends ArticleMeta {
  /** Stable identifier derived from the file name. */
  slug: string;
  /** Path of the file as the admin knows it, e.g. `seeds/x.md`. */
  file: string;
  paragraphs: Paragraph[];
  /** What the cleaner removed, for the seed check's report. */
  dropped: CleanedBody["dropped"];
}

/** Largest article file accepted; a real article is a few tens of kilobytes. */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

const FRONT_MATTER_KEYS = ["outlet", "headline", "url", "published", "byline"] as const;

const text = (key: string) =>
  z
    .string({ error: `${key} must be text` })
    .trim()
    .min(1, { error: `${key} is empty` });

const metaSchema = z
  .object({
    outlet: text("outlet").max(100, { error: "outlet is longer than 100 characters" }),
    headline: text("headline").max(300, { error: "headline is longer than 300 characters" }),
    url: z.url({
      protocol: /^https?$/,
      hostname: z.regexes.domain,
      error: "url must be an http:// or https:// link to the article",
    }),
    published: z.iso
      .date({ error: "published must be a real date written YYYY-MM-DD, e.g. 2026-01-05" })
      .optional(),
    byline: text("byline").max(200, { error: "byline is longer than 200 characters" }).optional(),
  })
  .strict();

/**
 * Derives the slug from a file name: lower case, accents removed, anything that is not a
 * letter or digit becomes a hyphen. `My Article.md` and `my-article.md` share a slug, which
 * the corpus reports as a duplicate.
 */
export function slugFromFileName(fileName: string): string {
  return fileName
    .replace(/\.md$/i, "")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export interface ParsedArticle {
  article?: Article;
  problems: Problem[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Finds the line of the first byte that is not valid UTF-8. */
function lineOfInvalidUtf8(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  // Binary search for the shortest prefix that fails to decode.
  while (low < high) {
    const mid = (low + high) >>> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid + 1), {
        stream: true,
      });
      low = mid + 1;
    } catch {
      high = mid;
    }
  }
  let line = 1;
  for (let i = 0; i < low && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Parses and cleans one article file. Never throws: every problem comes back in `problems`,
 * and `article` is set only when there are none.
 *
 * @param file  the path to show in problems, e.g. `seeds/x.md`
 * @param fileName  the bare file name, from which the slug is derived
 */
export function parseArticle(file: string, fileName: string, bytes: Uint8Array): ParsedArticle {
  const problem = (line: number, message: string): ParsedArticle => ({
    problems: [{ file, line, message }],
  });

  if (bytes.length > MAX_ARTICLE_BYTES) {
    const mb = (bytes.length / (1024 * 1024)).toFixed(1);
    return problem(1, `file is ${mb} MB; an article may be at most 1 MB`);
  }
  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch {
    return problem(lineOfInvalidUtf8(bytes), "file is not UTF-8 text; save it as UTF-8");
  }
  if (source.includes("\u0000")) {
    return problem(1, "file contains NUL bytes; it does not look like a text file");
  }

  const lines = splitLines(source);
  if (lines[0]?.trim() !== "---") {
    return problem(1, "missing front matter: the file must start with a line `---`");
  }
  const closing = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (closing === -1) {
    return problem(1, "front matter is not closed: add a line `---` after the last key");
  }

  const problems: Problem[] = [];
  const slug = slugFromFileName(fileName);
  if (slug === "") {
    problems.push({ file, line: 1, message: "file name has no letters or digits to make a slug" });
  }

  // Front matter starts on line 2 of the file.
  const yamlText = lines.slice(1, closing).join("\n");
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: false });
  for (const error of doc.errors) {
    // With prettyErrors off, yaml sets no linePos; the line comes from the error's offset.
    const where = lineCounter.linePos(problemStart(yamlText, error)).line;
    const quote = unclosedQuote(error);
    const message = quote
      ? `the ${quote} quote opened on this line is not closed`
      : firstLine(error.message);
    problems.push({ file, line: where + 1, message: `front matter: ${message}` });
  }
  if (doc.errors.length > 0) return { problems };

  const keyLines = new Map<string, number>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (isScalar(pair.key) && pair.key.range) {
        keyLines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line + 1);
      }
    }
  } else if (doc.contents !== null) {
    return {
      problems: [
        ...problems,
        { file, line: 2, message: "front matter must be `key: value` lines" },
      ],
    };
  }

  const parsed = metaSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          problems.push({
            file,
            line: keyLines.get(key) ?? 1,
            message: `unknown key "${key}"; the keys are ${FRONT_MATTER_KEYS.join(", ")}`,
          });
        }
        continue;
      }
      const key = String(issue.path[0] ?? "");
      const line = keyLines.get(key);
      const missing = line === undefined && issue.code === "invalid_type";
      problems.push({
        file,
        line: line ?? 1,
        message: missing ? `missing required key "${key}"` : issue.message,
      });
    }
  }

  const bodyFirstLine = closing + 2;
  const body = lines.slice(closing + 1).join("\n");
  if (body.trim() === "") {
    problems.push({
      file,
      line: bodyFirstLine,
      message: "empty body: paste the article text after the front matter",
    });
  }
  if (!parsed.success || problems.length > 0) return { problems };

  const meta = parsed.data;
  const cleaned = cleanBody(body, bodyFirstLine, meta.headline);
  if (cleaned.paragraphs.length === 0) {
    return problem(
      bodyFirstLine,
      "no paragraphs left after cleaning: every line looked like page chrome (run `npm run check-seeds` to see why)",
    );
  }
  const article: Article = {
    slug,
    file,
    outlet: meta.outlet,
    headline: meta.headline,
    url: meta.url,
    ...(meta.published !== undefined && { published: meta.published }),
    ...(meta.byline !== undefined && { byline: meta.byline }),
    paragraphs: cleaned.paragraphs.map((p, i) => ({ ordinal: i + 1, line: p.line, text: p.text })),
    dropped: cleaned.dropped,
  };
  return { article, problems: [] };
}

/**
 * Where a YAML error starts. yaml reports a missing closing quote where it gave up looking,
 * often lines later (the end of the front matter); the problem starts at the opening quote.
 */
function problemStart(yamlText: string, error: YAMLError): number {
  const at = error.pos[0];
  if (!unclosedQuote(error)) return at;
  for (const token of new Parser().parse(yamlText)) {
    const opening = quotedScalarAround(token, at);
    if (opening !== undefined) return opening;
  }
  return at;
}

/** The quote character a "Missing closing quote" error is about. */
function unclosedQuote(error: YAMLError): string | undefined {
  if (error.code !== "MISSING_CHAR") return undefined;
  return /Missing closing (["'])quote/.exec(error.message)?.[1];
}

/** The offset of the quoted scalar in a CST token tree that spans `offset`, if any. */
function quotedScalarAround(node: unknown, offset: number): number | undefined {
  if (node === null || typeof node !== "object") return undefined;
  const token = node as { type?: unknown; offset?: unknown; source?: unknown };
  if (
    (token.type === "double-quoted-scalar" || token.type === "single-quoted-scalar") &&
    typeof token.offset === "number" &&
    typeof token.source === "string" &&
    token.offset <= offset &&
    offset <= token.offset + token.source.length
  ) {
    return token.offset;
  }
  for (const child of Object.values(node)) {
    const found = quotedScalarAround(child, offset);
    if (found !== undefined) return found;
  }
  return undefined;
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}
