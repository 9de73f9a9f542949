/**
 * The reply model: what a command shows, said by meaning rather than by format. Commands build
 * a {@link Reply}; `discord/message.ts` turns it into a Discord message (markdown, embeds,
 * buttons, within Discord's limits) and `console/render.ts` into terminal text. Text here is
 * plain: it is never markdown, and each front end escapes or styles it its own way.
 */
import type { Citation } from "../core/passage-index.js";
import type { AnswerSessions } from "./sessions.js";

/** A piece of a line: plain text, or text with a meaning a front end shows its own way. */
export type Span =
  | string
  | { strong: string }
  | { code: string }
  | { link: string; url: string }
  /** A moment, shown as a date and time, or relative to now ("5 minutes ago"). */
  | { time: string; style: "date-time" | "relative" }
  /** Lines shown as they are, in a block of their own (problems by file and line). */
  | { block: string[] };

/** One line of text: plain, or a run of spans. */
export type Line = string | readonly Span[];

/** A passage of an article, with the sentence that best answers the question. */
export interface Passage {
  text: string;
  /** The sentence to emphasise, as offsets into `text`. */
  highlight: { start: number; end: number };
  citation: Citation;
  /** Its place among the answer's passages, when the reply pages through them. */
  position?: { index: number; of: number };
}

/**
 * A list under a heading, such as `/source`'s outlets and their articles. A front end with
 * little room shows the groups that fit, then {@link Panel.omitted} with how many items it
 * left out.
 */
export interface Panel {
  title: string;
  header: Line[];
  groups: Array<{ heading: Line; items: Line[] }>;
  /** What to say when `count` items did not fit. */
  omitted(count: number): Line;
}

export interface Button {
  /** The custom id (see `button-id.ts`). */
  id: string;
  label: string;
  /** The button to press next stands out. */
  primary?: boolean;
  disabled?: boolean;
}

/** How a front end marks each passage of a {@link Reply.tentative} reply. */
export const TENTATIVE_MARK = "closest passage, not a confident answer";

/** A message to show. Every part is optional; a front end shows them in this order. */
export interface Reply {
  /** What the reply is about: the question, above everything. */
  title?: Line;
  /** Sentences: a decline, a problem, a report. */
  notes?: Line[];
  passages?: Passage[];
  panel?: Panel;
  buttons?: Button[];
  /**
   * The passages are the closest found, not an answer: each front end marks every one of them
   * as not a confident answer.
   */
  tentative?: boolean;
  /**
   * The answer session its buttons refer to (see `sessions.ts`). A front end ties it to the
   * message it posts ({@link AnswerSessions.attach}), so that only that message's buttons work.
   */
  session?: string;
  /** Shown only to the person who used the command. */
  ephemeral?: boolean;
}
