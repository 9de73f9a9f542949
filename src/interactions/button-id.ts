/**
 * Button custom ids, built and read here only: `<command>:<session>:<action>:<page>`, e.g.
 * `ask:Xb3k9_Qa:page:2`. The command part routes a click to the command that made the button;
 * the session key finds what the answer was about (see `sessions.ts`), since a custom id holds
 * at most 100 characters, less than a question.
 */
import { LIMITS } from "./limits.js";

export interface ButtonId {
  /** The command that made the button and handles its clicks. */
  command: string;
  /** The answer session's key. */
  session: string;
  /** What the button does, in the command's own words (`page`, `outlets`). */
  action: string;
  /** The passage the button leads to or returns to (0 = the best). */
  page: number;
}

const PATTERN = /^([-_a-z0-9]{1,32}):([\w-]{1,16}):([a-z]{1,16}):(\d{1,2})$/;

export function formatButtonId(id: ButtonId): string {
  const text = `${id.command}:${id.session}:${id.action}:${id.page}`;
  if (parseButtonId(text) === undefined || text.length > LIMITS.customId) {
    throw new Error(`not a valid button id: ${text}`);
  }
  return text;
}

/** The parts of a custom id, or undefined when it is not one of ours (or was tampered with). */
export function parseButtonId(customId: string): ButtonId | undefined {
  const match = PATTERN.exec(customId);
  if (!match) return undefined;
  const [, command = "", session = "", action = "", page = "0"] = match;
  return { command, session, action, page: Number(page) };
}

/** The command a click goes to: the id's first part, even when the rest is malformed. */
export function buttonCommand(customId: string): string {
  return customId.split(":", 1)[0] ?? "";
}
