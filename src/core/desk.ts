/**
 * The desk: what every front end needs from the core, with no part of the core behind it.
 * Front ends import this module, not library.ts, so that a process that only forwards calls
 * (the bot's main thread, the shard manager) does not load the analyzer, the index and the
 * lexical data.
 */
import type { Answer, AnswerOptions, AnswerResult } from "./answer.js";
import type { Changes } from "./changes.js";
import type { Notice, Problem } from "./problem.js";

/** What `/source` shows: the outlets and their articles. */
export interface Sources {
  loadedAt: string;
  articleCount: number;
  paragraphCount: number;
  outlets: Array<{
    name: string;
    articles: Array<{
      slug: string;
      headline: string;
      url: string;
      published?: string;
      paragraphs: number;
    }>;
  }>;
}

export interface ServingSummary {
  articles: number;
  paragraphs: number;
  loadedAt: string;
}

/**
 * How a reload went. `notices` (files ignored, names that break the naming rule) are for the
 * admin whether or not the reload succeeded.
 */
export type ReloadOutcome =
  | {
      status: "reloaded";
      changes: Changes;
      serving: ServingSummary;
      durationMs: number;
      notices?: Notice[];
    }
  | { status: "failed"; problems: Problem[]; serving: ServingSummary; notices?: Notice[] }
  | { status: "busy"; serving: ServingSummary };

/**
 * What every front end needs from the core: the one definition of the desk. Asynchronous so
 * that the same interface can be served in-process (console, CLI, tests) or from a worker
 * thread (the bot), whose message protocol and forwarding are derived from it.
 *
 * To add a method: declare it here, implement it in `Library` (library.ts), and name it in
 * `DESK_METHOD_NAMES` below (the compiler insists). The worker thread, the calls that wait
 * for the index and the shard wrapper pick it up from there.
 */
export interface Desk {
  answer(question: string, options?: AnswerOptions): Promise<Answer>;
  answerByOutlet(question: string): Promise<AnswerResult[]>;
  suggest(input: string): Promise<string[]>;
  sources(): Promise<Sources>;
  outlets(): Promise<string[]>;
  /** How much the live index holds, and since when. */
  serving(): Promise<ServingSummary>;
  reload(): Promise<ReloadOutcome>;
  /** Each text's analysed terms, as the index sees them (the analyzer's `terms()`). */
  terms(texts: string[]): Promise<string[][]>;
}

export type DeskMethod = keyof Desk;

// A record rather than a list, so that a method missing here (or one too many) is a type error.
const DESK_METHOD_NAMES: Record<DeskMethod, true> = {
  answer: true,
  answerByOutlet: true,
  suggest: true,
  sources: true,
  outlets: true,
  serving: true,
  reload: true,
  terms: true,
};

/** Every method of {@link Desk}, for code that forwards calls. */
export const DESK_METHODS = Object.freeze(Object.keys(DESK_METHOD_NAMES) as DeskMethod[]);

/**
 * Sends one desk call somewhere (to another desk, to a worker thread) and returns its result.
 * The {@link Desk} type that {@link forwardingDesk} returns is what checks the arguments.
 */
export type DeskCall<M extends DeskMethod> = (method: M, args: unknown[]) => Promise<unknown>;

/**
 * A desk whose every method goes through `call`, except those that `own` implements itself.
 * A wrapper that changes one method (the shards' `reload`) stays correct when the desk gains
 * another.
 */
export function forwardingDesk<Own extends DeskMethod>(
  call: DeskCall<Exclude<DeskMethod, Own>>,
  own: Pick<Desk, Own>,
): Desk {
  const desk: Record<string, unknown> = { ...own };
  for (const method of DESK_METHODS) {
    if (method in own) continue;
    desk[method] = (...args: unknown[]) => call(method as Exclude<DeskMethod, Own>, args);
  }
  return desk as unknown as Desk;
}

/** `desk`, with the methods in `own` replaced. */
export function overriding<Own extends DeskMethod>(desk: Desk, own: Pick<Desk, Own>): Desk {
  return forwardingDesk<Own>(
    (method, args) => (desk[method] as (...args: unknown[]) => Promise<unknown>).apply(desk, args),
    own,
  );
}

/**
 * The index cannot answer right now: the thread that holds it stopped and a new one is not
 * ready yet (see `desk/index-thread-client.ts`). Front ends show the message as a status.
 */
export class IndexUnavailable extends Error {
  constructor(
    message: string,
    /** When the next attempt to bring it back is due (ms since the epoch), if one is planned. */
    readonly retryAt: number | undefined,
    /** What it will serve once it is back. */
    readonly serving: ServingSummary | undefined,
  ) {
    super(message);
    this.name = "IndexUnavailable";
  }
}
