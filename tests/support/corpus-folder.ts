/**
 * Corpus folders for tests: real files in a temporary folder, removed after each test.
 *
 * Every folder is created as `<mkdtemp>/seeds`, so that problems read `seeds/<file>:<line>`
 * exactly as an admin sees them, and the parent folder is free for files "outside the corpus".
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach } from "vitest";

/** The project's real corpus folder. */
export const SEEDS_DIR = path.resolve(import.meta.dirname, "../../seeds");

/** What an article file declares, and its body as paragraphs. */
export interface ArticleSpec {
  outlet: string;
  headline: string;
  url: string;
  published?: string;
  byline?: string;
  /** Written one per line, separated by blank lines. */
  paragraphs: string[];
}

/** The text of an article file in the project's format: front matter, then the body. */
export function articleText(spec: ArticleSpec): string {
  const meta = [
    `outlet: ${JSON.stringify(spec.outlet)}`,
    `headline: ${JSON.stringify(spec.headline)}`,
    `url: ${JSON.stringify(spec.url)}`,
    ...(spec.published === undefined ? [] : [`published: ${JSON.stringify(spec.published)}`]),
    ...(spec.byline === undefined ? [] : [`byline: ${JSON.stringify(spec.byline)}`]),
  ];
  return `---\n${meta.join("\n")}\n---\n${spec.paragraphs.join("\n\n")}\n`;
}

export type FolderFiles = Record<string, string | Uint8Array>;

export interface TempFolders {
  /** Creates `<tmp>/seeds` holding `files`; returns its path. */
  create(files?: FolderFiles): Promise<string>;
  /** Creates `<tmp>/seeds` as a copy of the project's seeds folder; returns its path. */
  copyOfSeeds(): Promise<string>;
}

/**
 * Registers an `afterEach` that removes every folder made through the returned object.
 * Call it once at the top of a test file (or of a `describe`).
 */
export function useTempFolders(): TempFolders {
  const roots: string[] = [];
  afterEach(async () => {
    await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });
  const makeRoot = async () => {
    const root = await mkdtemp(path.join(tmpdir(), "summit-desk-test-"));
    roots.push(root);
    return root;
  };
  return {
    async create(files = {}) {
      const dir = path.join(await makeRoot(), "seeds");
      await mkdir(dir);
      await writeFiles(dir, files);
      return dir;
    },
    async copyOfSeeds() {
      const dir = path.join(await makeRoot(), "seeds");
      await cp(SEEDS_DIR, dir, { recursive: true });
      return dir;
    },
  };
}

async function writeFiles(dir: string, files: FolderFiles): Promise<void> {
  await Promise.all(
    Object.entries(files).map(([name, content]) => writeFile(path.join(dir, name), content)),
  );
}
