/**
 * A real HTTP server on 127.0.0.1 that plays a news site for the fetching tests: it serves the
 * fixture pages and the awkward answers a real site can give (redirect chains, a 404, a page
 * over 5 MB, a PDF, a page that never finishes, an article whose headline check-seeds refuses).
 * It records the headers of every request, so tests can check what the fetcher sent.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const PAGES_DIR = path.resolve(import.meta.dirname, "../fixtures/pages");

export interface PageServer {
  /** e.g. `http://127.0.0.1:43210` */
  origin: string;
  port: number;
  /** Headers of every request received, in order. */
  requests: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

const HTML = "text/html; charset=utf-8";

const OVERLONG_HEADLINE_PAGE = `<!doctype html>
<html><head>
<title>Test Wire</title>
<meta property="og:site_name" content="Test Wire">
<meta property="og:title" content="${"Ferry operators agree on a shared timetable for the winter season ".repeat(6)}">
<meta property="og:url" content="https://testwire.example/ferries/winter-timetable">
</head><body><article>
${[
  "Ferry operators on the northern coast agreed on Monday to run a shared timetable through the winter, ending years of competing departures that left some harbours without a boat for days.",
  "Under the plan, the three companies will alternate sailings between Vell and Dunmore every two hours from November to March, and honour each other's tickets.",
  "Passenger groups welcomed the deal but said the companies should publish the timetable at least a month before it takes effect, so that commuters can plan.",
  "The harbour authority said it would review the arrangement after the first winter and could make it permanent if delays fall.",
]
  .map((p) => `<p>${p}</p>`)
  .join("\n")}
</article></body></html>`;

/** Starts the server; `redirectTo` maps `/away` to a link on another host. */
export async function startPageServer(options: { redirectTo?: string } = {}): Promise<PageServer> {
  const requests: PageServer["requests"] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push({ url: url.pathname, headers: req.headers });
    const page = url.pathname.match(/^\/pages\/([\w-]+\.html)$/)?.[1];
    if (page) {
      try {
        const body = await readFile(path.join(PAGES_DIR, page));
        res.writeHead(200, { "content-type": HTML, "content-length": body.length });
        res.end(body);
      } catch {
        res.writeHead(404, { "content-type": HTML }).end("<h1>Not found</h1>");
      }
      return;
    }
    const hops = url.pathname.match(/^\/redirect\/(\d+)$/)?.[1];
    if (hops !== undefined) {
      const left = Number(hops);
      const next = left <= 1 ? "/pages/harbour-post-fisheries-pact.html" : `/redirect/${left - 1}`;
      // A cookie the fetcher must never send back.
      res.writeHead(302, { location: next, "set-cookie": "session=secret; Path=/" });
      res.end();
      return;
    }
    switch (url.pathname) {
      case "/away":
        res.writeHead(301, { location: options.redirectTo ?? "/" }).end();
        return;
      case "/huge": {
        // Over 5 MB, streamed without a declared length; stops if the client goes away.
        res.writeHead(200, { "content-type": HTML });
        const chunk = `<p>${"filler text ".repeat(5000)}</p>\n`;
        let sent = 0;
        const write = () => {
          while (sent < 8 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", write);
          }
          res.end();
        };
        res.on("close", () => {
          sent = Number.POSITIVE_INFINITY;
        });
        write();
        return;
      }
      case "/huge-declared":
        res.writeHead(200, { "content-type": HTML, "content-length": 6 * 1024 * 1024 });
        res.end();
        return;
      case "/overlong-headline":
        // A real-looking article whose headline is longer than check-seeds accepts.
        res.writeHead(200, { "content-type": HTML }).end(OVERLONG_HEADLINE_PAGE);
        return;
      case "/report.pdf":
        res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.7");
        return;
      case "/slow":
        // Headers at once, then the body trickles in far slower than any timeout.
        res.writeHead(200, { "content-type": HTML });
        res.write("<html><body><p>Loading");
        setTimeout(() => res.end("</p></body></html>"), 10_000).unref();
        return;
      default:
        res.writeHead(404, { "content-type": HTML }).end("<h1>Not found</h1>");
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
