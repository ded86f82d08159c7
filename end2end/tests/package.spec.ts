import { test, expect, Page, APIRequestContext } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Each tab's deep link and a text that only that tab's content contains.
const TABS: [string, string, string][] = [
  ["", ".overview-cards", "Maintainers"],
  ["/builds", "table.builds", "python-requre-0.5.0-1.fc33"],
  ["/updates", "table.updates", "FEDORA-2021-63331f9029"],
  ["/bugs", ".tab-content", "open bug"],
  ["/contents", ".tab-content", "requre-patch"],
  ["/changelog", ".changelog", "Update to 0.8.6 upstream release"],
  ["/dependencies", ".tab-content", "python3-ogr"],
  ["/sources", ".spec-text", "%changelog"],
];

async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 15_000 });
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  for (const [suffix, selector, text] of TABS) {
    test(`deep link /packages/python-requre${suffix} renders on the server`, async ({ page }) => {
      const response = await page.goto(`/packages/python-requre${suffix}`);
      expect(response?.status()).toBe(200);
      await expect(page.locator(selector).first()).toContainText(text);
      await expect(page.locator(".package-heading h1")).toHaveText("python-requre");
      const tab = suffix === "" ? "overview" : suffix.slice(1);
      await expect(page.locator(".tab-link[aria-current=page]")).toHaveAttribute("data-tab", tab);
      await expect(page.locator(".updated-at time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
    });
  }
});

test("tab clicks swap content in place and follow the address bar", async ({ page }) => {
  await page.goto("/packages/python-requre");
  await hydrated(page);
  await page.evaluate(() => ((window as any).__noReload = "still here"));

  await page.locator(".tab-link[data-tab=builds]").click();
  await expect(page).toHaveURL(/\/packages\/python-requre\/builds$/);
  await expect(page.locator("table.builds")).toContainText("python-requre-0.5.0-1.fc33");
  await page.locator(".tab-link[data-tab=changelog]").click();
  await expect(page).toHaveURL(/\/packages\/python-requre\/changelog$/);
  await expect(page.locator(".changelog")).toBeVisible();
  expect(await page.evaluate(() => (window as any).__noReload)).toBe("still here");

  await page.goBack();
  await expect(page).toHaveURL(/\/packages\/python-requre\/builds$/);
  await expect(page.locator("table.builds")).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/packages\/python-requre$/);
  await expect(page.locator(".overview-cards")).toBeVisible();
  await page.goForward();
  await expect(page.locator("table.builds")).toBeVisible();
  expect(await page.evaluate(() => (window as any).__noReload)).toBe("still here");
});

test("the refresh time is reworded after hydration", async ({ page }) => {
  await page.goto("/packages/python-requre/builds");
  await hydrated(page);
  await expect(page.locator(".updated-at time")).toHaveText(/updated (just now|\d+ \w+ ago)/);
});

test("a slow tab shows a loading state, a failed one an error with a retry", async ({ page }) => {
  await page.goto("/packages/python-requre");
  await hydrated(page);
  let fail = true;
  await page.route("**/api/**", async (route) => {
    if (fail) {
      await new Promise((r) => setTimeout(r, 800));
      await route.fulfill({ status: 500, contentType: "text/plain", body: "boom" });
    } else {
      await route.continue();
    }
  });
  await page.locator(".tab-link[data-tab=updates]").click();
  await expect(page.locator(".tab-content .loading")).toBeVisible();
  await expect(page.locator(".error-panel")).toBeVisible();
  fail = false;
  await page.locator(".error-panel .retry").click();
  await expect(page.locator("table.updates")).toContainText("FEDORA-2021-63331f9029");
});

test("the release selector changes the URL and the content", async ({ page }) => {
  await page.goto("/packages/python3-requre/contents?branch=rawhide");
  await hydrated(page);
  await expect(page.locator(".package-files h2")).toContainText("release repository");
  await page.locator(".release[data-branch=f42]").click();
  await expect(page).toHaveURL(/contents\?branch=f42$/);
  await expect(page.locator(".release[aria-current=true]")).toHaveAttribute("data-branch", "f42");
  await expect(page.locator(".package-files h2")).toContainText("updates repository");
});

test("an unknown package answers 404 with the name in the search box", async ({ page }) => {
  const response = await page.goto("/packages/no-such-package-here");
  expect(response?.status()).toBe(404);
  await expect(page.locator(".package-not-found input[name=q]")).toHaveValue("no-such-package-here");
});

test("a changelog line containing <script> shows as text", async ({ page }) => {
  let dialogs = 0;
  page.on("dialog", async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  await page.goto("/packages/python-specfile/changelog");
  await hydrated(page);
  await expect(page.locator(".changelog")).toContainText("<script>alert(1)</script>");
  expect(dialogs).toBe(0);
});

// The static site's release pages linked their sections by fragment; the
// server redirects the page and the browser, holding the fragment, opens
// the matching tab in that release.
for (const [fragment, tab, text] of [
  ["#files", "contents", "requre-patch"],
  ["#changelog", "changelog", "0.8.4 upstream release"],
  ["#dependencies", "dependencies", "python3-ogr"],
]) {
  test(`the static site's ${fragment} opens the ${tab} tab`, async ({ page }) => {
    await page.goto(`/pkgs/python-requre/python-requre/fedora-42.html${fragment}`);
    await expect(page).toHaveURL(new RegExp(`/packages/python-requre/${tab}\\?branch=f42$`));
    await hydrated(page);
    await expect(page.locator(".tab-link[aria-current=page]")).toHaveAttribute("data-tab", tab);
    await expect(page.locator(".tab-content").first()).toContainText(text);
  });
}

test("every package page links its Atom feed, also after switching tabs", async ({ page, request }) => {
  await page.goto("/packages/python-requre/builds");
  const feed = page.locator('head link[rel=alternate][type="application/atom+xml"]');
  await expect(feed).toHaveAttribute("href", "/packages/python-requre/feed.atom");
  await hydrated(page);
  await page.locator(".tab-link[data-tab=bugs]").click();
  await expect(page).toHaveURL(/\/bugs$/);
  await expect(feed).toHaveCount(1);
  await expect(feed).toHaveAttribute("href", "/packages/python-requre/feed.atom");
  const response = await request.get("/packages/python-requre/feed.atom");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/atom+xml");
  expect(await response.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  // Link previews.
  await expect(page.locator('head meta[property="og:title"]')).toHaveAttribute("content", /python-requre/);
});

test("every page names the OpenSearch description, with suggestions", async ({ page, request }) => {
  for (const path of ["/", "/search?q=requre", "/packages/python-requre"]) {
    await page.goto(path);
    const link = page.locator('head link[rel=search][type="application/opensearchdescription+xml"]');
    await expect(link).toHaveAttribute("href", "/opensearch.xml");
  }
  const description = await request.get("/opensearch.xml");
  expect(description.headers()["content-type"]).toContain("application/opensearchdescription+xml");
  expect(await description.text()).toContain("/search?q={searchTerms}");
  const suggestions = await (await request.get("/opensearch/suggest?q=python-req")).json();
  expect(suggestions[0]).toBe("python-req");
  expect(suggestions[1]).toContain("python-requre");
});

test("the API docs page lists every endpoint of the OpenAPI document", async ({ page, request }) => {
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toMatch(/^3\.1/);
  await page.goto("/api");
  for (const path of Object.keys(doc.paths)) {
    await expect(page.locator(".api-operation h3 code", { hasText: path }).first()).toBeVisible();
  }
});

// Publishes one recorded Koji message for python-requre with the real
// fedora-messaging client, under the topic prefix the test server's worker
// consumes (scripts/test).
function publishBuild() {
  const fixture = join(__dirname, "../../tests/fixtures/messages/koji.build.state.change.complete.json");
  const message = JSON.parse(readFileSync(fixture, "utf8"));
  message.topic = "org.fedoraproject.e2e.buildsys.build.state.change";
  message.id = randomUUID();
  message.body.name = "python-requre";
  const dir = mkdtempSync(join(tmpdir(), "fp-e2e-"));
  writeFileSync(join(dir, "conf.toml"), 'amqp_url = "amqp://guest:guest@127.0.0.1:5672/%2f"\npublish_exchange = "amq.topic"\n');
  writeFileSync(join(dir, "message.jsonl"), JSON.stringify(message) + "\n");
  const cli = process.env.FEDORA_MESSAGING_CLI ?? join(__dirname, "../../.tools/venv/bin/fedora-messaging");
  execFileSync(cli, ["--conf", join(dir, "conf.toml"), "publish", "--exchange", "amq.topic", join(dir, "message.jsonl")]);
}

test("an open tab updates itself when the bus says its package changed", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/packages/python-requre/builds");
  await hydrated(page);
  await expect(page.locator("html[data-live=open]")).toHaveCount(1, { timeout: 15_000 });
  await page.evaluate(() => ((window as any).__noReload = "still here"));
  const time = page.locator("main time").first();
  const before = await time.getAttribute("datetime");
  publishBuild();
  // The worker refreshes the builds tab, the stream says so, the tab refetches itself.
  await expect(time).not.toHaveAttribute("datetime", before ?? "", { timeout: 60_000 });
  await expect(page).toHaveURL(/\/packages\/python-requre\/builds$/);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe("still here");
  await expect(page.locator("table.builds")).toContainText("python-requre");
});

// Once the page has settled it reads the other tabs ahead: a switch then
// shows the new tab with no request at all.
test("a tab read ahead opens without waiting on the network", async ({ page }) => {
  await page.goto("/packages/python-requre");
  await hydrated(page);
  await expect(page.locator("html[data-tabs-ahead=ready]")).toHaveCount(1, { timeout: 15_000 });
  const asked: string[] = [];
  await page.route("**/api/tab/**", async (route) => {
    asked.push(route.request().url());
    await route.abort();
  });
  await page.locator(".tab-link[data-tab=updates]").click();
  await expect(page.locator("table.updates")).toContainText("FEDORA-2021-63331f9029");
  await page.locator(".tab-link[data-tab=changelog]").click();
  await expect(page.locator(".changelog")).toContainText("Update to 0.8.6 upstream release");
  expect(asked).toEqual([]);
});

/** The refresh time of a tab as the server renders it now. */
async function servedTime(request: APIRequestContext, path: string): Promise<string> {
  const html = await (await request.get(path)).text();
  return /<main[\s\S]*?<time datetime="([^"]+)"/.exec(html)?.[1] ?? "";
}

// Rows read ahead before a change the live stream reported are not shown:
// the tab is read again when opened.
test("a tab read ahead is read again after a change to it", async ({ page, request }) => {
  test.setTimeout(90_000);
  await page.goto("/packages/python-requre");
  await hydrated(page);
  await expect(page.locator("html[data-live=open]")).toHaveCount(1, { timeout: 15_000 });
  await expect(page.locator("html[data-tabs-ahead=ready]")).toHaveCount(1, { timeout: 15_000 });
  const before = await servedTime(request, "/packages/python-requre/builds");
  publishBuild();
  await expect.poll(() => servedTime(request, "/packages/python-requre/builds"), { timeout: 60_000 }).not.toBe(before);
  const after = await servedTime(request, "/packages/python-requre/builds");
  // The stream is a NOTIFY away from the commit the server already shows.
  await page.waitForTimeout(1_000);
  await page.locator(".tab-link[data-tab=builds]").click();
  await expect(page.locator("main time").first()).toHaveAttribute("datetime", after);
});

// The code a first visit to a tab page downloads (JS and wasm, as the
// browser counts it): only the page's islands are in it.
for (const [encoding, headers, limit] of [
  ["brotli", {}, 200_000],
  ["gzip", { "Accept-Encoding": "gzip" }, 250_000],
] as const) {
  test(`a first visit downloads at most ${limit} B of code with ${encoding}`, async ({ browser }) => {
    const context = await browser.newContext({ extraHTTPHeaders: headers });
    const page = await context.newPage();
    await page.goto("/packages/python-requre/builds");
    await hydrated(page);
    const sizes = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => /\.(js|wasm)(\?|$)/.test(e.name))
        .map((e) => (e as PerformanceResourceTiming).transferSize),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    expect(sizes.every((size) => size > 0)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(limit);
    await context.close();
  });
}
