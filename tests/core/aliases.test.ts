import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAliases } from "../../src/core/aliases.js";
import { formatProblem } from "../../src/core/problem.js";
import { SEEDS_DIR } from "../support/corpus-folder.js";

function parse(text: string | Uint8Array) {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const { table, problems } = parseAliases("seeds/aliases.yaml", bytes);
  return { table, problems: problems.map(formatProblem) };
}

describe("a valid alias table", () => {
  it("gives the groups in file order and the related words", () => {
    const { table, problems } = parse(
      [
        "# Spellings of the port towns.",
        "aliases:",
        "  gyeongju: [kyongju, gyongju]",
        "  north korea:",
        "    - dprk",
        "related:",
        "  - [deal, agreement, pact]",
        "",
      ].join("\n"),
    );
    expect(problems).toEqual([]);
    expect(table).toEqual({
      groups: [
        { canonical: "gyeongju", variants: ["kyongju", "gyongju"] },
        { canonical: "north korea", variants: ["dprk"] },
      ],
      related: [["deal", "agreement", "pact"]],
    });
  });

  it("may be empty, or have only one of its sections", () => {
    expect(parse("")).toEqual({ table: { groups: [] }, problems: [] });
    expect(parse("related:\n  - [deal, pact]\n")).toEqual({
      table: { groups: [], related: [["deal", "pact"]] },
      problems: [],
    });
  });

  it("lists the same variant twice under one canonical without complaint", () => {
    expect(parse("aliases:\n  busan: [pusan, Pusan]\n").problems).toEqual([]);
  });

  it("parses the project's own table", async () => {
    const { table, problems } = parse(await readFile(path.join(SEEDS_DIR, "aliases.yaml")));
    expect(problems).toEqual([]);
    expect(table.groups.find((g) => g.canonical === "xi")?.variants).toContain("xi jinping");
    expect(table.related).toContainEqual(["summit", "talks"]);
  });
});

describe("problems in the alias table carry their line", () => {
  it("refuses an unknown section on the line of its name", () => {
    expect(parse("aliases:\n  busan: [pusan]\nsynonyms:\n  - [ferry, boat]\n").problems).toEqual([
      'seeds/aliases.yaml:3: unknown section "synonyms"; the sections are "aliases" and "related"',
    ]);
  });

  it("refuses a variant listed under two canonicals, on the line of the second", () => {
    const { problems } = parse(
      "aliases:\n  gyeongju: [kyongju]\n  busan: [pusan]\n  gwangju: [Kyongju, kwangju]\n",
    );
    expect(problems).toEqual([
      'seeds/aliases.yaml:4: "Kyongju" is listed under both "gyeongju" and "gwangju"',
    ]);
  });

  it("reports invalid YAML on its line, without repeating the position in the message", () => {
    expect(parse("aliases:\n  busan: [pusan]\n  gyeongju: kyongju: gyongju\n").problems).toEqual([
      "seeds/aliases.yaml:3: Nested mappings are not allowed in compact mappings",
    ]);
  });

  it("reports a duplicate canonical on the line of the second", () => {
    expect(parse("aliases:\n  busan: [pusan]\n  busan: [pusan-si]\n").problems).toEqual([
      "seeds/aliases.yaml:3: Map keys must be unique",
    ]);
  });

  it("refuses a canonical with no variants and a related group of one word", () => {
    expect(
      parse("aliases:\n  busan: []\nrelated:\n  - [ferry, boat]\n  - [deal]\n").problems,
    ).toEqual([
      "seeds/aliases.yaml:2: aliases.busan: list is too short",
      "seeds/aliases.yaml:5: related.1: list is too short",
    ]);
  });

  it("refuses an entry longer than 80 characters", () => {
    expect(parse(`aliases:\n  busan:\n    - pusan\n    - ${"p".repeat(81)}\n`).problems).toEqual([
      "seeds/aliases.yaml:4: aliases.busan.1: each entry must be 1 to 80 characters",
    ]);
  });

  it("refuses a file that is not UTF-8", () => {
    expect(parse(Buffer.from("aliases:\n  caf\u00e9: [cafe]\n", "latin1")).problems).toEqual([
      "seeds/aliases.yaml:1: file is not UTF-8 text",
    ]);
  });
});
