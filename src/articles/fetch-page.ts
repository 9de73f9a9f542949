/**
 * Fetches one web page for `add-article`: http and https only, `text/html` only, at most 5 MB,
 * at most 5 redirects, 15 seconds in all. Redirects are followed by hand so that each hop's
 * link and address are checked again, and each connection goes to the address the guard
 * checked (the request's `lookup` hands it over; nothing resolves the name a second time).
 * No cookies, credentials or other state are ever sent.
 */
import type { IncomingMessage } from "node:http";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { type GuardOptions, type ResolvedAddress, resolvePublicAddress } from "./address-guard.js";

const FETCH_TIMEOUT_MS = 15_000;
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 5;

export type FetchRefusalCode =
  | "bad-link"
  | "timeout"
  | "too-large"
  | "too-many-redirects"
  | "not-html"
  | "http-status"
  | "network";

/** A page that was not fetched, for an expected reason; `message` is one sentence. */
export class FetchRefusedError extends Error {
  constructor(
    readonly code: FetchRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "FetchRefusedError";
  }
}

export interface FetchOptions extends GuardOptions {
  /** For the whole fetch, redirects included. Default 15 s. */
  timeoutMs?: number;
  /** Largest page accepted, after decompression. Default 5 MB. */
  maxBytes?: number;
  maxRedirects?: number;
}

export interface FetchedPage {
  /** The link the page was finally read from, after redirects. */
  url: string;
  html: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Checks that a link may be fetched at all, before any lookup. */
function checkLink(link: string | URL): URL {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new FetchRefusedError("bad-link", `not a link: ${String(link)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FetchRefusedError(
      "bad-link",
      `only http:// and https:// links can be fetched, not ${url.protocol}//`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new FetchRefusedError(
      "bad-link",
      "the link carries a user name or password; links with credentials are not fetched",
    );
  }
  return url;
}

/**
 * Fetches `link` and returns its HTML, decoded with the charset the server names (UTF-8 when
 * it names none).
 *
 * @throws {FetchRefusedError} for each expected refusal (link, size, type, status, time)
 * @throws {AddressRefusedError} a hop's host is not a public address
 * @throws {HostNotFoundError} a hop's host does not resolve
 */
export async function fetchPage(link: string, options: FetchOptions = {}): Promise<FetchedPage> {
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timedOut = () =>
    new FetchRefusedError(
      "timeout",
      `the page did not arrive within ${formatSeconds(timeoutMs)}; try again later or save it as .html`,
    );
  try {
    let url = checkLink(link);
    for (let redirects = 0; ; redirects++) {
      const address = await raceAbort(
        resolvePublicAddress(url.hostname, options),
        controller.signal,
        timedOut,
      );
      const response = await request(url, address, controller.signal, timedOut);
      const location = response.headers.location;
      if (REDIRECTS.has(response.statusCode ?? 0) && location !== undefined) {
        response.destroy();
        if (redirects >= maxRedirects) {
          throw new FetchRefusedError(
            "too-many-redirects",
            `more than ${maxRedirects} redirects; give the article's final link`,
          );
        }
        url = checkLink(new URL(location, url));
        continue;
      }
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        response.destroy();
        throw new FetchRefusedError(
          "http-status",
          `the server answered ${status} ${http.STATUS_CODES[status] ?? ""}`.trimEnd() +
            ` for ${url.href}`,
        );
      }
      const type = parseContentType(response.headers["content-type"]);
      if (type.mediaType !== "text/html") {
        response.destroy();
        throw new FetchRefusedError(
          "not-html",
          `the link is ${type.mediaType || "of no stated type"}, not an HTML page`,
        );
      }
      const bytes = await readBody(
        response,
        options.maxBytes ?? MAX_PAGE_BYTES,
        controller.signal,
        timedOut,
      );
      return { url: url.href, html: decodeHtml(bytes, type.charset) };
    }
  } finally {
    clearTimeout(timer);
  }
}

function request(
  url: URL,
  address: ResolvedAddress,
  signal: AbortSignal,
  timedOut: () => Error,
): Promise<IncomingMessage> {
  // Hands the checked address to the connection: the name is never looked up again.
  const lookup: LookupFunction = (_host, opts, callback) => {
    if (opts.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "GET",
        lookup,
        // A fresh connection each time: nothing from an earlier request is reused.
        agent: false,
        headers: {
          "user-agent": "SummitDesk/0.1 (add-article)",
          accept: "text/html,application/xhtml+xml;q=0.9",
          "accept-encoding": "gzip, deflate, br",
        },
        signal,
      },
      resolve,
    );
    req.on("error", (error) => {
      reject(signal.aborted ? timedOut() : networkError(url, error));
    });
    req.end();
  });
}

function networkError(url: URL, error: Error): FetchRefusedError {
  const code = (error as NodeJS.ErrnoException).code ?? error.message;
  return new FetchRefusedError("network", `cannot reach ${url.host}: ${code}`);
}

/** Reads the body, decompressing it, and stops as soon as it passes `maxBytes`. */
async function readBody(
  response: IncomingMessage,
  maxBytes: number,
  signal: AbortSignal,
  timedOut: () => Error,
): Promise<Buffer> {
  const tooLarge = () =>
    new FetchRefusedError(
      "too-large",
      `the page is larger than ${maxBytes / (1024 * 1024)} MB; save the article as .html and add the file`,
    );
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? createGunzip()
      : encoding === "deflate"
        ? createInflate()
        : encoding === "br"
          ? createBrotliDecompress()
          : undefined;
  if (decoder === undefined && encoding !== "identity") {
    response.destroy();
    throw new FetchRefusedError("not-html", `the page is compressed as ${encoding}, unsupported`);
  }
  const stream = decoder ? response.pipe(decoder) : response;
  if (decoder) response.on("error", (error) => decoder.destroy(error));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof FetchRefusedError) throw error;
    if (signal.aborted) throw timedOut();
    throw new FetchRefusedError("network", "the connection broke while reading the page");
  } finally {
    response.destroy();
    decoder?.destroy();
  }
  if (signal.aborted) throw timedOut();
  return Buffer.concat(chunks);
}

function parseContentType(header: string | undefined): { mediaType: string; charset?: string } {
  const [mediaType = "", ...params] = (header ?? "").split(";");
  const charset = params
    .map((p) => p.trim().match(/^charset\s*=\s*"?([^";]+)"?$/i)?.[1])
    .find((c) => c !== undefined);
  return {
    mediaType: mediaType.trim().toLowerCase(),
    ...(charset !== undefined && { charset }),
  };
}

/** Decodes with the header's charset, else a `<meta charset>` near the top, else UTF-8. */
export function decodeHtml(bytes: Uint8Array, charset?: string): string {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString("latin1");
  const declared =
    charset ??
    head.match(/<meta[^>]+charset\s*=\s*["']?([\w-]+)/i)?.[1] ??
    (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? "utf-8" : undefined);
  try {
    return new TextDecoder(declared ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

async function raceAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  timedOut: () => Error,
): Promise<T> {
  if (signal.aborted) throw timedOut();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(timedOut());
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
