import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
};

describe("npm install prints no install-scripts warning", () => {
  it("decides, in package.json's allowScripts, on every locked package with an install script", () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([where, entry]) => where !== "" && entry.hasInstallScript === true)
      .map(([where]) => where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length));
    expect(withScripts.length).toBeGreaterThan(0);
    const decided = Object.keys(pkg.allowScripts ?? {}).map((key) => key.replace(/(?<=.)@.*$/, ""));
    expect(withScripts.filter((name) => !decided.includes(name))).toEqual([]);
  });
});
