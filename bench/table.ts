/** The benchmark's printed report: Markdown tables, so they can be pasted into BENCHMARKS.md. */
import type { GeneratedCorpus } from "./corpus.js";
import type { Comparison, E2eResult, Outcome } from "./measure-e2e.js";
import type { IndexResult } from "./measure-index.js";
import type { PeersResult } from "./measure-peers.js";
import type { ReloadResult } from "./measure-reload.js";
import { SUMMIT_DESK } from "./peers.js";
import { median } from "./stats.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
}

export interface Results {
  quick: boolean;
  machine: Machine;
  corpora: Array<GeneratedCorpus & { label: string }>;
  index: IndexResult[];
  peers: PeersResult[];
  reload?: ReloadResult | undefined;
  e2e?: E2eResult | undefined;
  errors: string[];
  totalSeconds: number;
}

/** Milliseconds with as many decimals as the size calls for. */
function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  if (value < 1) return value.toFixed(2);
  if (value < 10) return value.toFixed(1);
  return Math.round(value).toLocaleString("en-US");
}

const mb = (value: number) => Math.round(value).toLocaleString("en-US");
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "—");
const share = (x: number) => `${Math.round(x * 100)}%`;
const loads = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(" / ") : "—");

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function indexTables(r: Results): string {
  const cols = r.index;
  if (cols.length === 0) return "";
  const head = ["", ...cols.map((c) => c.label)];
  const row = (name: string, f: (c: IndexResult) => string) => [name, ...cols.map(f)];
  const gen = (c: IndexResult) => r.corpora.find((g) => g.label === c.label);
  const stage = (c: IndexResult, k: "readCleanValidateMs" | "indexMs" | "vocabularyMs") =>
    c.warmLoads.length > 0 ? ms(median(c.warmLoads.map((w) => w[k]))) : "—";
  const corpus = table(head, [
    row("articles / paragraphs indexed", (c) => `${c.articles} / ${c.paragraphs}`),
    row("distinct index terms", (c) => c.terms.toLocaleString("en-US")),
    row("chrome lines the cleaner dropped", (c) => String(c.droppedLines)),
    row("files (MB) / generated in (ms)", (c) => {
      const g = gen(c);
      return g ? `${(g.bytes / 1e6).toFixed(1)} / ${ms(g.ms)}` : "real seeds";
    }),
  ]);
  const load = table(head, [
    row("ready index, fresh process (ms)", (c) => ms(c.coldLoadMs)),
    row("ready index, warm: median (ms)", (c) =>
      c.warmLoads.length > 0 ? `${ms(median(c.warmLoads.map((w) => w.totalMs)))}` : "—",
    ),
    row("… read + clean + validate", (c) => stage(c, "readCleanValidateMs")),
    row("… analyze + MiniSearch index", (c) => stage(c, "indexMs")),
    row("… autocomplete vocabulary", (c) => stage(c, "vocabularyMs")),
    row("warm loads timed", (c) => String(c.warmLoads.length)),
    row("heap used, index loaded (MB)", (c) => mb(c.memoryLoaded.heapUsedMb)),
    row("RSS, index loaded (MB)", (c) => mb(c.memoryLoaded.rssMb)),
    row(
      "… of which the corpus (heap / RSS over an empty process)",
      (c) =>
        `${mb(c.memoryLoaded.heapUsedMb - c.memoryBefore.heapUsedMb)} / ${mb(
          c.memoryLoaded.rssMb - c.memoryBefore.rssMb,
        )}`,
    ),
  ]);
  const latency = table(head, [
    row("samples (questions × rounds)", (c) => `${c.questions} × ${c.rounds}`),
    row("answer p50 / p99 (ms)", (c) => `${ms(c.pipeline.p50)} / ${ms(c.pipeline.p99)}`),
    row("plain MiniSearch p50 / p99 (ms)", (c) => `${ms(c.plain.p50)} / ${ms(c.plain.p99)}`),
    row(
      "ratio p50 / p99",
      (c) => `${ratio(c.pipeline.p50, c.plain.p50)} / ${ratio(c.pipeline.p99, c.plain.p99)}`,
    ),
    row("answer max (ms)", (c) => ms(c.pipeline.max)),
    row(
      "first round only: answer p50 / p99 (ms)",
      (c) => `${ms(c.pipelineFirstRound.p50)} / ${ms(c.pipelineFirstRound.p99)}`,
    ),
    row(
      "answers per second, one core (plain)",
      (c) =>
        `${Math.round(c.pipelinePerSecond).toLocaleString("en-US")} (${Math.round(
          c.plainPerSecond,
        ).toLocaleString("en-US")})`,
    ),
    row("p50 by set: dev / paraphrase / generated (ms)", (c) =>
      ["dev", "paraphrase", "generated"].map((s) => ms(c.bySource[s]?.pipelineP50)).join(" / "),
    ),
    row("questions answered (not declined)", (c) => share(c.answeredShare)),
    row(
      "passages plain MiniSearch returns, median (share)",
      (c) => `${Math.round(c.matchedMedian).toLocaleString("en-US")} (${share(c.matchedShare)})`,
    ),
    row(
      "GCs during the rounds: count / total / longest (ms)",
      (c) => `${c.gc.count} / ${ms(c.gc.ms)} / ${ms(c.gc.maxMs)}`,
    ),
    row("baseline check: separate plain index p50 vs ours (ms)", (c) =>
      c.plainCheck
        ? `${ms(c.plainCheck.separateP50)} vs ${ms(c.plainCheck.sharedP50)}; terms ${
            c.plainCheck.terms === c.plainCheck.ourTerms ? "equal" : "DIFFER"
          }; top-10 same ${share(c.plainCheck.top10Agreement)}`
        : "—",
    ),
  ]);
  return `### Corpora\n\n${corpus}\n\n### Ready index and memory\n\n${load}\n\n### Answer latency (in process)\n\n${latency}\n`;
}

function leverTable(r: Results): string {
  const largest = r.index[r.index.length - 1];
  if (!largest || largest.levers.length === 0) return "";
  const base = largest.levers[0]?.p50 ?? Number.NaN;
  return `\n### Where the time goes at ${largest.label} (${largest.levers[0]?.n} questions)\n\n${table(
    ["variant", "p50 (ms)", "mean (ms)", "p50 vs pipeline"],
    largest.levers.map((l) => [l.name, ms(l.p50), ms(l.mean), ratio(l.p50, base)]),
  )}\n`;
}

/** The engine the target compares Summit Desk with. */
const FLEXSEARCH = "FlexSearch (defaults)";

function peersTables(r: Results): string {
  if (r.peers.length === 0) return "";
  const out = r.peers.map((c) => {
    const own = c.engines.find((e) => e.name === SUMMIT_DESK);
    const rows = c.engines.map((e) => [
      e.name,
      (e.buildMs / 1000).toFixed(2),
      e.heapMb.toFixed(1),
      ms(e.latency.p50),
      ms(e.latency.p99),
      own
        ? [
            ratio(e.buildMs, own.buildMs),
            ratio(e.heapMb, own.heapMb),
            ratio(e.latency.p50, own.latency.p50),
            ratio(e.latency.p99, own.latency.p99),
          ].join(" / ")
        : "—",
      share(e.withResults),
    ]);
    return `\n#### ${c.label} (${c.paragraphs.toLocaleString("en-US")} paragraphs; ${c.questions} questions × ${c.rounds})\n\n${table(
      [
        "engine",
        "build s",
        "heap MB",
        "p50 ms",
        "p99 ms",
        "build / heap / p50 / p99 vs Summit Desk",
        "with results",
      ],
      rows,
    )}\n`;
  });
  return `\n### Summit Desk and other engines (same process, engines in turn)\n${out.join("")}`;
}

function reloadTable(reload: ReloadResult | undefined): string {
  if (!reload) return "";
  const rows = (["before", "reload", "after"] as const).map((p) => {
    const x = reload.phases[p];
    return [
      p === "reload" ? "during the reload" : p === "after" ? "after the swap" : "before",
      String(x.questions),
      String(x.failed),
      `${ms(x.latency.p50)} / ${ms(x.latency.p99)} / ${ms(x.latency.max)}`,
      `${ms(x.extra.p99)} / ${ms(x.maxExtraMs)}`,
      `${ms(x.maxLagMs)} (${ms(x.histogramMaxMs)})`,
      `${ms(x.mainThreadCpuMs)} / ${ms(x.otherThreadsCpuMs)} of ${ms(x.durationMs)}`,
    ];
  });
  return `\n### Reload of ${reload.label} while questions arrive (${reload.rate.toFixed(1)}/s)\n\n${table(
    [
      "phase",
      "questions",
      "failed",
      "latency p50 / p99 / max (ms)",
      "extra wait p99 / worst (ms)",
      "worst event-loop lag (ms)",
      "CPU (ms): main thread / other threads, of phase",
    ],
    rows,
  )}\n\nDesk opened (index built in a worker) in ${ms(reload.openMs)} ms; the reload ${
    reload.reload.status
  } in ${ms(reload.reload.durationMs)} ms (${reload.reload.paragraphs} paragraphs). RSS of the process: ${mb(
    reload.rssMb.before,
  )} MB before, ${mb(reload.rssMb.peak)} MB at the peak (two indexes), ${mb(
    reload.rssMb.after,
  )} MB after. Questions cycled: ${reload.questions} (one at a time they take ${ms(
    reload.baselineMeanMs,
  )} ms on average); unanswered at the end: ${reload.unanswered}.\n`;
}

/** An end-to-end result with the sequential and concurrent runs (not a comparison alone). */
type FullE2e = E2eResult &
  Required<Pick<E2eResult, "startup" | "probes" | "sequential" | "concurrent" | "botRssMb">>;

function fullE2e(e2e: E2eResult | undefined): FullE2e | undefined {
  return e2e?.startup &&
    e2e.probes &&
    e2e.sequential &&
    e2e.concurrent &&
    e2e.botRssMb !== undefined
    ? (e2e as FullE2e)
    : undefined;
}

function comparisonTable(c: Comparison | undefined): string {
  if (!c) return "";
  const cell = (o: Outcome) =>
    `${ms(o.latency.p50)} / ${ms(o.latency.p99)}${o.failed + o.errors > 0 ? ` (${o.failed} failed, ${o.errors} errors)` : ""}`;
  const rows = c.bursts.map((b, i) => [
    `${i + 1}${b.cold ? " (cold: first after ready)" : ""}`,
    cell(b.trivial),
    cell(b.real),
    ratio(b.real.latency.p50, b.trivial.latency.p50),
    ratio(b.real.latency.p99, b.trivial.latency.p99),
    `${b.real.answered} / ${b.real.declined}`,
    `${b.trivial.connections ?? "—"} / ${b.real.connections ?? "—"}`,
    `${b.real.direct} / ${b.real.deferred}`,
  ]);
  return `\n### End to end: the bot next to a trivial discord.js bot, ${c.count} \`/ask\` at once per burst\n\n${table(
    [
      "burst",
      "trivial p50 / p99 (ms)",
      "real p50 / p99 (ms)",
      "real / trivial p50",
      "real / trivial p99",
      "real answered / declined",
      "new connections trivial / real",
      "real direct / deferred",
    ],
    rows,
  )}\n\nEach bot started afresh against the same endpoint, the trivial one first; the first burst as soon as it is ready (trivial ${ms(
    c.readyMs.trivial,
  )} ms, real ${ms(c.readyMs.real)} ms after spawning), then a pause of ${ms(c.pauseMs)} ms before each next. Latency: dispatch → visible reply.\n`;
}

function e2eTable(result: E2eResult | undefined): string {
  const e2e = fullE2e(result);
  if (!e2e) return comparisonTable(result?.comparison);
  const row = (name: string, o: Outcome) => [
    name,
    `${ms(o.latency.p50)} / ${ms(o.latency.p99)} / ${ms(o.latency.max)}`,
    `${o.within3s} / ${e2e.count}`,
    `${o.direct} / ${o.deferred}`,
    `${o.answered} / ${o.declined} / ${o.refused} / ${o.errors}`,
    String(o.failed),
    ms(o.wallMs),
  ];
  return `\n### End to end: ${e2e.count} \`/ask\` through the local endpoint (${e2e.label})\n\n${table(
    [
      "run",
      "dispatch → visible reply p50 / p99 / max (ms)",
      "first response within 3 s",
      "direct / deferred",
      "answered / declined / refused / error",
      "failed",
      "wall time (ms)",
    ],
    [row("one after another", e2e.sequential), row("all at once", e2e.concurrent)],
  )}\n\nStart-up (${e2e.startup.connectedMs.length} starts): process start → "index ready" ${e2e.startup.indexReadyMs
    .map((x) => ms(x))
    .join(", ")} ms; → "connected to Discord" ${e2e.startup.connectedMs
    .map((x) => ms(x))
    .join(", ")} ms. Bot process tree RSS after start-up: ${mb(e2e.botRssMb)} MB. Rate limit: ${
    e2e.rateLimit
  }.\n${probeTable(e2e)}${comparisonTable(e2e.comparison)}${largeRun(e2e)}`;
}

function probeTable(e2e: FullE2e): string {
  const { idle, underLoad } = e2e.probes;
  const row = (
    name: string,
    path: string,
    s: FullE2e["probes"]["idle"]["health"],
    failed: number,
  ) => [name, path, String(s.n), `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`, String(failed)];
  return `\nThe health server (HTTP_PORT), probed one request at a time, idle and while the ${e2e.count} \`/ask\` at once are answered:\n\n${table(
    ["bot", "probe", "requests", "latency p50 / p99 / max (ms)", "failed (both probes)"],
    [
      row("idle", "/health", idle.health, idle.failed),
      row("idle", "/metrics", idle.metrics, idle.failed),
      row(`${e2e.count} /ask at once`, "/health", underLoad.health, underLoad.failed),
      row(`${e2e.count} /ask at once`, "/metrics", underLoad.metrics, underLoad.failed),
    ],
  )}\n`;
}

function largeRun(e2e: E2eResult): string {
  const l = e2e.large;
  if (!l) return "";
  const b = l.burst;
  return `\nThe bot on the ${l.label} corpus: process start → "index ready" ${ms(
    l.indexReadyMs,
  )} ms, → "connected" ${ms(l.connectedMs)} ms; process tree RSS ${mb(l.rssMb)} MB once connected, ${mb(
    l.rssAfterBurstMb,
  )} MB after the burst. ${b.latency.n + b.failed} \`/ask\` at once: dispatch → visible reply p50 / p99 / max ${ms(
    b.latency.p50,
  )} / ${ms(b.latency.p99)} / ${ms(b.latency.max)} ms; first response within 3 s ${b.within3s}; direct / deferred ${
    b.direct
  } / ${b.deferred}; answered / declined / refused / error ${b.answered} / ${b.declined} / ${
    b.refused
  } / ${b.errors}; failed ${b.failed}.\n`;
}

type Verdict = "pass" | "FAIL" | "not run";

function targets(r: Results): string {
  const seeds = r.index.find((c) => c.label === "seeds");
  const big = r.index.find((c) => c.label === "100k");
  const rows: Array<[string, string, Verdict]> = [];
  const check = (name: string, measured: string | undefined, ok: boolean | undefined) =>
    rows.push([name, measured ?? "—", ok === undefined ? "not run" : ok ? "pass" : "FAIL"]);

  check(
    "100k: answer p50 < 5 ms",
    big && `${ms(big.pipeline.p50)} ms`,
    big && big.pipeline.p50 < 5,
  );
  check(
    "100k: answer p99 < 25 ms",
    big && `${ms(big.pipeline.p99)} ms`,
    big && big.pipeline.p99 < 25,
  );
  check(
    "100k: at most 1.5× plain MiniSearch (p50 and p99)",
    big && `${ratio(big.pipeline.p50, big.plain.p50)} / ${ratio(big.pipeline.p99, big.plain.p99)}`,
    big && big.pipeline.p50 <= 1.5 * big.plain.p50 && big.pipeline.p99 <= 1.5 * big.plain.p99,
  );
  check(
    "seeds: index ready < 300 ms (fresh process)",
    seeds &&
      `${ms(seeds.coldLoadMs)} ms (warm ${ms(median(seeds.warmLoads.map((w) => w.totalMs)))} ms)`,
    seeds && seeds.coldLoadMs < 300,
  );
  check(
    "seeds: answer p50 < 0.5 ms",
    seeds && `${ms(seeds.pipeline.p50)} ms`,
    seeds && seeds.pipeline.p50 < 0.5,
  );
  const largestPeers = r.peers[r.peers.length - 1];
  const own = largestPeers?.engines.find((e) => e.name === SUMMIT_DESK);
  const flex = largestPeers?.engines.find((e) => e.name === FLEXSEARCH);
  check(
    `${largestPeers?.label ?? ""}: answer() ahead of FlexSearch at both p50 and p99`,
    own &&
      flex &&
      `p50 ${ms(own.latency.p50)} vs ${ms(flex.latency.p50)} ms (${ratio(own.latency.p50, flex.latency.p50)}), p99 ${ms(
        own.latency.p99,
      )} vs ${ms(flex.latency.p99)} ms (${ratio(own.latency.p99, flex.latency.p99)})`,
    own && flex && own.latency.p50 < flex.latency.p50 && own.latency.p99 < flex.latency.p99,
  );
  const reload = r.reload;
  const during = reload && [reload.phases.reload, reload.phases.after];
  check(
    `reload ${reload?.label ?? ""}: event loop not blocked (lag ≤ 50 ms)`,
    reload &&
      `worst lag ${ms(Math.max(...(during ?? []).map((p) => p.maxLagMs)))} ms (before: ${ms(
        reload.phases.before.maxLagMs,
      )} ms)`,
    reload && Math.max(...(during ?? []).map((p) => p.maxLagMs)) <= 50,
  );
  const steady = reload?.phases.before;
  const worstDuring = reload && Math.max(...(during ?? []).map((p) => p.maxExtraMs));
  check(
    `reload ${reload?.label ?? ""}: worst extra wait ≤ steady-state p99 + 50 ms, none fails`,
    reload &&
      steady &&
      `worst extra ${ms(worstDuring)} ms (during ${ms(reload.phases.reload.maxExtraMs)}, after the swap ${ms(
        reload.phases.after.maxExtraMs,
      )}); steady state before it: extra wait p99 ${ms(steady.extra.p99)} ms, latency p99 ${ms(
        steady.latency.p99,
      )} ms; failed ${(during ?? []).reduce((n, p) => n + p.failed, 0)}`,
    reload &&
      steady &&
      worstDuring !== undefined &&
      reload.reload.status === "reloaded" &&
      worstDuring <= steady.extra.p99 + 50 &&
      (during ?? []).every((p) => p.failed === 0),
  );
  check(
    "100k loaded: RSS < 400 MB",
    big && `${mb(big.memoryLoaded.rssMb)} MB`,
    big && big.memoryLoaded.rssMb < 400,
  );
  const e2e = fullE2e(r.e2e);
  const comparison = r.e2e?.comparison;
  for (const [i, b] of (comparison?.bursts ?? []).entries()) {
    const within = b.real.latency.p99 <= 1.3 * b.trivial.latency.p99;
    check(
      `e2e: burst ${i + 1}${b.cold ? " (cold)" : ""} p99 within 1.3× the trivial bot's`,
      `${ms(b.real.latency.p99)} / ${ms(b.trivial.latency.p99)} ms = ${ratio(b.real.latency.p99, b.trivial.latency.p99)}`,
      within && b.real.failed === 0 && b.real.errors === 0,
    );
  }
  check(
    `e2e: ${e2e?.count ?? 500} concurrent /ask all answered within 3 s`,
    e2e &&
      `${e2e.concurrent.within3s} / ${e2e.count} within 3 s; max ${ms(e2e.concurrent.latency.max)} ms`,
    e2e &&
      e2e.concurrent.within3s === e2e.count &&
      e2e.concurrent.failed === 0 &&
      e2e.concurrent.errors === 0,
  );
  check(
    "e2e: concurrent p99 < 1 s",
    e2e && `${ms(e2e.concurrent.latency.p99)} ms`,
    e2e && e2e.concurrent.latency.p99 < 1000,
  );
  // Ready means both connected and able to answer: the later of the two log lines.
  const ready = e2e?.startup.connectedMs.map((c, i) =>
    Math.max(c, e2e.startup.indexReadyMs[i] ?? c),
  );
  check(
    "start-up with the seeds < 2 s (to connected and index ready)",
    ready && `${ms(median(ready))} ms (median)`,
    ready && median(ready) < 2000,
  );
  return `### Targets\n\n${table(["target", "measured", "result"], rows)}\n`;
}

export function report(r: Results): string {
  const m = r.machine;
  const header = [
    `## Summit Desk benchmark${r.quick ? " (quick)" : ""}`,
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb.toFixed(1)} GB, Node ${m.node}, ${m.os}. Load average (1/5/15 min) at start ${loads(
      m.loadAverageStart,
    )}, at end ${loads(m.loadAverageEnd)}.`,
    "",
  ].join("\n");
  const errors =
    r.errors.length > 0 ? `\n### Errors\n\n${r.errors.map((e) => `- ${e}`).join("\n")}\n` : "";
  return `${header}\n${targets(r)}\n${indexTables(r)}${leverTable(r)}${peersTables(r)}${reloadTable(r.reload)}${e2eTable(
    r.e2e,
  )}${errors}\nTotal time: ${Math.round(r.totalSeconds)} s.\n`;
}
