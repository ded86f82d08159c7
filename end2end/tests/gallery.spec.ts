import { test, expect, Page, ConsoleMessage } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// Every story of the gallery and every tab page of the demo: no serious or
// critical accessibility violation (axe-core), no console error, and at a
// 390 px phone width nothing wider than the screen.

const PACKAGES = ["python-requre", "python3-requre", "colin"];
const TABS = ["", "/builds", "/updates", "/bugs", "/contents", "/changelog", "/dependencies", "/sources"];
const PAGES = [
  "/",
  "/search?q=requre",
  "/search?q=pyhton-requre",
  "/search?q=/usr/bin/packit",
  "/gallery",
  "/provides",
  "/provides?q=/usr/bin/packit",
  "/provides?q=python3dist(requre)",
];

async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 15_000 });
}

/** Opens `url`, collecting console errors; returns them after the page hydrated. */
async function open(page: Page, url: string, hydrates = true): Promise<string[]> {
  const errors: string[] = [];
  const onConsole = (m: ConsoleMessage) => {
    if (m.type() === "error") errors.push(m.text());
  };
  page.on("console", onConsole);
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  if (hydrates) await hydrated(page);
  page.off("console", onConsole);
  return errors;
}

async function serious(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`);
}

/** Whether anything is wider than the screen. */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function check(page: Page, url: string, hydrates = true) {
  await page.setViewportSize({ width: 1280, height: 900 });
  const errors = await open(page, url, hydrates);
  // A 404 page logs the failed load of its status; nothing else may.
  expect(errors.filter((e) => !/status of 404/.test(e)), `console errors on ${url}`).toEqual([]);
  expect(await serious(page), `accessibility of ${url}`).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(50);
  expect(await overflow(page), `horizontal overflow at 390 px on ${url}`).toBeLessThanOrEqual(1);
  expect(await serious(page), `accessibility of ${url} at 390 px`).toEqual([]);
}

test.describe.configure({ timeout: 300_000 });

// The walk is cut in parts so each stays well inside its time budget as stories are added.
const PARTS = 3;
for (let part = 0; part < PARTS; part++) {
  test(`every story of the gallery, part ${part + 1} of ${PARTS}`, async ({ page }) => {
    await page.goto("/gallery");
    const links = await page.locator(".gallery-entry .stories a").evaluateAll((as) =>
      as.map((a) => (a as HTMLAnchorElement).getAttribute("href") ?? ""),
    );
    expect(links.length).toBeGreaterThan(60);
    for (const href of links.filter((_, i) => i % PARTS === part)) {
      await check(page, href);
      await expect(page.locator(".story-canvas")).toHaveCount(1);
    }
  });
}

test("every tab page of the demo, and the other pages", async ({ page }) => {
  for (const name of PACKAGES) {
    for (const tab of TABS) {
      await check(page, `/packages/${name}${tab}`);
    }
  }
  for (const url of PAGES) {
    await check(page, url);
  }
});

// The unknown-package 404 page: its search box is an island, and it
// hydrates without an error (a 404 logs only its own status).
test("the unknown-package page", async ({ page }) => {
  await check(page, "/packages/no-such-package");
});

test("a story shows its props and the file to edit", async ({ page }) => {
  await open(page, "/gallery/BuildsBody/typical");
  await expect(page.locator(".story-canvas table.builds tr.build").first()).toBeVisible();
  await expect(page.locator("p.file code")).toHaveText("src/components/tabs/builds.rs");
  await page.locator(".story-props summary").click();
  await expect(page.locator(".story-props pre")).toContainText("\"Builds\"");
});

test("the builds table is readable at 390 px: one card per build", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, "/packages/python-requre/builds");
  const row = page.locator("table.builds tr.build").first();
  const box = await row.boundingBox();
  expect(box?.width ?? 1000).toBeLessThanOrEqual(390);
  const duration = row.locator("td[data-label=Duration]");
  await expect(duration).toBeVisible();
  const cell = await duration.boundingBox();
  expect((cell?.x ?? 1000) + (cell?.width ?? 0)).toBeLessThanOrEqual(390);
});

test("the API docs page (server-rendered, no script) reads well", async ({ page }) => {
  await check(page, "/api", false);
  expect(await page.locator("script").count()).toBe(0);
});

// Pages are server-rendered; only islands (the package tabs, the search
// box) are in the one wasm file every page loads. The gallery has none of
// its own: a story page loads the same file a package page does, and the
// file holds none of the gallery's code (not even the address of its
// server functions).
test("a package page downloads none of the gallery's code", async ({ page, request }) => {
  const wasmFetched = async (url: string) => {
    expect(await open(page, url), `console errors on ${url}`).toEqual([]);
    return page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((e) => e.name.split("?")[0])
        .filter((name) => name.endsWith(".wasm")),
    );
  };
  const packagePage = await wasmFetched("/packages/python-requre/builds");
  expect(packagePage).toHaveLength(1);
  const story = await wasmFetched("/gallery/BuildsBody/typical");
  expect(story).toEqual(packagePage);
  await expect(page.locator(".story-canvas table.builds tr.build").first()).toBeVisible();
  const wasm = Buffer.from(await (await request.get(packagePage[0])).body()).toString("latin1");
  expect(wasm).toContain("tab/builds");
  expect(wasm).not.toContain("gallery/story");
});
