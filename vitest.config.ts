import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // On 2 cores vitest runs one worker; isolated, it starts a fresh process for every test
    // file and imports the code (and loads the lexicon) again each time, about a second per
    // file. Files share one module cache instead; a file that mocks a module resets the cache
    // around itself (tests/core/corpus-files.test.ts).
    isolate: false,
    // Two files at a time, also on 2 cores (vitest would run one there: availableParallelism
    // − 1). Most of an end-to-end file's time is its bot process's, not the worker's, and no
    // two files share a port, a folder or dist/ (only compiled.test.ts builds it).
    maxWorkers: 2,
  },
});
