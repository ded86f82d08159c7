import { test, expect } from "@playwright/test";

test("typing suggests packages; the keyboard picks one and opens its page", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 15_000 });
  const box = page.locator("header .search-box input[name=q]");
  await box.click();
  await box.pressSequentially("python3-req", { delay: 30 });
  const first = page.locator("header .suggestions .suggestion").first();
  await expect(first).toHaveAttribute("data-name", "python3-requre");
  await box.press("ArrowDown");
  await expect(first).toHaveAttribute("aria-selected", "true");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/packages\/python3-requre$/);
  await expect(page.locator(".package-heading h1")).toHaveText("python3-requre");
});

test("Escape closes the suggestions; Enter without a choice searches", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 15_000 });
  const box = page.locator("header .search-box input[name=q]");
  await box.click();
  await box.pressSequentially("colin", { delay: 30 });
  await expect(page.locator("header .suggestions")).toBeVisible();
  await box.press("Escape");
  await expect(page.locator("header .suggestions")).toHaveCount(0);
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=colin$/);
  await expect(page.locator(".hit .hit-name").first()).toHaveText("colin");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the search form submits to /search", async ({ page }) => {
    await page.goto("/");
    await page.locator("main .search-box input[name=q]").fill("requre");
    await page.locator("main .search-box button").click();
    await expect(page).toHaveURL(/\/search\?q=requre$/);
    await expect(page.locator(".hit .hit-name").first()).toHaveText("python-requre");
  });
});
