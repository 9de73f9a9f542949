// `npm start`: builds dist/ when it is missing or older than the sources (a fresh clone, a
// pull), then runs the compiled bot in this process. A service manager runs
// `node dist/src/main.js` itself, after `npm run build`.
import { buildIfStale } from "./build.mjs";

buildIfStale();
await import("../dist/src/main.js");
