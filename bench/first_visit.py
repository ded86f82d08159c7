#!/usr/bin/env python3
"""First-visit benchmark: what a first visit to a tab page costs a browser.

1. Bytes: Chromium (Playwright) opens each tab page of one package with an
   empty cache; the script adds up the `transferSize` of the `.js` and
   `.wasm` resources it fetched, once offering brotli (Chromium's own
   Accept-Encoding) and once offering only gzip.
2. Time: the same page under a mid-range phone on a slow mobile connection
   (CDP: 1.6 Mbps down, 750 kbps up, 150 ms RTT, CPU 4x slower), from
   navigation to the page's `data-hydrated` marker; then to its
   `data-tabs-ahead` marker (every other tab read ahead, which the page
   starts a second after hydration); then a tab switch, from the click
   (the page's click event) to the new tab shown with its rows.
3. The bundle on disk (`target/site/pkg`): each JS and wasm file raw and
   as the server sends it precompressed (gzip, brotli).
   Each a fresh browser context, RUNS times, median and slowest.

Run by bench/run (which builds, precompresses and installs what it needs):
    bench/first_visit.py --bin target/release/fedora-packages
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import log, start_app, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ADDR = "127.0.0.1:3250"
PACKAGE = "python-requre"
TABS = ["overview", "builds", "updates", "bugs", "contents", "changelog", "dependencies", "sources"]
RUNS = 5

VISITOR = r"""
const { chromium } = require(process.argv[2]);
const [base, pkg, tabs, runs] = [process.argv[3], process.argv[4], JSON.parse(process.argv[5]), +process.argv[6]];
const scripts = () => performance.getEntriesByType('resource')
  .filter((e) => /\.(js|wasm)(\?|$)/.test(e.name))
  .map((e) => ({ name: e.name.split('/').pop(), transfer: e.transferSize, encoded: e.encodedBodySize }));
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const out = { bytes: [], hydrated: [], ahead: [], switched: [], driven: [] };
  for (const [encoding, headers] of [['br', {}], ['gzip', { 'Accept-Encoding': 'gzip' }]]) {
    for (const tab of tabs) {
      const context = await browser.newContext({ extraHTTPHeaders: headers });
      const page = await context.newPage();
      const path = tab === 'overview' ? `/packages/${pkg}` : `/packages/${pkg}/${tab}`;
      await page.goto(base + path);
      await page.waitForSelector('html[data-hydrated=true]', { timeout: 60000 });
      const files = await page.evaluate(scripts);
      out.bytes.push({ encoding, tab, files });
      await context.close();
    }
  }
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150,
      downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const t0 = Date.now();
    await page.goto(`${base}/packages/${pkg}/builds`, { waitUntil: 'commit' });
    await page.waitForSelector('html[data-hydrated=true]', { timeout: 60000, state: 'attached' });
    out.hydrated.push(Date.now() - t0);
    // The page reads the other tabs ahead once it has settled (about a
    // second after hydration); the switch is measured after that.
    await page.waitForSelector('html[data-tabs-ahead=ready]', { timeout: 60000, state: 'attached' });
    out.ahead.push(Date.now() - t0);
    // The tab's rows are in hand once the browser shows them.
    const shown = page.waitForFunction(() => {
      const body = document.querySelector('.tab-content[data-tab=updates][aria-busy=false]');
      return body && !body.querySelector('.loading') ? Date.now() : false;
    }, null, { timeout: 60000, polling: 'raf' });
    // The click as the page receives it: Playwright's own checks before it
    // (scrolling, hit-testing, all slowed 4x too) take about 100 ms.
    await page.evaluate(() => document.addEventListener('click', () => { window.benchClickAt = Date.now(); },
      { capture: true, once: true }));
    const t1 = Date.now();
    await page.click('.tab-link[data-tab=updates]');
    const at = await (await shown).jsonValue();
    out.switched.push(at - await page.evaluate(() => window.benchClickAt));
    out.driven.push(at - t1);
    await context.close();
  }
  console.log(JSON.stringify(out));
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fedora_packages_bench_first")
    args = ap.parse_args()

    server = start_app(args.bin, args.database, ADDR)
    try:
        wait_for(f"http://{ADDR}/healthz")
        with tempfile.TemporaryDirectory(prefix="fp-bench-first-") as tmp:
            script = Path(tmp) / "visit.js"
            script.write_text(VISITOR)
            playwright = str(ROOT / "end2end/node_modules/playwright-core")
            log("Chromium: first visits, then throttled visits")
            done = subprocess.run(["node", str(script), playwright, f"http://{ADDR}", PACKAGE, json.dumps(TABS),
                                   str(RUNS)], capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                raise SystemExit(f"the browser run failed: {done.stderr[-2000:]}")
            out = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait()

    print(f"### First visit to a tab page of `{PACKAGE}`: JS and wasm transferred (Chromium `transferSize`)\n")
    print("| encoding offered | files | smallest tab | largest tab | target |")
    print("|---|---|---:|---:|---:|")
    for encoding, target in [("br", 200_000), ("gzip", 250_000)]:
        visits = [v for v in out["bytes"] if v["encoding"] == encoding]
        totals = [sum(f["transfer"] for f in v["files"]) for v in visits]
        names = ", ".join(sorted({f["name"].rsplit(".", 1)[-1] for v in visits for f in v["files"]}))
        if not totals or min(totals) == 0:
            raise SystemExit(f"no script bytes measured for {encoding}: {visits}")
        print(f"| {encoding} | {names} | {min(totals):,} B | {max(totals):,} B | ≤ {target:,} B |")
    print("\n### The bundle on disk (`target/site/pkg`, precompressed as served)\n")
    print("| file | raw | gzip | brotli |")
    print("|---|---:|---:|---:|")
    pkg = ROOT / "target/site/pkg"
    for f in sorted(list(pkg.glob("*.js")) + list(pkg.glob("*.wasm"))):
        sizes = [f.stat().st_size] + [Path(f"{f}.{ext}").stat().st_size if Path(f"{f}.{ext}").exists() else 0
                                      for ext in ("gz", "br")]
        print(f"| `{f.suffix[1:]}` | " + " | ".join(f"{n:,} B" for n in sizes) + " |")
    hyd, sw, driven = out["hydrated"], out["switched"], out["driven"]
    print(f"\n### Throttled to a mid-range phone on slow mobile (1.6 Mbps / 750 kbps / 150 ms RTT, CPU 4×),"
          f" {RUNS} cold visits to `/packages/{PACKAGE}/builds`\n")
    print("| measure | median | slowest | target |")
    print("|---|---:|---:|---:|")
    print(f"| navigation → hydrated | {statistics.median(hyd):,.0f} ms | {max(hyd):,.0f} ms | < 3,000 ms |")
    ahead = out["ahead"]
    print(f"| navigation → every other tab read ahead (starts 1 s after hydration) | {statistics.median(ahead):,.0f} ms"
          f" | {max(ahead):,.0f} ms | |")
    print(f"| tab switch after hydration (click → updates tab shown) | {statistics.median(sw):,.0f} ms"
          f" | {max(sw):,.0f} ms | < 100 ms |")
    print(f"| the same, from Playwright's `click()` call (its checks included) | {statistics.median(driven):,.0f} ms"
          f" | {max(driven):,.0f} ms | |")


if __name__ == "__main__":
    main()
