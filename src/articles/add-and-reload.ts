/**
 * Adding an article from a link as one transaction, for the bot and the console: read the page
 * (in a thread of its own), write the file, reload the index. If any step fails, the folder is
 * put back as it was (a new file removed, a replaced one restored) and the old index keeps
 * serving. Nothing here knows about Discord; the reload is whatever the caller's desk does.
 */
import type { ReloadOutcome } from "../core/desk.js";
import type { AddArticleRequest, AddedArticle } from "./add-article.js";

/** How an add went. */
export type AddOutcome<R extends ReloadOutcome = ReloadOutcome> =
  /** Written and served. */
  | { status: "added"; added: AddedArticle; reload: R }
  /** Refused before anything was written: the page, the article or the folder. */
  | { status: "refused"; reason: string }
  /** Written, but the reload failed: the folder was put back, the old index serves. */
  | { status: "rolled-back"; added: AddedArticle; reload: R };

export interface ArticleAdderOptions {
  seedsDir: string;
  seedsLabel: string;
  /** For tests only: fetch from 127.0.0.1 / ::1 (`ADD_ARTICLE_ALLOW_LOOPBACK`). */
  allowLoopback: boolean;
  /** How long reading the page may take, fetch and extraction together. */
  prepareTimeoutMs?: number;
}

/** A reload already running: ask again this often, for at most this long. */
const BUSY_RETRY_MS = 250;
const BUSY_RETRIES = 240;

/** Adds articles from links to one folder. */
export class ArticleAdder {
  constructor(private readonly options: ArticleAdderOptions) {}

  /**
   * Adds the article at `link` and reloads with `reload`; `replace` overwrites an article with
   * the same link or file name (restored if the reload fails). A refusal is an outcome, not an
   * error; a fault (a bug, a disk that fails mid-way) throws, after the folder was put back.
   */
  async add<R extends ReloadOutcome>(
    link: string,
    reload: () => Promise<R>,
    { replace = false }: { replace?: boolean } = {},
  ): Promise<AddOutcome<R>> {
    // Loaded on the first add, not at start-up: the bot's main thread never needs Readability
    // and the DOM library that `add-article.ts` brings in until someone adds an article.
    const [{ isRefusal, restoreArticles, writeArticle }, { withFolderLock }, prepare] =
      await Promise.all([
        import("./add-article.js"),
        import("./folder-lock.js"),
        import("./prepare-thread-client.js"),
      ]);
    const { seedsDir, seedsLabel, allowLoopback } = this.options;
    const request: AddArticleRequest = {
      source: link,
      seedsDir,
      seedsLabel,
      replace,
      fetch: { allowLoopback },
    };
    try {
      if (!/^https?:\/\//i.test(link)) {
        return { status: "refused", reason: "only http:// and https:// links can be added" };
      }
      const prepared = await prepare.prepareInThread(
        request,
        this.options.prepareTimeoutMs ?? prepare.PREPARE_TIMEOUT_MS,
      );
      // The lock spans the duplicate check, the write, the reload and any undoing: a second
      // add of the same link waits for none of it and is refused.
      return await withFolderLock(seedsDir, seedsLabel, async () => {
        const { backups, ...added } = await writeArticle(request, prepared);
        let outcome: R;
        try {
          outcome = await reloadWhenFree(reload);
        } catch (error) {
          await restoreArticles(seedsDir, backups);
          throw error;
        }
        if (outcome.status === "reloaded") return { status: "added", added, reload: outcome };
        await restoreArticles(seedsDir, backups);
        return { status: "rolled-back", added, reload: outcome };
      });
    } catch (error) {
      if (isRefusal(error)) return { status: "refused", reason: error.message };
      throw error;
    }
  }
}

/**
 * Reloads; when another reload is running (an admin's `/reload`), waits for it to end and
 * reloads again, since the running one may have read the folder before the new file was in it.
 */
async function reloadWhenFree<R extends ReloadOutcome>(reload: () => Promise<R>): Promise<R> {
  let outcome = await reload();
  for (let retry = 0; retry < BUSY_RETRIES && outcome.status === "busy"; retry++) {
    await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    outcome = await reload();
  }
  return outcome;
}
