#!/usr/bin/env python3
"""Checks demo/upstream: every file parses, and every call the app makes for
each demo package has an answer (or is a relation lookup with no match, which
mdapi answers with 400). Independent of compose.py: it re-derives the calls
from the answers themselves, as the app does."""
import json
import sys
import xmlrpc.client
import xml.etree.ElementTree as ET
from pathlib import Path

UP = Path(__file__).resolve().parent.parent / "upstream"
FIELDS = ("id,summary,status,resolution,product,component,version,priority,severity,assigned_to,creator,"
          "creation_time,last_change_time,is_open,keywords,whiteboard").split(",")
problems = []


def seg(name):
    keep = lambda b: 0x20 <= b < 0x7F and chr(b) not in ' "#%/<>?`{}\\^|'
    return "".join(chr(b) if keep(b) else f"%{b:02X}" for b in name.encode())


def need(rel):
    if not (UP / rel).is_file():
        problems.append(f"missing {rel}")
        return None
    return (UP / rel).read_text()


def binary_name(pkg):
    plain = [d for d in pkg["provides"] if "(" not in d["name"] and not d["name"].startswith("/")]
    own = lambda d: d["flags"] == "EQ" and (d["version"], d["release"]) == (pkg["version"], pkg["release"])
    for ok in (lambda d: own(d) and d["name"] in pkg["co-packages"], lambda d: d["name"] in pkg["co-packages"], own):
        for d in plain:
            if ok(d):
                return d["name"]
    return pkg["basename"]


# 1. everything parses
counts = {"json": 0, "xml": 0}
for f in sorted(UP.rglob("*")):
    try:
        if f.suffix == ".json":
            json.loads(f.read_text())
            counts["json"] += 1
        elif f.suffix == ".xml" and f.relative_to(UP).parts[0] == "dl":
            ET.parse(f)  # repository metadata (repomd.xml), not XML-RPC
            counts["xml"] += 1
        elif f.suffix == ".xml":
            xmlrpc.client.loads(f.read_text())
            counts["xml"] += 1
    except Exception as e:  # noqa: BLE001
        problems.append(f"{f.relative_to(UP)} does not parse: {e}")
print(f"parsed {counts['json']} JSON and {counts['xml']} XML-RPC files")

# every package object mdapi knows per branch (for "no match" claims)
known = {}
for b in ("rawhide", "f42"):
    objs = []
    for f in (UP / "mdapi" / b).glob("*/*.json"):
        if f.parent.name not in ("files", "changelog", "srcpkg"):
            d = json.loads(f.read_text())
            objs += d if isinstance(d, list) else [d]
    known[b] = objs

sources = sorted(f.stem for f in (UP / "distgit/api/0/rpms").glob("*.json"))
for src in sources:
    calls = absent = 0
    for b in ("rawhide", "f42"):
        srcpkg = need(f"mdapi/{b}/srcpkg/{seg(src)}.json")
        srpm = need(f"mdapi/src_{b}/pkg/{seg(src)}.json")
        need(f"mdapi/src_{b}/changelog/{seg(src)}.json")
        names = set()
        if srcpkg:
            p = json.loads(srcpkg)
            if p["basename"] == src and binary_name(p) in p["co-packages"]:
                names |= set(p["co-packages"])
        if srpm:
            names |= {d["name"] for d in json.loads(srpm)["provides"] if "(" not in d["name"]}
        for name in sorted(names):
            text = need(f"mdapi/{b}/pkg/{seg(name)}.json")
            need(f"mdapi/{b}/files/{seg(name)}.json")
            need(f"mdapi/{b}/changelog/{seg(name)}.json")
            calls += 3
            if not text:
                continue
            pkg = json.loads(text)
            if pkg["basename"] != src:
                problems.append(f"{b}/pkg/{name} has basename {pkg['basename']}")
            lookups = [("provides", d["name"]) for k in ("requires", "recommends", "suggests", "supplements",
                                                         "enhances") for d in pkg[k] if not d["name"].startswith("(")]
            lookups += [("requires", d["name"]) for d in pkg["provides"]]
            for route, cap in lookups:
                calls += 1
                if not (UP / f"mdapi/{b}/{route}/{seg(cap)}.json").is_file():
                    absent += 1
                    if any(d["name"] == cap for o in known[b] for d in o[route]):
                        problems.append(f"mdapi/{b}/{route}/{cap}: a package matches but there is no answer")
        calls += 3
    # Koji
    id_xml = need(f"koji/kojihub/getPackageID/{seg(src)}.xml")
    if id_xml:
        pid = xmlrpc.client.loads(id_xml)[0][0]
        builds = need(f"koji/kojihub/listBuilds/packageID={pid}.xml")
        if builds:
            for bld in xmlrpc.client.loads(builds)[0][0]:
                if bld["package_name"] != src or bld["package_id"] != pid:
                    problems.append(f"koji build {bld['nvr']} is not {src}/{pid}")
    # Bodhi
    ups = need(f"bodhi/updates/packages={seg(src)}.json")
    if ups:
        for u in json.loads(ups)["updates"]:
            if not all(b["nvr"].startswith(src + "-") for b in u["builds"]):
                problems.append(f"bodhi {u['alias']} is not {src}")
    need("bodhi/releases/state=current,pending,frozen.json")
    # Bugzilla
    bz = need(f"bugzilla/rest/bug/component={seg(src)}.json")
    if bz:
        data = json.loads(bz)
        if data["total_matches"] != len(data["bugs"]):
            problems.append(f"bugzilla {src}: total_matches")
        for bug in data["bugs"]:
            if list(bug) != FIELDS or not bug["is_open"] or bug["resolution"] or bug["id"] == 1694158 or \
                    bug["status"] not in ("NEW", "ASSIGNED", "POST", "MODIFIED", "ON_QA") or bug["component"] != [src]:
                problems.append(f"bugzilla {src}: bug {bug['id']} is not an open bug with the include_fields")
    # dist-git
    need(f"distgit/api/0/rpms/{seg(src)}.json")
    br = need(f"distgit/api/0/rpms/{seg(src)}/git/branches.json")
    if br:
        default = json.loads(br)["default"]
        spec = need(f"distgit/rpms/{seg(src)}/raw/{default}/f/{seg(src)}.spec")
        if spec and f"Name:           {src}" not in spec.replace("python-%{pypi_name}", src):
            problems.append(f"spec of {src} does not name it")
    print(f"{src}: {calls + 9} calls, {absent} relation lookups without a match (400)")

for rel in ("mdapi/rawhide/changelog/python3-specfile.json", "mdapi/f42/changelog/python3-specfile.json",
            "mdapi/src_rawhide/changelog/python-specfile.json", "mdapi/src_f42/changelog/python-specfile.json"):
    if "<script>alert(1)</script>" not in (UP / rel).read_text():
        problems.append(f"{rel} lacks the XSS entry")
print("\n".join(problems) or "OK: every call is answered")
sys.exit(1 if problems else 0)
