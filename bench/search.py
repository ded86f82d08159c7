#!/usr/bin/env python3
"""Search benchmark: p50/p99 of the results page (`/search?q=`) and of the
autocomplete server function (`/api/suggest?query=`) over a realistic corpus
(every package Debian's lists name on this machine, plus the demo packages),
16 concurrent clients, for short, typical and long queries.

Run by bench/run (which builds, installs wrk and the Python deps):
    bench/search.py --bin target/release/fedora-packages
Prints a Markdown table on stdout, progress on stderr.
"""
import argparse
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import log, start_app, wait_for, wrk  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
APP = "127.0.0.1:3212"

QUERIES = {
    "short (2–3 chars)": ["py", "vi", "gt", "ssh", "lib", "pe", "qt", "gcc", "rb", "go", "xz", "zsh"],
    "typical": ["python3-requests", "vim", "firefox", "openssl", "restorecond", "ceres solver", "bodhi-client",
                "libstdc++", "perl-Net-DNS", "gtk+", "nodejs", "Requests", "packit", "image viewer"],
    "long": ["python library for sending http requests to web services",
             "tool to convert documents between markup formats like markdown and html",
             "x" * 200, "libreoffice-core-nogui-extension-for-something-long",
             "a command line utility that" + " does things" * 8],
}


def load_corpus(dsn):
    """Debian's binary packages, grouped under their source package, with the
    one-line description as summary (as the integration tests load it)."""
    text = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    rows, seen = [], set()
    for record in text.split("\n\n"):
        fields = {}
        for line in record.splitlines():
            if line[:1] not in (" ", "\t") and ":" in line:
                k, v = line.split(":", 1)
                fields.setdefault(k, v.strip())
        name = fields.get("Package")
        if not name or name in seen:
            continue
        seen.add(name)
        source = (fields.get("Source") or name).split()[0]
        rows.append((name, source, fields.get("Description", ""), fields.get("Version", "")))
    for name, source, summary, version in list(rows):
        if source not in seen:
            seen.add(source)
            rows.append((source, source, summary, version))
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO packages (name, source_name, summary, version_label, version) "
                "VALUES (%s, %s, %s, %s, 0) ON CONFLICT (name) DO NOTHING", rows)
    return len(rows)


def lua_rotating(paths):
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    items = ",".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text(f"""
local paths = {{{items}}}
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
""")
    return script


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/fedora-packages"))
    ap.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/fedora_packages_bench_search")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    args = ap.parse_args()

    server = start_app(args.bin, args.database, APP, "the demo data and the corpus")
    rows = []
    try:
        corpus = load_corpus(args.database)
        wait_for(f"http://{APP}/healthz")
        for kind, queries in QUERIES.items():
            for label, template in [("results page", "/search?q={}"), ("autocomplete", "/api/suggest?query={}")]:
                paths = [template.format(urllib.parse.quote(q)) for q in queries]
                for p in paths:  # every query answers 200
                    urllib.request.urlopen(f"http://{APP}{p}", timeout=10).read()
                script = lua_rotating(paths)
                log(f"wrk: {label}, {kind}")
                wrk(f"http://{APP}/", 2, args.connections, (), None, script)
                rows.append((label, kind, wrk(f"http://{APP}/", args.seconds, args.connections, (), None, script)))
    finally:
        server.terminate()
        server.wait()

    print(f"### Search over {corpus:,} packages, wrk -t2 -c{args.connections} -d{args.seconds}s\n")
    print("| endpoint | queries | req/s | p50 | p99 |")
    print("|---|---|---:|---:|---:|")
    for label, kind, (rps, p50, p99, bad) in rows:
        note = f" ({bad} non-2xx)" if bad else ""
        print(f"| {label}{note} | {kind} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms |")


if __name__ == "__main__":
    main()
