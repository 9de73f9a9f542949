import { describe, expect, it } from "vitest";
import { matchOutlet, outletsFitting } from "../../src/core/outlet-name.js";

const OUTLETS = [
  "allthe.news",
  "Asiatoday",
  "The Independent",
  "The Straits Times",
  "WorldTribune",
  "Café Crème",
];

describe("finding an outlet from what was typed", () => {
  it("matches the whole name ignoring case, accents, spaces and punctuation", () => {
    for (const [typed, name] of [
      ["asiatoday", "Asiatoday"],
      ["ASIATODAY", "Asiatoday"],
      ["the straits times", "The Straits Times"],
      ["straitstimes", "The Straits Times"],
      ["cafe creme", "Café Crème"],
      ["allthe.news", "allthe.news"],
      ["allthe news", "allthe.news"],
    ]) {
      expect(matchOutlet(typed as string, OUTLETS)).toEqual({ status: "found", name });
    }
  });

  it("matches by any unambiguous word or beginning of a word", () => {
    for (const [typed, name] of [
      ["straits", "The Straits Times"],
      ["Times", "The Straits Times"],
      ["independent", "The Independent"],
      ["indep", "The Independent"],
      ["asia", "Asiatoday"],
      ["world", "WorldTribune"],
      ["creme", "Café Crème"],
      ["the straits", "The Straits Times"],
    ]) {
      expect(matchOutlet(typed as string, OUTLETS)).toEqual({ status: "found", name });
    }
  });

  it("lists the candidates when the typed words fit several outlets", () => {
    expect(matchOutlet("the", OUTLETS)).toEqual({
      status: "ambiguous",
      candidates: ["The Independent", "The Straits Times"],
    });
    expect(matchOutlet("asia", ["Asiatoday", "Asia Times"])).toEqual({
      status: "ambiguous",
      candidates: ["Asiatoday", "Asia Times"],
    });
  });

  it("prefers a whole name over the names it begins", () => {
    expect(matchOutlet("asia times", ["Asia Times", "Asia Times Weekly"])).toEqual({
      status: "found",
      name: "Asia Times",
    });
  });

  it("says when nothing fits, and for empty or punctuation-only input", () => {
    expect(matchOutlet("nosuch", OUTLETS)).toEqual({ status: "unknown" });
    expect(matchOutlet("", OUTLETS)).toEqual({ status: "unknown" });
    expect(matchOutlet("?!", OUTLETS)).toEqual({ status: "unknown" });
    expect(matchOutlet("straits daily", OUTLETS)).toEqual({ status: "unknown" });
  });
});

describe("suggesting outlets while the option is typed", () => {
  it("offers every outlet before anything is typed", () => {
    expect(outletsFitting("", OUTLETS)).toEqual(OUTLETS);
    expect(outletsFitting("  ", OUTLETS)).toEqual(OUTLETS);
  });

  it("offers the outlets the command would accept the text for, accents ignored", () => {
    expect(outletsFitting("cafe", OUTLETS)).toEqual(["Café Crème"]);
    expect(outletsFitting("the", OUTLETS)).toEqual(["The Independent", "The Straits Times"]);
    expect(outletsFitting("straits ti", OUTLETS)).toEqual(["The Straits Times"]);
  });

  it("does not offer an outlet for letters in the middle of its words", () => {
    expect(outletsFitting("ime", OUTLETS)).toEqual([]);
    expect(outletsFitting("ribune", OUTLETS)).toEqual([]);
  });
});
