/** The console's grammar and help come from the command definitions, not from a list of its own. */
import { beforeAll, describe, expect, it } from "vitest";
import { helpText, parseLine } from "../../src/console/grammar.js";
import type { Command, OptionReader } from "../../src/interactions/command.js";
import { loadCommands } from "../../src/interactions/registry.js";

let commands: Map<string, Command>;
beforeAll(async () => {
  commands = await loadCommands();
});

function read(line: string): OptionReader {
  const parsed = parseLine(line, commands);
  if (!parsed?.ok) throw new Error(`not parsed: ${line} (${JSON.stringify(parsed)})`);
  return parsed.options;
}

describe("parsing a line", () => {
  it("gives the free text to the command's first text option", () => {
    expect(read("/ask what phone did Lee use?").getString("question")).toBe(
      "what phone did Lee use?",
    );
    expect(read("/source The Straits Times").getString("outlet")).toBe("The Straits Times");
    expect(read('/source "The Straits Times"').getString("outlet")).toBe("The Straits Times");
  });

  it("reads named options before the text, quoted or not, typed as declared", () => {
    const options = read('/ask outlet:"The Straits Times" private:true who took the selfie?');
    expect(options.getString("outlet")).toBe("The Straits Times");
    expect(options.getBoolean("private")).toBe(true);
    expect(options.getString("question")).toBe("who took the selfie?");
    expect(read("/source outlet:Asiatoday").getString("outlet")).toBe("Asiatoday");
  });

  it("keeps words with a colon that are not an option as text", () => {
    expect(read("/ask when: the summit date?").getString("question")).toBe(
      "when: the summit date?",
    );
  });

  it("leaves an empty question to the command to refuse", () => {
    expect(read("/ask").getString("question")).toBe("");
    expect(read("/source").getString("outlet")).toBeNull();
  });

  it("names the problem with an unknown command, a bad value or stray text", () => {
    expect(parseLine("/nope", commands)).toEqual({
      ok: false,
      problem: "There is no /nope command. Type /help for the list.",
    });
    expect(parseLine("/ask private:maybe hi", commands)).toEqual({
      ok: false,
      problem: "private must be true or false.",
    });
    expect(parseLine("/reload now", commands)).toEqual({
      ok: false,
      problem: "/reload takes no text. Type /help for its options.",
    });
    expect(parseLine("hello", commands)).toBeUndefined();
  });
});

describe("help", () => {
  it("lists every command with its options and descriptions", () => {
    const help = helpText(commands);
    expect(help).toContain("/ask [outlet:<outlet>] [private:true|false] <question>");
    expect(help).toContain("/source [<outlet>]");
    expect(help).toContain("/reload");
    for (const command of commands.values()) expect(help).toContain(command.data.description);
  });
});

describe("options typed as on Discord", () => {
  it("reads question:, outlet: and private: in any order, each value running to the next", () => {
    const options = read(
      "/ask question:who took the selfie? outlet:The Straits Times private:true",
    );
    expect(options.getString("question")).toBe("who took the selfie?");
    expect(options.getString("outlet")).toBe("The Straits Times");
    expect(options.getBoolean("private")).toBe(true);
    const reversed = read("/ask private:true outlet:straits question:who took the selfie?");
    expect(reversed.getString("question")).toBe("who took the selfie?");
    expect(reversed.getString("outlet")).toBe("straits");
    expect(reversed.getBoolean("private")).toBe(true);
  });

  it("takes the plain /ask <text>, with options after it, never as part of the question", () => {
    const options = read("/ask who took the selfie? outlet:asia private:true");
    expect(options.getString("question")).toBe("who took the selfie?");
    expect(options.getString("outlet")).toBe("asia");
    expect(options.getBoolean("private")).toBe(true);
    expect(read("/ask who took the selfie? private:true").getBoolean("private")).toBe(true);
  });

  it("refuses an option given twice", () => {
    expect(parseLine("/ask outlet:a outlet:b hi", commands)).toEqual({
      ok: false,
      problem: "outlet is given twice.",
    });
  });
});
