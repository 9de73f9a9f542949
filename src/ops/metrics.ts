/**
 * The bot's metrics, in the Prometheus text format through prom-client. Every label takes
 * bounded values only: a command's registered name (or "unknown"), an outcome, a decline
 * reason, an HTTP status. Never a question, a user, a guild or a channel: a question's text
 * would make every scrape larger and leak what people asked.
 *
 * Each bot process (each shard) has its own {@link BotMetrics}; with shards, the manager asks
 * every shard for `registry.getMetricsAsJSON()` and serves their sum (see `discord/ops.ts`):
 * counters and histograms add up; the index size is the smallest any shard serves, so that a
 * shard without its index shows.
 */
import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from "prom-client";
import type { DeclineReason } from "../core/answer.js";
import type { ReloadOutcome, ServingSummary } from "../core/desk.js";
import type { InteractionObserver, InteractionOutcome } from "../interactions/observer.js";

/** What {@link Registry.getMetricsAsJSON} returns: one process's metrics, to be summed. */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** From a direct reply (milliseconds) to a deferred one after a slow reload (tens of seconds). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];
/** A reload of the seed articles takes about a second; of 100,000 paragraphs, 15–25 s. */
const RELOAD_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160];

export class BotMetrics implements InteractionObserver {
  readonly registry = new Registry();

  readonly #interactions = new Counter({
    name: "summit_desk_interactions_total",
    help: 'Commands, buttons and autocomplete uses handled, by command ("/ask", "/ask button", "/ask autocomplete") and outcome (answered: a reply, declines included; refused: a problem shown to the user, e.g. an empty question or the rate limit; failed: an unexpected error and an apology)',
    labelNames: ["command", "outcome"] as const,
    registers: [this.registry],
  });
  readonly #undelivered = new Counter({
    name: "summit_desk_replies_undelivered_total",
    help: "Replies that could not be sent to Discord, by command",
    labelNames: ["command"] as const,
    registers: [this.registry],
  });
  readonly #work = new Histogram({
    name: "summit_desk_answer_seconds",
    help: "Time from receiving a command or button use to its reply being ready, in this process",
    labelNames: ["command"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly #toReply = new Histogram({
    name: "summit_desk_interaction_to_reply_seconds",
    help: "Time from Discord creating the interaction (its id's timestamp) to the reply being sent, deferrals included",
    labelNames: ["command"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly #declines = new Counter({
    name: "summit_desk_declines_total",
    help: "Questions the desk did not answer, by reason (from /ask, or a button recomputing an answer)",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly #reloads = new Histogram({
    name: "summit_desk_reload_seconds",
    help: "Reloads of the articles by this process, by outcome (reloaded, failed, busy); _count is the number of reloads",
    labelNames: ["outcome"] as const,
    buckets: RELOAD_BUCKETS,
    registers: [this.registry],
  });
  readonly #reconnects = new Counter({
    name: "summit_desk_gateway_reconnects_total",
    help: "Times a gateway connection closed and the client set out to resume or identify again",
    registers: [this.registry],
  });
  readonly #restErrors = new Counter({
    name: "summit_desk_rest_errors_total",
    help: "Discord REST responses with status 400 or above, by status (each retry counts)",
    labelNames: ["status"] as const,
    registers: [this.registry],
  });
  readonly #articles = new Gauge({
    name: "summit_desk_index_articles",
    help: "Articles in the live index (0 until it is loaded); with shards, the smallest of theirs",
    registers: [this.registry],
    aggregator: "min",
  });
  readonly #paragraphs = new Gauge({
    name: "summit_desk_index_paragraphs",
    help: "Paragraphs (passages) in the live index (0 until it is loaded); with shards, the smallest of theirs",
    registers: [this.registry],
    aggregator: "min",
  });

  constructor() {
    // Event-loop lag, memory, CPU, handles: prom-client's standard process metrics.
    collectDefaultMetrics({ register: this.registry });
    // Present from the first scrape, so that a rate over them starts at zero.
    this.#reconnects.inc(0);
  }

  handled(what: string, outcome: InteractionOutcome): void {
    this.#interactions.inc({ command: what, outcome });
  }

  replied(what: string, timing: { workSeconds: number; sinceCreatedSeconds: number }): void {
    this.#work.observe({ command: what }, timing.workSeconds);
    // The interaction's time comes from Discord's clock: never negative, whatever the skew.
    this.#toReply.observe({ command: what }, Math.max(0, timing.sinceCreatedSeconds));
  }

  undelivered(what: string): void {
    this.#undelivered.inc({ command: what });
  }

  declined(reason: DeclineReason): void {
    this.#declines.inc({ reason });
  }

  reloaded(outcome: ReloadOutcome["status"], seconds: number): void {
    this.#reloads.observe({ outcome }, seconds);
  }

  reconnecting(): void {
    this.#reconnects.inc();
  }

  restError(status: number): void {
    this.#restErrors.inc({ status: String(status) });
  }

  serving(summary: ServingSummary): void {
    this.#articles.set(summary.articles);
    this.#paragraphs.set(summary.paragraphs);
  }
}

/** Every process's metrics summed into one text page (counters and histograms add up). */
export async function sumMetrics(each: MetricsJson[]): Promise<string> {
  return AggregatorRegistry.aggregate(each).metrics();
}

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
