/**
 * Adds an article to the corpus folder from a web page or a saved `.html` file: extracts the
 * body and the front matter, checks the file exactly as `check-seeds` would, refuses a URL or
 * slug already in the folder (unless replacing), and writes `<slug>.md` atomically. Nothing
 * here knows about Discord. The command line calls {@link addArticle}; the bot calls the two
 * steps apart (`add-and-reload.ts`), so that it can read the page off its main thread and undo
 * the write when the reload that follows fails.
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { type Article, type ArticleMeta, parseArticle, slugFromFileName } from "../core/article.js";
import { loadCorpus } from "../core/corpus.js";
import { formatProblem } from "../core/problem.js";
import { extractArticle } from "./extract.js";
import { decodeHtml, type FetchOptions, fetchPage, MAX_PAGE_BYTES } from "./fetch-page.js";
import { withFolderLock } from "./folder-lock.js";
import { dateOf } from "./page-metadata.js";

/** An expected refusal: one sentence for the admin, naming what to do where it can. */
export class AddArticleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AddArticleError";
  }
}

/** Front matter given by the admin; each one wins over what the page says. */
export interface MetaOverrides {
  outlet?: string;
  headline?: string;
  url?: string;
  published?: string;
  byline?: string;
}

export interface AddArticleRequest {
  /** An http(s) link, or the path of a saved page. */
  source: string;
  overrides?: MetaOverrides;
  /** Overwrite an article with the same URL or slug. */
  replace?: boolean;
  /** The corpus folder, and how to show it (`seeds`). */
  seedsDir: string;
  seedsLabel?: string;
  fetch?: FetchOptions;
}

export interface AddedArticle {
  /** The file as the admin knows it, e.g. `seeds/x.md`. */
  file: string;
  /** The article as the corpus will load it: paragraphs kept, lines dropped. */
  article: Article;
  /** Files of the folder that were replaced (same URL or same slug). */
  replaced: string[];
}

/** Longest slug derived from a headline; cut at a word. */
const MAX_SLUG_LENGTH = 80;

const FLAG_FOR: Record<keyof ArticleMeta, string> = {
  outlet: "--outlet",
  headline: "--headline",
  url: "--url",
  published: "--published",
  byline: "--byline",
};

/** The slug for a headline: lower case, hyphens, at most 80 characters, cut at a word. */
function slugFromHeadline(headline: string): string {
  const slug = slugFromFileName(headline);
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH + 1);
  return cut.slice(0, cut.lastIndexOf("-")).replace(/-+$/, "") || slug.slice(0, MAX_SLUG_LENGTH);
}

/** The text of an article file: front matter written by the `yaml` library, then the body. */
export function articleFileText(meta: ArticleMeta, lines: readonly string[]): string {
  const front = stringify(
    {
      outlet: meta.outlet,
      headline: meta.headline,
      url: meta.url,
      ...(meta.published !== undefined && { published: meta.published }),
      ...(meta.byline !== undefined && { byline: meta.byline }),
    },
    { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 },
  );
  return `---\n${front}---\n${lines.join("\n\n")}\n`;
}

/** Reads the page: fetched when `source` is a link, else read from the file. */
async function readSource(
  source: string,
  options: FetchOptions,
): Promise<{ html: string; pageUrl?: string }> {
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(source)) {
    const page = await fetchPage(source, options);
    return { html: page.html, pageUrl: page.url };
  }
  let size: number;
  try {
    const info = await stat(source);
    if (!info.isFile()) throw new AddArticleError(`${source} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof AddArticleError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : (code ?? "unexpected error");
    throw new AddArticleError(`cannot read ${source}: ${why}`);
  }
  if (size > MAX_PAGE_BYTES) {
    throw new AddArticleError(`${source} is larger than 5 MB; is it a single page?`);
  }
  return { html: decodeHtml(await readFile(source)) };
}

/** An article ready to be written: its file name, its text, and how the corpus will load it. */
export interface PreparedArticle {
  /** `<slug>.md` */
  name: string;
  /** The file as the admin knows it, e.g. `seeds/x.md`. */
  file: string;
  text: string;
  article: Article;
}

/**
 * Reads the page and builds the article file, checked as `check-seeds` checks it. Writes
 * nothing: this is the slow part (fetching, and Readability over a page of up to 5 MB), which
 * the bot runs in a thread of its own (`prepare-thread.ts`).
 *
 * @throws {AddArticleError} and the fetch's own refusals (`FetchRefusedError`,
 *   `AddressRefusedError`, `HostNotFoundError`, `NoArticleError`), each with a one-sentence
 *   message
 */
export async function prepareArticle(request: AddArticleRequest): Promise<PreparedArticle> {
  const label = request.seedsLabel ?? path.basename(request.seedsDir);
  const overrides = request.overrides ?? {};
  if (overrides.published !== undefined && dateOf(overrides.published) !== overrides.published) {
    throw new AddArticleError(
      "--published must be a real date written YYYY-MM-DD, e.g. 2026-01-05",
    );
  }

  const { html, pageUrl } = await readSource(request.source, request.fetch ?? {});
  const { metadata, lines } = extractArticle(html, pageUrl);
  const meta = { ...metadata, ...definedOnly(overrides) };
  if (meta.url === undefined && pageUrl !== undefined) meta.url = pageUrl;
  for (const key of ["outlet", "headline", "url"] as const) {
    if (meta[key] === undefined) {
      throw new AddArticleError(
        `the page does not name its ${key === "url" ? "address" : key}: pass ${FLAG_FOR[key]} ${key === "url" ? "LINK" : `"…"`}`,
      );
    }
  }
  const complete = meta as ArticleMeta;
  const slug = slugFromHeadline(complete.headline);
  if (slug === "") {
    throw new AddArticleError(
      'the headline has no letters or digits for a file name: pass --headline "…"',
    );
  }
  const name = `${slug}.md`;
  const file = `${label}/${name}`;
  const text = articleFileText(complete, lines);
  const parsed = parseArticle(file, name, new TextEncoder().encode(text));
  if (!parsed.article) {
    const [first] = parsed.problems;
    const key = Object.keys(FLAG_FOR).find((k) => first?.message.includes(k)) as
      | keyof ArticleMeta
      | undefined;
    const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : "";
    const hint = key === undefined ? "" : `; pass ${FLAG_FOR[key]} to set it`;
    throw new AddArticleError(
      `the article would not pass check-seeds: ${first ? formatProblem(first) : "unknown problem"}${more}${hint}`,
    );
  }
  return { name, file, text, article: parsed.article };
}

/** A file of the folder as it was before an add: its bytes, or none when it did not exist. */
export interface Backup {
  name: string;
  bytes?: Uint8Array;
}

export interface WrittenArticle extends AddedArticle {
  /** What {@link restoreArticles} needs to put the folder back as it was. */
  backups: Backup[];
}

/**
 * Writes a prepared article into the folder: refuses a URL or slug already there unless
 * `replace`, then writes `<slug>.md` atomically and removes an article with the same URL under
 * another name. Returns the previous bytes of every file it touched. Hold the folder's lock
 * (`folder-lock.ts`) around it, so that two adds cannot both pass the duplicate check.
 */
export async function writeArticle(
  request: Pick<AddArticleRequest, "seedsDir" | "seedsLabel" | "replace">,
  prepared: PreparedArticle,
): Promise<WrittenArticle> {
  const label = request.seedsLabel ?? path.basename(request.seedsDir);
  const { name, file, text, article } = prepared;
  const replaced = await clashes(request.seedsDir, label, article);
  if (replaced.length > 0 && request.replace !== true) {
    throw new AddArticleError(
      `${replaced.map((c) => c.reason).join("; ")}: pass --replace to overwrite it`,
    );
  }
  const touched = [name, ...replaced.map((c) => c.name).filter((n) => n !== name)];
  const backups: Backup[] = [];
  for (const touchedName of touched) {
    backups.push(await backupOf(request.seedsDir, touchedName));
  }
  await writeAtomically(path.join(request.seedsDir, name), text);
  // An article with the same URL under another name is replaced by the new file.
  for (const clash of replaced) {
    if (clash.name !== name) await rm(path.join(request.seedsDir, clash.name), { force: true });
  }
  return {
    file,
    article,
    replaced: replaced.map((c) => `${label}/${c.name}`),
    backups,
  };
}

async function backupOf(dir: string, name: string): Promise<Backup> {
  try {
    return { name, bytes: new Uint8Array(await readFile(path.join(dir, name))) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { name };
    throw new AddArticleError(
      `cannot read ${name} to keep a copy: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
}

/**
 * Puts the folder back as it was before {@link writeArticle}: a file that did not exist is
 * removed, a replaced one gets its old bytes back (written atomically).
 */
export async function restoreArticles(dir: string, backups: readonly Backup[]): Promise<void> {
  for (const backup of backups) {
    const target = path.join(dir, backup.name);
    if (backup.bytes === undefined) await rm(target, { force: true });
    else await writeAtomically(target, backup.bytes);
  }
}

/**
 * Adds one article (the command line's whole job). On any refusal throws, and the folder is
 * left exactly as it was.
 *
 * @throws {AddArticleError} and the fetch's own refusals (`FetchRefusedError`,
 *   `AddressRefusedError`, `HostNotFoundError`, `NoArticleError`), each with a one-sentence
 *   message
 */
export async function addArticle(request: AddArticleRequest): Promise<AddedArticle> {
  const prepared = await prepareArticle(request);
  const label = request.seedsLabel ?? path.basename(request.seedsDir);
  const { file, article, replaced } = await withFolderLock(request.seedsDir, label, () =>
    writeArticle(request, prepared),
  );
  return { file, article, replaced };
}

/** The names of the errors that are refusals with a message for the admin, not faults. */
const REFUSALS = new Set([
  "AddArticleError",
  "FetchRefusedError",
  "AddressRefusedError",
  "HostNotFoundError",
  "NoArticleError",
  "FolderLockError",
]);

/** Whether an error is an expected refusal whose message is meant for the admin. */
export function isRefusal(error: unknown): error is Error {
  return error instanceof Error && REFUSALS.has(error.name);
}

function definedOnly(overrides: MetaOverrides): Partial<ArticleMeta> {
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
}

interface Clash {
  name: string;
  reason: string;
}

/** Files of the folder that hold the same URL or the same slug as `article`. */
async function clashes(dir: string, label: string, article: Article): Promise<Clash[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new AddArticleError(`cannot read the folder ${label}: does it exist?`);
  }
  const found = new Map<string, Clash>();
  for (const name of names) {
    if (!name.startsWith(".") && slugFromFileName(name) === article.slug) {
      found.set(name, { name, reason: `${label}/${name} already exists` });
    }
  }
  const { parsed } = await loadCorpus(dir, label);
  for (const other of parsed) {
    if (sameUrl(other.url, article.url)) {
      const name = path.basename(other.file);
      found.set(name, { name, reason: `${other.file} already has this URL` });
    }
  }
  return [...found.values()];
}

/** Links that differ only in a trailing slash, a fragment or the host's case are one page. */
function sameUrl(a: string, b: string): boolean {
  const normal = (link: string) => {
    try {
      const url = new URL(link);
      url.hash = "";
      return url.href.replace(/\/+$/, "");
    } catch {
      return link;
    }
  };
  return normal(a) === normal(b);
}

/**
 * Writes a temporary dot-file beside the target (the corpus loader ignores dot-files), then
 * renames it over the target, so that a reader sees the old file or the new one, never half.
 */
async function writeAtomically(target: string, text: string | Uint8Array): Promise<void> {
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temporary, text, { flag: "wx" });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new AddArticleError(
      `cannot write ${path.basename(target)}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
}
