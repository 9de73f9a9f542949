/**
 * The only place that reads `.env` and `process.env`. Entry points (the bot, the console, the
 * scripts) call {@link configFromEnvironment} first thing.
 */
import path from "node:path";
import dotenv from "dotenv";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { PROJECT_ROOT } from "./runtime.js";

/** The project folder: relative paths in the configuration are resolved against it. */
export { PROJECT_ROOT };

/**
 * Reads `.env` (values already in the environment win) and validates the result. On invalid
 * configuration prints every problem, naming keys only, and exits with code 78 (EX_CONFIG).
 */
export function configFromEnvironment(): Readonly<Config> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  dotenv.config({ path: path.join(PROJECT_ROOT, ".env"), quiet: true, processEnv: env });
  try {
    return loadConfig(env, PROJECT_ROOT, { checkFolders: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every key and what it takes.\n`);
      process.exit(78);
    }
    throw error;
  }
}
