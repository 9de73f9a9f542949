/**
 * Where the running code is: the TypeScript sources under tsx (tests, development, the
 * scripts) or the JavaScript that `npm run build` compiles into dist/ (`npm start`, the
 * service files). Code that starts a file by path (a worker thread, a shard process, the
 * command files) asks here, so that it works in both without a second list of paths.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(import.meta.url);

/** True when running the compiled JavaScript (this file is `dist/src/runtime.js`). */
export const COMPILED = HERE.endsWith(".js");

/** The project folder (where package.json, seeds/ and .env are), in both modes. */
export const PROJECT_ROOT = path.resolve(path.dirname(HERE), COMPILED ? "../.." : "..");

/** The folder that holds the running `src/` and `commands/`: dist/ when compiled. */
export const CODE_ROOT = COMPILED ? path.join(PROJECT_ROOT, "dist") : PROJECT_ROOT;

/** The extension of the running modules: `.js` compiled, `.ts` under tsx. */
export const MODULE_EXTENSION = COMPILED ? ".js" : ".ts";

/**
 * The file a worker thread starts from, for the module `./<name>` next to `base` (the
 * caller's `import.meta.url`): compiled, the module itself; under tsx, its `<name>-boot.mjs`,
 * which registers tsx in the thread first (a worker does not inherit the main thread's loader).
 */
export function threadEntry(name: string, base: string): URL {
  return new URL(COMPILED ? `./${name}.js` : `./${name}-boot.mjs`, base);
}
