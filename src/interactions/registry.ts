/**
 * The one list of commands, read from the files in `commands/`. The bot, the console and the
 * deploy script all use it, so there is no second list to keep in step. A file that does not
 * fulfil the {@link Command} contract stops start-up with a message naming the file.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { CODE_ROOT } from "../runtime.js";
import type { Command } from "./command.js";

const COMMANDS_DIR = path.join(CODE_ROOT, "commands");

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", {
  error: "must be a function",
});

const commandShape = z.object({
  data: z.object({
    name: z
      .string()
      .regex(/^[-_a-z0-9]{1,32}$/, { error: "must be 1–32 lower-case letters, digits, - or _" }),
    description: z.string().min(1).max(100),
  }),
  execute: fn,
  slow: z.boolean().optional(),
  cooldown: z.boolean().optional(),
  ephemeral: fn.optional(),
  autocomplete: fn.optional(),
  button: fn.optional(),
});

/** Thrown when a command file does not fulfil the contract. */
class CommandFileError extends Error {
  constructor(file: string, reason: string) {
    super(`commands/${file}: ${reason}`);
    this.name = "CommandFileError";
  }
}

/**
 * Imports every command file (`*.ts` or `*.js`) in `dir`, checks it, and returns the
 * commands by name. The file name must be the command's name: `ask.ts` holds `/ask`.
 */
export async function loadCommands(dir = COMMANDS_DIR): Promise<Map<string, Command>> {
  const files = (await readdir(dir))
    .filter((f) => /^[^.].*\.(?:ts|js)$/.test(f) && !f.endsWith(".d.ts"))
    .sort();
  const commands = new Map<string, Command>();
  for (const file of files) {
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: unknown };
    } catch (error) {
      throw new CommandFileError(
        file,
        `cannot be loaded (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const parsed = commandShape.safeParse(module.default);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join(".")} ` : "";
      throw new CommandFileError(
        file,
        `the default export is not a command: ${where}${issue?.message ?? "invalid"}`,
      );
    }
    const command = module.default as Command;
    const expected = file.replace(/\.(?:ts|js)$/, "");
    if (command.data.name !== expected) {
      throw new CommandFileError(
        file,
        `defines /${command.data.name}; the file must be named ${command.data.name}.ts`,
      );
    }
    commands.set(command.data.name, command);
  }
  if (commands.size === 0) throw new CommandFileError(".", "no command files found");
  return commands;
}
