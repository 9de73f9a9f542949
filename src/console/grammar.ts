/**
 * What can be typed at the console, read from the command definitions themselves (their
 * registration payloads), so that a new command or option works here without a second list.
 *
 * A line is `/name` with its options as Discord takes them (`/ask question:who spoke?
 * outlet:asiatoday private:true`), or with plain text for the first text option (`/ask who
 * spoke?`, `/source The Straits Times`), or both (`/ask who spoke? outlet:asiatoday`).
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  ApplicationCommandOptionType,
} from "discord.js";
import type { Command, OptionReader } from "../interactions/command.js";

type Value = string | boolean | number;

/** Options typed at the console, read the way discord.js reads a command's options. */
class TypedOptions implements OptionReader {
  constructor(private readonly values: ReadonlyMap<string, Value>) {}
  getString(name: string): string | null {
    const value = this.values.get(name);
    return typeof value === "string" ? value : null;
  }
  getBoolean(name: string): boolean | null {
    const value = this.values.get(name);
    return typeof value === "boolean" ? value : null;
  }
  getInteger(name: string): number | null {
    const value = this.values.get(name);
    return typeof value === "number" && Number.isInteger(value) ? value : null;
  }
}

export type ParsedLine =
  | { ok: true; name: string; options: OptionReader }
  | { ok: false; problem: string };

function optionsOf(command: Command): APIApplicationCommandBasicOption[] {
  return (command.data.options ?? []) as APIApplicationCommandBasicOption[];
}

const isText = (o: APIApplicationCommandBasicOption) =>
  o.type === ApplicationCommandOptionType.String;

function choicesOf(
  option: APIApplicationCommandBasicOption,
): APIApplicationCommandOptionChoice[] | undefined {
  return "choices" in option && option.choices?.length ? option.choices : undefined;
}

/** A typed value as the option's type, or a sentence saying what it should have been. */
function convert(option: APIApplicationCommandBasicOption, typed: string): Value | string[] {
  const choices = choicesOf(option);
  if (choices) {
    const choice = choices.find((c) => c.name.toLowerCase() === typed.toLowerCase());
    if (choice) return choice.value;
    return [`${option.name} must be one of: ${choices.map((c) => c.name).join(", ")}.`];
  }
  switch (option.type) {
    case ApplicationCommandOptionType.Boolean:
      if (/^(true|yes)$/i.test(typed)) return true;
      if (/^(false|no)$/i.test(typed)) return false;
      return [`${option.name} must be true or false.`];
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const n = Number(typed);
      return Number.isFinite(n) ? n : [`${option.name} must be a number.`];
    }
    default:
      return typed;
  }
}

/** A quoted value, and what follows it. */
const QUOTED = /^"([^"]*)"(.*)$/s;

/**
 * Reads a typed line against the commands, as Discord reads a command's options; `undefined`
 * when it is not a command at all.
 *
 * `name:` starts an option when `name` is one of the command's options; its value runs to the
 * next option, as in Discord's own input (`/ask question:who took it? outlet:straits
 * private:true`). A quoted value ends at its closing quote, and a true/false value is one word:
 * what follows them is text. Text outside any option (`/ask who took it? private:true`) fills
 * the first text option not given.
 */
export function parseLine(
  line: string,
  commands: ReadonlyMap<string, Command>,
): ParsedLine | undefined {
  const match = /^\/([-_\w]+)\s*(.*)$/s.exec(line.trim());
  if (!match) return undefined;
  const name = (match[1] ?? "").toLowerCase();
  const command = commands.get(name);
  if (!command)
    return { ok: false, problem: `There is no /${name} command. Type /help for the list.` };
  const declared = optionsOf(command);
  const rest = match[2] ?? "";
  const markers = [...rest.matchAll(/(^|\s)([-_a-z0-9]{1,32}):/gi)]
    .map((m) => ({
      option: declared.find((o) => o.name === (m[2] ?? "").toLowerCase()),
      at: (m.index ?? 0) + (m[1] ?? "").length,
      valueAt: (m.index ?? 0) + m[0].length,
    }))
    // Not one of this command's options: the words are text (a question may hold a colon).
    .filter((m): m is typeof m & { option: APIApplicationCommandBasicOption } => !!m.option);
  const values = new Map<string, Value>();
  const text: string[] = [rest.slice(0, markers[0]?.at ?? rest.length)];
  for (const [i, marker] of markers.entries()) {
    const { option } = marker;
    if (values.has(option.name)) {
      return { ok: false, problem: `${option.name} is given twice.` };
    }
    let typed = rest.slice(marker.valueAt, markers[i + 1]?.at ?? rest.length).trim();
    const quoted = QUOTED.exec(typed);
    if (quoted) {
      typed = quoted[1] ?? "";
      text.push(quoted[2] ?? "");
    } else if (!isText(option)) {
      const [first = "", ...others] = typed.split(/\s+/);
      typed = first;
      text.push(others.join(" "));
    }
    const value = convert(option, typed);
    if (Array.isArray(value)) return { ok: false, problem: value.join(" ") };
    values.set(option.name, value);
  }
  const free = text
    .map((t) => t.trim())
    .filter((t) => t !== "")
    .join(" ");
  if (free !== "") {
    const option = declared.find((o) => isText(o) && !values.has(o.name));
    if (!option)
      return { ok: false, problem: `/${name} takes no text. Type /help for its options.` };
    const value = convert(option, free.replace(/^"(.*)"$/s, "$1"));
    if (Array.isArray(value)) return { ok: false, problem: value.join(" ") };
    values.set(option.name, value);
  } else {
    // An empty required text option is the command's to refuse, with its own message.
    const required = declared.find((o) => isText(o) && o.required && !values.has(o.name));
    if (required) values.set(required.name, "");
  }
  return { ok: true, name, options: new TypedOptions(values) };
}

function usage(option: APIApplicationCommandBasicOption, free: boolean): string {
  const choices = choicesOf(option);
  const what =
    choices?.map((c) => c.name).join("|") ??
    (option.type === ApplicationCommandOptionType.Boolean ? "true|false" : `<${option.name}>`);
  const shown = free ? what : `${option.name}:${what}`;
  return option.required ? shown : `[${shown}]`;
}

/** The console's help: every command with its options, from the definitions. */
export function helpText(commands: ReadonlyMap<string, Command>): string {
  const lines = ["Commands:"];
  for (const [name, command] of commands) {
    const declared = optionsOf(command);
    // The free-text option goes last, as it is typed.
    const free = declared.find((o) => isText(o) && o.required) ?? declared.find(isText);
    const parts = [
      ...declared.filter((o) => o !== free).map((o) => usage(o, false)),
      ...(free ? [usage(free, true)] : []),
    ];
    lines.push(`  /${[name, ...parts].join(" ")}`, `      ${command.data.description}`);
    for (const o of declared) lines.push(`      ${o.name}: ${o.description}`);
  }
  lines.push(
    "  Options are typed as on Discord, name:value, each value running to the next option",
    "  (/ask question:who took the selfie? outlet:straits private:true); text outside any option",
    "  fills the first one not given (/ask who took the selfie? outlet:straits).",
    "  1, 2, 3 …   press a button under the last reply",
    "  /help, /quit",
  );
  return lines.join("\n");
}
