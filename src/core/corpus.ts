/**
 * Reads the whole corpus folder: every article file, plus the alias table. Reading never
 * throws; the result either holds a complete corpus or every problem found, so that a
 * reload can be all or nothing.
 */
import { constants, type Dirent, type Stats } from "node:fs";
import { type FileHandle, open, readdir, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { ALIASES_FILE, type AliasTable, parseAliases } from "./aliases.js";
import { type Article, MAX_ARTICLE_BYTES, parseArticle, slugFromFileName } from "./article.js";
import { type Notice, type Problem, sortProblems } from "./problem.js";

export interface Corpus {
  articles: Article[];
  aliases: AliasTable;
}

export interface CorpusLoad {
  /** Set only when there are no problems. */
  corpus?: Corpus;
  problems: Problem[];
  /** Files ignored and names that break the naming rule, ordered by file; never a failure. */
  notices: Notice[];
  /** Every article that parsed, even when other files had problems (for the seed check). */
  parsed: Article[];
  /**
   * The bytes of every file the corpus was built from (articles and the alias table), by
   * name; set only with `corpus`. {@link loadCorpusFiles} builds the same corpus from them.
   */
  files?: CorpusFiles;
}

/** A corpus folder's files as read: file name → contents. */
export type CorpusFiles = ReadonlyMap<string, Uint8Array>;

/** How many files are read at once; enough to keep the disk busy without exhausting descriptors. */
const READ_CONCURRENCY = 32;

/** The naming rule for article files: lower-case letters, digits and hyphens, then `.md`. */
const ARTICLE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*\.md$/;

/**
 * Loads `dir`. Files ending in `.md` are articles; `aliases.yaml` is the alias table. Other
 * files and folders are ignored and named in `notices`, as are articles whose names break the
 * naming rule (with the slug they got). Dot-files, such as editor swap files, are ignored
 * without a word.
 *
 * @param label  how to show the folder in problems, e.g. `seeds`
 */
export async function loadCorpus(dir: string, label = path.basename(dir)): Promise<CorpusLoad> {
  const problems: Problem[] = [];
  const show = (name: string) => `${label}/${name}`;

  let entries: Dirent[];
  let root: string;
  try {
    root = await realpath(dir);
    const info = await stat(root);
    if (!info.isDirectory()) {
      return {
        problems: [{ file: label, line: 1, message: "is not a folder" }],
        notices: [],
        parsed: [],
      };
    }
    entries = (await readdir(root, { withFileTypes: true }))
      .filter((e) => !e.name.startsWith("."))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    return {
      problems: [
        { file: label, line: 1, message: `cannot read the folder: ${describeFsError(error)}` },
      ],
      notices: [],
      parsed: [],
    };
  }
  const names = entries.map((e) => e.name);

  const articleNames = names.filter((n) => n.toLowerCase().endsWith(".md"));
  const notices: Notice[] = [];
  for (const entry of entries) {
    const notice = noticeFor(entry);
    if (notice) notices.push({ file: show(entry.name), message: notice });
  }
  if (articleNames.length === 0) {
    problems.push({ file: label, line: 1, message: "holds no article files (*.md)" });
  }

  const files = new Map<string, Uint8Array>();
  const read = async (name: string) => {
    const result = await readInside(root, name, MAX_ARTICLE_BYTES);
    if ("problem" in result) problems.push({ file: show(name), line: 1, message: result.problem });
    else files.set(name, result.bytes);
  };
  await forEachLimited(articleNames, READ_CONCURRENCY, read);
  if (names.includes(ALIASES_FILE)) await read(ALIASES_FILE);
  return { ...parseFiles(files, label, problems), notices };
}

/**
 * Builds a corpus from files already read (see {@link CorpusLoad.files}): what a restarted
 * index thread uses to serve exactly the corpus that was being served, whatever the folder
 * holds now.
 */
export function loadCorpusFiles(files: CorpusFiles, label: string): CorpusLoad {
  const names = [...files.keys()].filter(
    (n) => n === ALIASES_FILE || n.toLowerCase().endsWith(".md"),
  );
  const kept = new Map(names.map((n) => [n, files.get(n) as Uint8Array]));
  const problems: Problem[] = [];
  if (names.length === 0) {
    problems.push({ file: label, line: 1, message: "holds no article files (*.md)" });
  }
  return { ...parseFiles(kept, label, problems), notices: [] };
}

/** Parses what was read; `problems` holds those found so far (files that could not be read). */
function parseFiles(
  files: CorpusFiles,
  label: string,
  problems: Problem[],
): Omit<CorpusLoad, "notices"> {
  const show = (name: string) => `${label}/${name}`;
  const parsed: Article[] = [];
  let aliases: AliasTable = { groups: [] };
  for (const [name, bytes] of files) {
    if (name === ALIASES_FILE) {
      const result = parseAliases(show(ALIASES_FILE), bytes);
      problems.push(...result.problems);
      aliases = result.table;
      continue;
    }
    const result = parseArticle(show(name), name, bytes);
    problems.push(...result.problems);
    if (result.article) parsed.push(result.article);
  }
  parsed.sort((a, b) => a.file.localeCompare(b.file));
  problems.push(...duplicateProblems(parsed));

  if (problems.length > 0) return { problems: sortProblems(problems), parsed };
  return { corpus: { articles: parsed, aliases }, problems: [], parsed, files };
}

/** What to tell the admin about one entry of the folder, if anything. */
function noticeFor(entry: Dirent): string | undefined {
  const { name } = entry;
  if (name === ALIASES_FILE) return undefined;
  if (!name.toLowerCase().endsWith(".md")) {
    if (entry.isDirectory()) {
      return "ignored: a folder (only files directly in this folder are read)";
    }
    if (/^aliases\.ya?ml$/i.test(name)) {
      return `ignored: the alias table must be named exactly ${ALIASES_FILE}`;
    }
    return `ignored: only *.md articles and ${ALIASES_FILE} are read`;
  }
  const slug = slugFromFileName(name);
  if (ARTICLE_NAME.test(name) || slug === "") return undefined;
  return `the name breaks the naming rule (lower-case words and hyphens, e.g. ${slug}.md); loaded with the slug "${slug}"`;
}

function duplicateProblems(articles: Article[]): Problem[] {
  const problems: Problem[] = [];
  const check = (key: (a: Article) => string, what: string) => {
    const first = new Map<string, Article>();
    for (const article of articles) {
      const value = key(article);
      const earlier = first.get(value);
      if (earlier) {
        problems.push({
          file: article.file,
          line: 1,
          message: `duplicate ${what} "${value}" (also ${earlier.file})`,
        });
      } else {
        first.set(value, article);
      }
    }
  };
  check((a) => a.slug, "slug");
  check((a) => a.url, "url");
  return problems;
}

type ReadResult = { bytes: Buffer } | { problem: string };

/**
 * Reads a file of the corpus folder, refusing anything that is not a regular file inside it.
 *
 * The file is opened once and every check is made on what was opened (its handle), never on
 * the path again, so that a file swapped between a check and the read is never read: it must
 * be a regular file of at most `maxBytes`, have one name only (a second name, a hard link, may
 * be a file outside the folder), and its real path must be inside the folder (a symbolic link
 * may point elsewhere in the folder, never outside). Opened non-blocking, so that a named pipe
 * does not hang the load.
 */
async function readInside(root: string, name: string, maxBytes: number): Promise<ReadResult> {
  let handle: FileHandle;
  try {
    handle = await open(path.join(root, name), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENXIO") return { problem: "is not a regular file" };
    return { problem: `cannot read the file: ${describeFsError(error)}` };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { problem: "is a folder, not an article file" };
    if (!info.isFile()) return { problem: "is not a regular file" };
    if (info.nlink === 0) return { problem: "was removed while it was being read; try again" };
    if (info.nlink > 1) {
      return {
        problem: `has ${info.nlink} names (a hard link), so it may be a file outside the folder; copy the file in instead`,
      };
    }
    if (!isInside(root, await openedPath(handle, root, name, info))) {
      return {
        problem: "is a symbolic link to a file outside the folder; copy the file in instead",
      };
    }
    if (info.size > maxBytes) return { problem: tooLarge(info.size, maxBytes) };
    // Read at most one byte more than allowed: the file may have grown since it was opened.
    // The buffer is sized from the file's size and grows only for a file that grew, so a
    // corpus of thousands of files does not allocate a megabyte each (memory the process
    // keeps long after the load). Unpooled, so no file holds a slab shared with others.
    let buffer = Buffer.allocUnsafeSlow(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    // Bounded: each pass reads at least one byte or ends, and no more than one byte over the
    // limit is ever read.
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > maxBytes) break;
        const larger = Buffer.allocUnsafeSlow(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
    }
    if (length > maxBytes) return { problem: tooLarge(length, maxBytes) };
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { problem: `cannot read the file: ${describeFsError(error)}` };
  } finally {
    await handle.close();
  }
}

/**
 * The real path of the file a handle has open. On Linux the kernel says it
 * (`/proc/self/fd/<fd>`); elsewhere the name's real path, accepted only when it is still the
 * same file as the handle's (same device and inode).
 */
async function openedPath(
  handle: FileHandle,
  root: string,
  name: string,
  info: Stats,
): Promise<string> {
  try {
    return await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    const target = await realpath(path.join(root, name));
    const now = await stat(target);
    return now.dev === info.dev && now.ino === info.ino ? target : "";
  }
}

function tooLarge(size: number, maxBytes: number): string {
  const mb = (size / (1024 * 1024)).toFixed(1);
  return `file is ${mb} MB; an article may be at most ${maxBytes / (1024 * 1024)} MB`;
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** Turns a file-system error into words, without the absolute path it may carry. */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "it does not exist";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "ELOOP":
      return "too many symbolic links";
    case "EISDIR":
      return "it is a folder";
    default:
      return code ?? "unexpected error";
  }
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}
