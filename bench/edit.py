#!/usr/bin/env python3
"""Edit-loop benchmark: `cargo leptos watch` as scripts/dev runs it; a
one-word change saved in a tab component; the time until the page, open in
Chromium, has reloaded and shows it. The first edit after start, then the
median of five more, with cargo-leptos's own breakdown (server build, wasm
build, wasm-bindgen) and the rest (restart and reload).

Run by bench/run (which builds and installs what it needs):
    bench/edit.py --bin target/release/fedora-packages
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = ROOT / "src/components/tabs/builds.rs"
HEADING = '<th>"Build"</th>'
ADDR = "127.0.0.1:3230"
STORY = f"http://{ADDR}/gallery/BuildsBody/typical"

WATCHER = r"""
const { chromium } = require(process.argv[2]);
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage();
  await page.goto(process.argv[3]);
  await page.waitForSelector('html[data-hydrated=true]', { timeout: 120000 });
  console.log('ready');
  const rl = require('readline').createInterface({ input: process.stdin });
  for await (const word of rl) {
    const t0 = Date.now();
    // The live-reload socket reloads the page when the new build is up.
    await page.waitForFunction((w) => document.documentElement.getAttribute('data-hydrated') === 'true'
        && document.querySelector('table.builds th')?.textContent === w, word, { timeout: 300000, polling: 50 });
    console.log(`shown ${word} ${Date.now() - t0}`);
  }
  await browser.close();
})();
"""


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def wait_for(url, seconds=900):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.5)
    raise SystemExit(f"nothing answers at {url}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--edits", type=int, default=5)
    args = ap.parse_args()

    database = "postgres://postgres@127.0.0.1:5432/fedora_packages_bench_edit"
    env = dict(os.environ, DATABASE_URL=database, RUST_LOG="warn", LEPTOS_SITE_ADDR=ADDR, METRICS_ADDR="off")
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", "fedora_packages_bench_edit"],
                   check=True)
    subprocess.run([args.bin, "migrate"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([args.bin, "load-demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    # The edit loop's own build settings, exactly as scripts/dev sets them.
    dev_env = subprocess.run(["bash", "-c", "source scripts/setup-tools.sh; dev_build_env; env"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    for line in dev_env.splitlines():
        key, _, value = line.partition("=")
        if key.startswith("CARGO_") and os.environ.get(key) != value:
            env[key] = value
    original = COMPONENT.read_text()
    assert HEADING in original, f"{COMPONENT} has no {HEADING}"
    tmp = Path(tempfile.mkdtemp(prefix="fp-bench-edit-"))
    watch_log = open(tmp / "watch.log", "w")
    watch = subprocess.Popen(["cargo", "leptos", "watch"], cwd=ROOT, env=env, stdout=watch_log, stderr=watch_log)
    browser = None
    times, breakdowns = [], []
    try:
        started = time.time()
        log("cargo leptos watch: first build")
        wait_for(STORY)
        first_build = time.time() - started
        script = tmp / "watch.js"
        script.write_text(WATCHER)
        playwright = str(ROOT / "end2end/node_modules/playwright-core")
        browser = subprocess.Popen(["node", str(script), playwright, STORY], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        assert browser.stdout.readline().strip() == "ready"
        for i in range(args.edits + 1):
            word = f"Build{i}"
            mark = (tmp / "watch.log").stat().st_size
            browser.stdin.write(word + "\n")
            browser.stdin.flush()
            t0 = time.time()
            COMPONENT.write_text(original.replace(HEADING, f'<th>"{word}"</th>'))
            line = browser.stdout.readline().strip()
            total = time.time() - t0
            assert line.startswith(f"shown {word}"), line
            times.append(total)
            text = (tmp / "watch.log").read_text()[mark:]
            breakdowns.append(parse(text))
            log(f"edit {i}: {total:.1f} s {breakdowns[-1]}")
            time.sleep(2)
    finally:
        COMPONENT.write_text(original)
        if browser:
            browser.kill()
        watch.terminate()
        try:
            watch.wait(timeout=30)
        except subprocess.TimeoutExpired:
            watch.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    print("\n### Edit loop: save a one-word change in `src/components/tabs/builds.rs`, until Chromium shows it\n")
    print("| | save → page shows it | server build | wasm build | wasm-bindgen | restart and reload |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = [("first edit after start", times[0], breakdowns[0])]
    rest = times[1:]
    med = statistics.median(rest)
    pick = min(range(1, len(times)), key=lambda i: abs(times[i] - med))
    rows.append((f"median of the next {len(rest)}", med, breakdowns[pick]))
    for label, total, b in rows:
        other = total - max(b.get("server", 0), b.get("wasm", 0) + b.get("bindgen", 0))
        print(f"| {label} | **{total:.1f} s** | {b.get('server', float('nan')):.1f} s | "
              f"{b.get('wasm', float('nan')):.1f} s | {b.get('bindgen', float('nan')):.1f} s | {other:.1f} s |")
    print(f"\nAll {len(rest)} after the first: {', '.join(f'{t:.1f}' for t in rest)} s. "
          f"The watch's first build (a warm dependency cache): {first_build:.0f} s. Server and wasm build side by "
          "side; the rest is the server's restart and the browser's reload and hydration.")


def parse(text):
    """Seconds cargo-leptos reports per step: its cargo runs' `Finished ... in`
    lines (each followed by the command it ran) and wasm-bindgen's."""
    out = {}
    # cargo-leptos colours its words (`Finished\x1b[0m generating ...`).
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    secs = lambda v, unit: float(v) / (1000 if unit == "ms" else 1)  # noqa: E731
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.search(r"Finished `[\w-]+` profile .* in ([\d.]+)(m?s)", line)
        if m:
            after = " ".join(lines[i:i + 3])
            out["wasm" if "wasm32" in after or "--lib" in after else "server"] = secs(*m.groups())
    m = re.search(r"Finished generating JS/WASM for front in ([\d.]+)(m?s)", text)
    if m:
        out["bindgen"] = secs(*m.groups())
    return out


if __name__ == "__main__":
    main()
