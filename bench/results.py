#!/usr/bin/env python3
"""Puts one benchmark's output into bench/RESULTS.md as its `## NAME`
section, replacing that section if it is there and keeping every other.
Usage: results.py NAME FILE"""
import re
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
TITLE = "# Benchmark results\n\nEach section is one `bench/run NAME`; its first line says when and where it ran.\n"


def sections(text):
    """The title block, then (name, body) per `## ` section, in order."""
    parts = re.split(r"(?m)^## ", text)
    head, rest = parts[0], parts[1:]
    out = []
    for part in rest:
        name, _, body = part.partition("\n")
        out.append((name.strip(), body))
    return head, out


def main():
    name, file = sys.argv[1], Path(sys.argv[2])
    new_body = "\n" + file.read_text().strip("\n") + "\n\n"
    text = RESULTS.read_text() if RESULTS.exists() else TITLE
    head, secs = sections(text)
    if not head.strip():
        head = TITLE
    replaced = False
    for i, (n, _) in enumerate(secs):
        if n == name:
            secs[i] = (name, new_body)
            replaced = True
    if not replaced:
        secs.append((name, new_body))
    out = head.rstrip("\n") + "\n\n" + "".join(f"## {n}\n{b}" for n, b in secs)
    RESULTS.write_text(out.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
