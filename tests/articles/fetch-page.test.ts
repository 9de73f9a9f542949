import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchRefusedError, fetchPage } from "../../src/articles/fetch-page.js";
import { type PageServer, startPageServer } from "../support/page-server.js";

let server: PageServer;
beforeAll(async () => {
  server = await startPageServer();
});
afterAll(() => server.close());

// The pages are served on 127.0.0.1, which only the test setting allows.
const local = { allowLoopback: true };

/** The refusal `fetchPage` throws, or fails the test. */
async function refusal(path: string, options = {}): Promise<FetchRefusedError> {
  const error = await fetchPage(`${server.origin}${path}`, { ...local, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof FetchRefusedError) return error;
  throw new Error(`expected a refusal, got ${String(error)}`);
}

describe("a page is fetched", () => {
  it("returns the HTML and the link it was read from", async () => {
    const page = await fetchPage(
      `${server.origin}/pages/valley-times-lantern-festival.html`,
      local,
    );
    expect(page.url).toBe(`${server.origin}/pages/valley-times-lantern-festival.html`);
    expect(page.html).toContain("Lantern festival draws record crowds to Orrin");
  });

  it("follows up to five redirects and reports the final link", async () => {
    const page = await fetchPage(`${server.origin}/redirect/5`, local);
    expect(page.url).toBe(`${server.origin}/pages/harbour-post-fisheries-pact.html`);
  });

  it("never sends cookies or credentials, even after a redirect that sets a cookie", async () => {
    server.requests.length = 0;
    await fetchPage(`${server.origin}/redirect/2`, local);
    expect(server.requests).toHaveLength(3);
    for (const { headers } of server.requests) {
      expect(headers).not.toHaveProperty("cookie");
      expect(headers).not.toHaveProperty("authorization");
    }
  });
});

describe("each refusal has its own one-line reason", () => {
  it("refuses a sixth redirect", async () => {
    const error = await refusal("/redirect/6");
    expect(error.code).toBe("too-many-redirects");
    expect(error.message).toBe("more than 5 redirects; give the article's final link");
  });

  it("refuses a 404", async () => {
    const error = await refusal("/missing");
    expect(error.message).toBe(`the server answered 404 Not Found for ${server.origin}/missing`);
  });

  it("refuses a page over 5 MB while it streams, declared or not", async () => {
    const message = "the page is larger than 5 MB; save the article as .html and add the file";
    expect((await refusal("/huge")).message).toBe(message);
    expect((await refusal("/huge-declared")).message).toBe(message);
  });

  it("refuses what is not HTML", async () => {
    expect((await refusal("/report.pdf")).message).toBe(
      "the link is application/pdf, not an HTML page",
    );
  });

  it("gives up on a slow page when the time is up", async () => {
    const started = Date.now();
    const error = await refusal("/slow", { timeoutMs: 300 });
    expect(error.message).toBe(
      "the page did not arrive within 0.3 s; try again later or save it as .html",
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("refuses links that are not http or https, and links with credentials", async () => {
    await expect(fetchPage("file:///etc/passwd")).rejects.toThrow(
      "only http:// and https:// links can be fetched, not file://",
    );
    await expect(fetchPage(`http://user:pw@127.0.0.1:${server.port}/`, local)).rejects.toThrow(
      "links with credentials are not fetched",
    );
  });
});
