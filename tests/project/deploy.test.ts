/**
 * The service files agree with the project: they run the compiled entry point that `npm start`
 * runs (after building it when needed), and the Compose health check asks the port the bot
 * serves health on. (Their syntax is checked by
 * `npm run check-deploy`, which CI runs.)
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_KEYS } from "../../src/config.js";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  scripts: { start: string; build: string };
};
/** What `npm start` ends by running: scripts/start.mjs imports the compiled entry point. */
const startScript = readFileSync("scripts/start.mjs", "utf8");
const compiledEntry = /await import\("\.\.\/(dist\/[^"]+)"\)/.exec(startScript)?.[1];
/** The command a service runs: node on the compiled entry point, with nothing in between. */
const serviceCommand = `node ${compiledEntry}`;
const unit = readFileSync("deploy/summit-desk.service", "utf8");
const dockerfile = readFileSync("Dockerfile", "utf8");
const compose = parse(readFileSync("deploy/compose.yaml", "utf8")) as {
  services: {
    bot: {
      restart: string;
      environment: Record<string, string>;
      volumes: string[];
      healthcheck: { test: string[] };
    };
  };
};
const bot = compose.services.bot;

/** The directive's value in the unit file; throws when it is missing. */
function directive(name: string): string {
  const match = new RegExp(`^${name}=(.*)$`, "m").exec(unit);
  if (!match) throw new Error(`no ${name}= in the unit file`);
  return match[1] as string;
}

describe("npm start", () => {
  it("runs node on the start script, which builds when needed and imports the compiled bot", () => {
    expect(pkg.scripts.start).toBe("node scripts/start.mjs");
    expect(pkg.scripts.build).toBe("node scripts/build.mjs");
    expect(compiledEntry).toBe("dist/src/main.js");
    expect(startScript).toContain("buildIfStale()");
  });
});

describe("the systemd unit", () => {
  it("runs the compiled bot npm start runs, with node itself in front so that signals reach it", () => {
    expect(directive("ExecStart")).toBe(`/usr/bin/${serviceCommand}`);
  });

  it("restarts on failure, as a dedicated user, with the environment from a file and a state directory", () => {
    expect(directive("Restart")).toBe("on-failure");
    expect(directive("User")).toBe("summit-desk");
    expect(directive("EnvironmentFile")).toMatch(/^\/etc\/summit-desk\.env$/);
    expect(directive("StateDirectory")).toBe("summit-desk");
  });
});

describe("the Dockerfile and the Compose file", () => {
  it("builds dist/ in a build stage and runs the compiled bot on the official Node image", () => {
    expect(dockerfile).toMatch(/^FROM node:20[-\w.]* AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^FROM node:20[-\w.]*$/m);
    expect(dockerfile).toMatch(/^COPY --from=build .*\/app\/dist \.\/dist$/m);
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? "[]").join(" ")).toBe(serviceCommand);
  });

  it("restarts unless stopped, and checks /health on the port the bot serves it on", () => {
    expect(bot.restart).toBe("unless-stopped");
    const port = bot.environment.HTTP_PORT;
    expect(port).toMatch(/^\d+$/);
    expect(bot.healthcheck.test.join(" ")).toContain(`http://127.0.0.1:${port}/health'`);
    expect(dockerfile).toContain(`EXPOSE ${port}`);
    expect(bot.environment.HTTP_HOST).toBe("0.0.0.0");
  });

  it("keeps seeds/ and data/ as volumes", () => {
    expect(bot.volumes).toContain("../seeds:/app/seeds");
    expect(bot.volumes).toContain("../data:/app/data");
  });

  it("sets only configuration keys the bot reads", () => {
    for (const key of Object.keys(bot.environment)) expect(CONFIG_KEYS).toContain(key);
  });
});
