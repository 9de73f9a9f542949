/**
 * The library: the live, loaded corpus and its index, and the reload transaction.
 *
 * A reload reads, cleans, validates and indexes the whole corpus folder aside; only when all
 * of that succeeded is the live snapshot replaced, by swapping one reference. Until then, and
 * for ever if it fails, questions are answered from the old snapshot. A question is answered
 * from the snapshot that was live when it started, never from a mix.
 */
import path from "node:path";
import { createAnalyzer } from "./analyzer.js";
import {
  type Answer,
  type AnswerOptions,
  type AnswerResult,
  answer,
  answerByOutlet,
} from "./answer.js";
import {
  type Changes,
  compareFingerprints,
  type Fingerprint,
  fingerprintOf,
  parseFingerprint,
  serializeFingerprint,
} from "./changes.js";
import { type CorpusFiles, type CorpusLoad, loadCorpus, loadCorpusFiles } from "./corpus.js";
import type { Desk, ReloadOutcome, ServingSummary, Sources } from "./desk.js";
import { buildPassageIndex, type PassageIndex } from "./passage-index.js";
import { CorpusError, type Notice, type Problem } from "./problem.js";
import { buildVocabulary, suggest, type Vocabulary } from "./suggest.js";

/** One loaded corpus, immutable once built. */
export interface Snapshot {
  readonly index: PassageIndex;
  readonly vocabulary: Vocabulary;
  readonly fingerprint: Fingerprint;
  readonly loadedAt: Date;
}

/** A snapshot as loaded, with the files it was built from (see {@link CorpusLoad.files}). */
interface LoadedSnapshot {
  snapshot?: Snapshot;
  problems: Problem[];
  notices?: Notice[];
  files?: CorpusFiles;
}

/**
 * Loads a corpus folder into a snapshot, or returns every problem it has. With `from`, the
 * snapshot is built from those files (as read earlier) instead of the folder's.
 */
export async function loadSnapshot(
  dir: string,
  label = path.basename(dir),
  from?: CorpusFiles,
): Promise<LoadedSnapshot> {
  const loaded: CorpusLoad = from ? loadCorpusFiles(from, label) : await loadCorpus(dir, label);
  const { notices, files } = loaded;
  if (!loaded.corpus) return { problems: loaded.problems, notices };
  const { articles, aliases } = loaded.corpus;
  const index = buildPassageIndex(articles, createAnalyzer(aliases));
  return {
    snapshot: {
      index,
      vocabulary: buildVocabulary(articles),
      fingerprint: fingerprintOf(articles),
      loadedAt: new Date(),
    },
    problems: [],
    notices,
    ...(files && { files }),
  };
}

export function summarize(snapshot: Snapshot): ServingSummary {
  return {
    articles: snapshot.index.articles.length,
    paragraphs: snapshot.index.passages.length,
    loadedAt: snapshot.loadedAt.toISOString(),
  };
}

function sourcesOf(snapshot: Snapshot): Sources {
  return {
    loadedAt: snapshot.loadedAt.toISOString(),
    articleCount: snapshot.index.articles.length,
    paragraphCount: snapshot.index.passages.length,
    outlets: snapshot.index.outlets.map((outlet) => ({
      name: outlet.name,
      articles: outlet.articles.map((a) => ({
        slug: a.slug,
        headline: a.headline,
        url: a.url,
        ...(a.published !== undefined && { published: a.published }),
        paragraphs: a.paragraphs.length,
      })),
    })),
  };
}

/** The in-process desk: holds the live snapshot and reloads it as a transaction. */
export class Library implements Desk {
  #current: Snapshot;
  #reloading = false;

  private constructor(
    private readonly dir: string,
    private readonly label: string,
    snapshot: Snapshot,
  ) {
    this.#current = snapshot;
  }

  /** Loads the corpus; throws {@link CorpusError} with every problem if it cannot. */
  static async open(dir: string, label = path.basename(dir)): Promise<Library> {
    return (await Library.load(dir, label)).library;
  }

  /**
   * Loads the corpus, from the folder or from `from` (files read earlier), and returns the
   * library with the files it was built from. A reload always reads the folder.
   * @throws {CorpusError} with every problem when the corpus cannot be loaded
   */
  static async load(
    dir: string,
    label: string,
    from?: CorpusFiles,
  ): Promise<{ library: Library; files: CorpusFiles }> {
    const { snapshot, problems, files } = await loadSnapshot(dir, label, from);
    if (!snapshot) throw new CorpusError(problems);
    return { library: new Library(dir, label, snapshot), files: files ?? new Map() };
  }

  /** The live snapshot. */
  get snapshot(): Snapshot {
    return this.#current;
  }

  async answer(question: string, options?: AnswerOptions): Promise<Answer> {
    return answer(this.#current.index, question, options);
  }

  async answerByOutlet(question: string): Promise<AnswerResult[]> {
    return answerByOutlet(this.#current.index, question);
  }

  async suggest(input: string): Promise<string[]> {
    return suggest(this.#current.vocabulary, input);
  }

  async sources(): Promise<Sources> {
    return sourcesOf(this.#current);
  }

  async outlets(): Promise<string[]> {
    return this.#current.index.outlets.map((o) => o.name);
  }

  async serving(): Promise<ServingSummary> {
    return summarize(this.#current);
  }

  async terms(texts: string[]): Promise<string[][]> {
    const { analyzer } = this.#current.index;
    return texts.map((text) => [...analyzer.terms(text)]);
  }

  /** The corpus's fingerprint as one string, to compare with another thread's corpus. */
  async fingerprint(): Promise<string> {
    return serializeFingerprint(this.#current.fingerprint);
  }

  /** What changed between the corpus whose {@link fingerprint} was `before` and this one. */
  async changesSince(before: string): Promise<Changes> {
    return compareFingerprints(parseFingerprint(before), this.#current.fingerprint);
  }

  /**
   * Reloads the corpus folder as a transaction. A reload asked for while another runs is
   * refused with `busy` rather than queued: the running one will pick up the same files.
   */
  async reload(): Promise<ReloadOutcome> {
    if (this.#reloading) return { status: "busy", serving: summarize(this.#current) };
    this.#reloading = true;
    const started = performance.now();
    try {
      const {
        snapshot,
        problems,
        notices = [],
      } = await loadSnapshot(this.dir, this.label).catch((error: unknown) => ({
        snapshot: undefined,
        problems: [unexpectedProblem(this.label, error)],
        notices: [],
      }));
      const noted = notices.length > 0 ? { notices } : {};
      if (!snapshot) {
        return { status: "failed", problems, serving: summarize(this.#current), ...noted };
      }
      const changes = compareFingerprints(this.#current.fingerprint, snapshot.fingerprint);
      this.#current = snapshot;
      return {
        status: "reloaded",
        changes,
        serving: summarize(snapshot),
        durationMs: Math.round(performance.now() - started),
        ...noted,
      };
    } finally {
      this.#reloading = false;
    }
  }
}

/** A failure nobody anticipated, as a problem the admin can read (no stack, no paths). */
export function unexpectedProblem(label: string, error: unknown): Problem {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { file: label, line: 1, message: `reload stopped by an unexpected error (${reason})` };
}
