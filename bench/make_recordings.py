#!/usr/bin/env python3
"""Recordings for benchmarks: the demo recordings plus N composed packages
(bench-pkg-001 ...), each a copy of colin's recorded answers with the package
name (and Koji package id) changed. Same services, same shapes; composed,
for load only. Usage: make_recordings.py OUT_DIR [N]"""
import shutil
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "demo" / "upstream"
TEMPLATE = "colin"
TEMPLATE_KOJI_ID = "26041"


def main() -> None:
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(DEMO, out)
    files = [p for p in DEMO.rglob("*") if p.is_file() and TEMPLATE in p.relative_to(DEMO).as_posix()]
    listbuilds = DEMO / "koji/kojihub/listBuilds" / f"packageID={TEMPLATE_KOJI_ID}.xml"
    for i in range(1, count + 1):
        name = f"bench-pkg-{i:03d}"
        koji_id = str(900000 + i)
        for src in files:
            rel = src.relative_to(DEMO).as_posix().replace(TEMPLATE, name)
            text = src.read_text().replace(TEMPLATE, name)
            if "getPackageID" in rel:
                text = text.replace(TEMPLATE_KOJI_ID, koji_id)
            dst = out / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_text(text)
        builds = out / "koji/kojihub/listBuilds" / f"packageID={koji_id}.xml"
        builds.write_text(listbuilds.read_text().replace(TEMPLATE, name).replace(TEMPLATE_KOJI_ID, koji_id))
    print(f"{out}: demo + {count} composed packages")


if __name__ == "__main__":
    main()
