import { test, expect } from "@playwright/test";

// "What provides it" on the demo's genuine repository metadata: the form
// works with and without JavaScript, and each result links its packages.

test("a path typed in the form finds its package", async ({ page }) => {
  await page.goto("/provides");
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 15_000 });
  await page.getByLabel("Path, name or capability").fill("/usr/bin/packit");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page).toHaveURL(/\/provides\?q=%2Fusr%2Fbin%2Fpackit/);
  const rows = page.locator("table.provides tbody tr");
  await expect(rows.first()).toContainText("/usr/bin/packit");
  await expect(rows.filter({ hasText: "rawhide" }).first().getByRole("link", { name: "packit" }).first()).toHaveAttribute(
    "href",
    "/packages/packit?branch=rawhide",
  );
});

test("without JavaScript, a capability and a mode chosen in the form", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/provides?q=python3dist(requre)");
  await expect(page.locator("table.provides")).toContainText("python3-requre");
  await expect(page.locator("table.provides")).toContainText("python-requre");
  await page.goto("/provides");
  await page.getByLabel("Path, name or capability").fill("bin/pack");
  await page.getByLabel("Match").selectOption("contains");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.locator("table.provides")).toContainText("/usr/bin/packit");
  await page.goto("/provides?q=rg&mode=regex");
  await expect(page.locator("p.error")).toContainText("unknown mode");
  await context.close();
});
