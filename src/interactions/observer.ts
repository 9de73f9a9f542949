/**
 * What a front end may want to count about interactions, without knowing how: the dispatcher
 * and the Discord router report to an observer, and the bot's metrics (`src/ops/metrics.ts`)
 * implement it. The console passes none. Only bounded values are reported: a command's name
 * as registered (or "unknown"), never what anyone typed or who they are.
 */

/** How the dispatcher dealt with one use: a reply, a problem shown to the user, or an apology. */
export type InteractionOutcome = "answered" | "refused" | "failed";

export interface InteractionObserver {
  /** A command, button or autocomplete use was dealt with. `what` is e.g. "/ask" or "/ask button". */
  handled(what: string, outcome: InteractionOutcome): void;
  /**
   * A reply reached Discord. `workSeconds` is the time from receiving the interaction to the
   * reply being ready; `sinceCreatedSeconds` from Discord creating the interaction to the reply
   * being sent (it includes the gateway's delivery and any deferral).
   */
  replied?(what: string, timing: { workSeconds: number; sinceCreatedSeconds: number }): void;
  /** A reply could not be delivered. */
  undelivered?(what: string): void;
}
