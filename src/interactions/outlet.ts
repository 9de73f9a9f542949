/**
 * Reading an outlet option the same way in every command: any unambiguous word or beginning
 * of the name, ignoring case and accents (`core/outlet-name.ts`).
 */
import type { Desk } from "../core/desk.js";
import { matchOutlet, outletsFitting } from "../core/outlet-name.js";
import { outletMessage } from "../core/wording.js";
import { type Choice, UserError } from "./command.js";

/**
 * The outlet an option names, by its full name, or `undefined` when the option is empty. A
 * name that fits no outlet, or several, is refused with the outlets to choose from.
 */
export async function resolveOutlet(
  desk: Pick<Desk, "outlets" | "sources">,
  typed: string | null,
): Promise<string | undefined> {
  const trimmed = typed?.trim() ?? "";
  if (trimmed === "") return undefined;
  const match = matchOutlet(trimmed, await desk.outlets());
  if (match.status === "found") return match.name;
  throw new UserError("unknown-outlet", outletMessage(match, trimmed, await desk.sources()));
}

/** The outlet option's suggestions while it is typed, by the same rule that reads it. */
export async function outletChoices(desk: Pick<Desk, "outlets">, typed: string): Promise<Choice[]> {
  return outletsFitting(typed, await desk.outlets()).map((name) => ({ name, value: name }));
}
