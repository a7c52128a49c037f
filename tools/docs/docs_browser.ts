/**
 * A headless Chromium driven over the DevTools protocol, for the link check of the site: one
 * browser opens page after page and reports, for each, its element ids, the links and resources
 * it names (resolved by the browser) and the images that did not load.
 *
 * @module
 */

/** What a page holds, as the browser sees it after its load event (or after parsing it). */
export interface PageReport {
  /** The URL asked for. */
  page: string;
  /** The URL the browser ended at (another one after a redirect). */
  url: string;
  /** Why the navigation failed (e.g. `net::ERR_FILE_NOT_FOUND`), or undefined. */
  error?: string;
  /** Every element id and `<a name>` of the page. */
  ids: string[];
  /** Every `<a href>`, resolved. */
  links: string[];
  /** Every `img`, `script`, `link`, `iframe` and `source` URL, resolved. */
  resources: string[];
  /** The images that did not load (complete with no width), by URL. */
  brokenImages: string[];
}

const COLLECT = `(async () => {
  await Promise.all([...document.images].map((img) => img.complete ? null :
    new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })));
  const ids = [...document.querySelectorAll("[id]")].map((e) => e.id)
    .concat([...document.querySelectorAll("a[name]")].map((e) => e.getAttribute("name")));
  const links = [...document.querySelectorAll("a[href]")].map((a) => a.href);
  const resources = [...document.querySelectorAll(
    "img[src], script[src], link[href], iframe[src], source[src]")].map((e) => e.src || e.href);
  const brokenImages = [...document.images].filter((img) => img.naturalWidth === 0)
    .map((img) => img.currentSrc || img.src);
  return { url: location.href, ids, links, resources, brokenImages };
})()`;

/** Reads and parses pages with the browser's HTML parser (XHR from a `file:` page; no loading). */
const PARSE = `async (pages) => {
  const read = (url) => new Promise((done) => {
    const request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = () => done(request.responseText);
    request.onerror = () => done(null);
    request.send();
  });
  const reports = [];
  for (const page of pages) {
    const text = await read(page);
    if (text === null) {
      reports.push({ page, url: page, error: "cannot be read", ids: [], links: [], resources: [], brokenImages: [] });
      continue;
    }
    const doc = new DOMParser().parseFromString(text, "text/html");
    const absolute = (value) => new URL(value, page).href;
    reports.push({
      page,
      url: page,
      ids: [...doc.querySelectorAll("[id]")].map((e) => e.id)
        .concat([...doc.querySelectorAll("a[name]")].map((e) => e.getAttribute("name"))),
      links: [...doc.querySelectorAll("a[href]")].map((a) => absolute(a.getAttribute("href"))),
      resources: [...doc.querySelectorAll("img[src], script[src], link[href], iframe[src], source[src]")]
        .map((e) => absolute(e.getAttribute("src") ?? e.getAttribute("href"))),
      brokenImages: [],
    });
  }
  return reports;
}`;

interface Message {
  id?: number;
  method?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** Arguments that keep a headless Chromium quiet, offline and free of the GPU. */
export const HEADLESS_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--remote-debugging-port=0",
  "--allow-file-access-from-files",
];

async function devToolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`chromium exited before it listened:\n${text.slice(-2000)}`);
    text += value;
    const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
    if (match !== null) {
      (async () => {
        while (!(await reader.read()).done) { /* drain */ }
      })().catch(() => {});
      return match[1];
    }
  }
}

/** A headless Chromium with one page, driven over the DevTools protocol. */
export class Browser {
  #child: Deno.ChildProcess;
  #socket: WebSocket;
  #profile: string;
  #next = 1;
  #pending = new Map<number, (message: Message) => void>();
  #events = new Map<string, (() => void)[]>();

  private constructor(child: Deno.ChildProcess, socket: WebSocket, profile: string) {
    this.#child = child;
    this.#socket = socket;
    this.#profile = profile;
    socket.onmessage = (event) => this.#receive(JSON.parse(event.data as string));
  }

  /** Starts `executable` headless and attaches to its first page. */
  static async launch(executable: string): Promise<Browser> {
    const profile = await Deno.makeTempDir({ prefix: "icl-docs-chromium-" });
    const child = new Deno.Command(executable, {
      args: [...HEADLESS_ARGS, `--user-data-dir=${profile}`, "about:blank"],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const browserUrl = new URL(await devToolsUrl(child.stderr));
    const list = await fetch(`http://${browserUrl.host}/json/list`).then((r) => r.json());
    const page = (list as { type: string; webSocketDebuggerUrl: string }[])
      .find((target) => target.type === "page");
    if (page === undefined) throw new Error("chromium has no page to drive");
    const socket = new WebSocket(page.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error("could not connect to chromium"));
    });
    const browser = new Browser(child, socket, profile);
    await browser.#send("Page.enable");
    return browser;
  }

  #receive(message: Message): void {
    if (message.id !== undefined) {
      this.#pending.get(message.id)?.(message);
      this.#pending.delete(message.id);
    } else if (message.method !== undefined) {
      const waiters = this.#events.get(message.method) ?? [];
      this.#events.delete(message.method);
      for (const waiter of waiters) waiter();
    }
  }

  #send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (message) => {
        if (message.error !== undefined) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result ?? {});
      });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  #event(method: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${method} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const waiters = this.#events.get(method) ?? [];
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.#events.set(method, waiters);
    });
  }

  /** Opens `url`, waits for its load event and its images, and reports what it holds. */
  async visit(url: string, timeoutMs = 20000): Promise<PageReport> {
    const loaded = this.#event("Page.loadEventFired", timeoutMs);
    const navigation = await this.#send("Page.navigate", { url });
    if (typeof navigation.errorText === "string" && navigation.errorText !== "") {
      loaded.catch(() => {});
      const error = navigation.errorText;
      return { page: url, url, error, ids: [], links: [], resources: [], brokenImages: [] };
    }
    await loaded;
    const result = await this.#send("Runtime.evaluate", {
      expression: COLLECT,
      awaitPromise: true,
      returnByValue: true,
    });
    return { ...(result.result as { value: PageReport }).value, page: url };
  }

  /**
   * Reads the `file:` pages `urls` from the page open now and parses them with the browser's
   * HTML parser, without loading them: their ids, links and resources (no image check).
   */
  async parse(urls: readonly string[]): Promise<PageReport[]> {
    const result = await this.#send("Runtime.evaluate", {
      expression: `(${PARSE})(${JSON.stringify(urls)})`,
      awaitPromise: true,
      returnByValue: true,
    });
    const value = (result.result as { value?: PageReport[] }).value;
    if (!Array.isArray(value)) throw new Error("chromium could not parse the pages");
    return value;
  }

  /** Closes the connection, ends the browser and removes its profile. */
  async close(): Promise<void> {
    const closed = new Promise((resolve) => (this.#socket.onclose = resolve));
    this.#socket.close();
    await closed;
    this.#child.kill("SIGTERM");
    await this.#child.status;
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}
