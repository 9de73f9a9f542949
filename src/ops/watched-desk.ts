/**
 * The desk as the bot serves it, watched: declines and reloads are counted in the metrics,
 * and what the health report says about the index (loaded, how much, since when, how the last
 * reload went) is kept at hand, so that a probe never waits on the index thread.
 */
import { type Desk, overriding, type ServingSummary } from "../core/desk.js";
import type { ThreadedDesk } from "../desk/index-thread-client.js";
import type { BotMetrics } from "./metrics.js";

/** The index, as `/health` reports it. */
export interface IndexHealth {
  loaded: boolean;
  articles?: number;
  paragraphs?: number;
  /** When the live index was built (ISO 8601). */
  loadedAt?: string;
  /** The last reload of this process since it started, if any. */
  lastReload?: {
    outcome: "reloaded" | "failed" | "busy";
    /** When it ended (ISO 8601). */
    at: string;
    durationMs: number;
  };
}

export interface WatchedDesk {
  /** The desk to serve: the same calls, observed. */
  desk: Desk;
  /** The index as things stand; never waits. */
  health(): IndexHealth;
}

export function watchDesk(desk: ThreadedDesk, metrics: BotMetrics): WatchedDesk {
  let serving: ServingSummary | undefined;
  let lastReload: IndexHealth["lastReload"];
  const live = (summary: ServingSummary) => {
    serving = summary;
    metrics.serving(summary);
  };
  // A failed first load is reported by whoever awaits `ready` (the bot exits); here it only
  // means that the index never counts as loaded.
  desk.ready.then(live, () => undefined);

  const watched = overriding(desk, {
    async answer(question, options) {
      const answer = await desk.answer(question, options);
      if (!answer.answered) metrics.declined(answer.reason ?? "no-match");
      return answer;
    },
    async reload() {
      const started = performance.now();
      const outcome = await desk.reload();
      const seconds = (performance.now() - started) / 1000;
      metrics.reloaded(outcome.status, seconds);
      lastReload = {
        outcome: outcome.status,
        at: new Date().toISOString(),
        durationMs: Math.round(seconds * 1000),
      };
      live(outcome.serving);
      return outcome;
    },
  });

  return {
    desk: watched,
    health: () => ({
      loaded: serving !== undefined,
      ...(serving && {
        articles: serving.articles,
        paragraphs: serving.paragraphs,
        loadedAt: serving.loadedAt,
      }),
      ...(lastReload && { lastReload }),
    }),
  };
}
