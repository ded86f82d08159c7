#!/usr/bin/env python3
"""Genuine repository metadata (createrepo_c output) for the offline demo.

For every build the demo's mdapi world holds, this writes one spec (the source
package with all its binary sub-packages), builds the RPMs and the SRPM with
the real `rpmbuild`, lays them out like dl.fedoraproject.org, runs the real
`createrepo_c` over each repository and copies only `repodata/repomd.xml` and
the `primary` and `filelists` files into
demo/upstream/dl/pub/fedora/linux/<repo path>/repodata/ (no RPMs, no `other`,
no sqlite). The XML is never written by hand.

What each RPM contains comes from the mdapi recordings in demo/upstream/mdapi/:
`<branch>/pkg/<name>.json` (NEVRA, summary, description, url and every
dependency list, copied into explicit tags with `AutoReqProv: no`),
`<branch>/files/<name>.json` (the file list, files empty, directories as
`%dir`, ghosts as `%ghost`), `<branch>/changelog/<name>.json` (the %changelog
up to the build, and its date as the build time) and `src_<branch>/pkg/*.json`
(the source RPMs; their BuildRequires come from the dist-git specs in
demo/upstream/distgit/). Which build sits in which repository follows the mdapi
data and compose.py: the release repos hold the builds of the `src_<branch>`
source RPMs, the f42 updates and updates-testing repos the builds mdapi labels
so, plus the builds compose.py puts there that an mdapi answer never shows
(its `repos_of`, e.g. python-bugzilla 3.3.0-5.fc42 in updates under
3.3.0-6.fc42 in updates-testing); their package objects are compose.py's own
(`binary_obj`, or `version_swap` of the recorded object as compose.py does for
the recorded packages). Every package object of the mdapi recordings is
checked against the result.

Run from anywhere: `python3 demo/compose/repodata.py` (after compose.py, which
rewrites MANIFEST.txt). Tools: env RPMBUILD (default `rpmbuild`), CREATEREPO_C
(default /tmp/crvenv/bin/createrepo_c if present, else `createrepo_c`), ZSTD
(default `zstd`, only for the final report). The output is deleted and
regenerated on each run and is byte-identical between runs.
"""
import datetime as dt
import gzip
import io
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
UP = HERE.parent / "upstream"
MD = UP / "mdapi"
DL = "dl/pub/fedora/linux"
sys.path.insert(0, str(HERE))
import compose as C  # noqa: E402  (the demo world: packages, builds, updates)

RPMBUILD = os.environ.get("RPMBUILD", "rpmbuild")
_venv = Path("/tmp/crvenv/bin/createrepo_c")
CREATEREPO_C = os.environ.get("CREATEREPO_C", str(_venv) if _venv.exists() else "createrepo_c")
ZSTD = os.environ.get("ZSTD", "zstd")
REVISION = int(C.NOW.timestamp())  # 2025-03-09 12:00 UTC, the demo's "now"
DIST = {"rawhide": "fc43", "f42": "fc42"}

# (branch, mdapi repo) -> (binary repo path, source repo path, compression)
REPOS = {
    ("rawhide", "release"): ("development/rawhide/Everything/x86_64/os",
                             "development/rawhide/Everything/source/tree", "zstd"),
    ("f42", "release"): ("releases/42/Everything/x86_64/os", "releases/42/Everything/source/tree", "xz"),
    ("f42", "updates"): ("updates/42/Everything/x86_64", "updates/42/Everything/source/tree", "gz"),
    ("f42", "updates-testing"): ("updates/testing/42/Everything/x86_64",
                                 "updates/testing/42/Everything/source/tree", "gz"),
}
# Fedora's python dependency generator adds python3dist(X) beside python3.Xdist(X).
REQUIRED_PROVIDES = {"python3-requre": ["python3dist(requre)"]}
REQUIRED_FILES = {"packit": ["/usr/bin/packit"]}
NOTES = []  # what was added beyond / differs from the mdapi data
DEP_KEYS = ("provides", "requires", "obsoletes", "conflicts", "recommends", "suggests", "supplements", "enhances")
TAG = {"provides": "Provides", "requires": "Requires", "obsoletes": "Obsoletes", "conflicts": "Conflicts",
       "recommends": "Recommends", "suggests": "Suggests", "supplements": "Supplements", "enhances": "Enhances"}
OP = {"EQ": "=", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}


def read(rel):
    return json.loads((MD / rel).read_text())


def vr_of(obj):
    return f"{obj['version']}-{obj['release'].rsplit('.', 1)[0]}"


def nevra(obj, name):
    e = "" if obj["epoch"] == "0" else obj["epoch"] + ":"
    return f"{name}-{e}{obj['version']}-{obj['release']}.{obj['arch']}"


def dep_str(d):
    if d["flags"] is None:
        return d["name"]
    evr = ("" if d["epoch"] in (None, "0") else d["epoch"] + ":") + d["version"]
    evr += f"-{d['release']}" if d["release"] else ""
    return f"{d['name']} {OP[d['flags']]} {evr}"


def esc(text):
    return text.replace("%", "%%")


# ---- the world: which build of which source is in which repo, with the package objects ----
def build_world():
    """{(branch, repo): {src: build}}, build = dict(src, epoch, version, release, binaries={name: obj})."""
    for r in json.loads((UP / "bodhi/releases/state=current,pending,frozen.json").read_text())["releases"]:
        C.RELEASES[r["name"]] = r
    visible = {}  # (branch, repo, name, version, release) -> object, from every mdapi answer
    for branch in DIST:
        for f in sorted((MD / branch).glob("*/*.json")):
            if f.parent.name in ("files", "changelog"):
                continue
            data = json.loads(f.read_text())
            for obj in data if isinstance(data, list) else [data]:
                visible.setdefault((branch, obj["repo"], C.binary_name(obj), obj["version"], obj["release"]),
                                   (obj, f.relative_to(UP)))
    current = {b: {f.stem: read(f"{b}/pkg/{f.name}") for f in sorted((MD / b / "pkg").glob("*.json"))}
               for b in DIST}
    sources = sorted(f.stem for f in (MD / "src_rawhide/pkg").glob("*.json"))
    world = {key: {} for key in REPOS}

    def add(branch, repo, src, vr, names):
        dist = DIST[branch]
        v, r = vr.split("-")
        objs = {}
        for name in names:
            cur = current[branch][name]
            if (cur["repo"], cur["version"], cur["release"]) == (repo, v, f"{r}.{dist}"):
                obj = cur
            elif src in C.PKGS and "binaries" in C.PKGS[src]:  # composed package: compose.py's object
                obj = C.binary_obj(src, C.PKGS[src], name, vr, dist, repo)
            else:  # recorded package: the recorded object as its other build (compose.py's version_swap)
                obj = C.version_swap(cur, (cur["version"], cur["release"]), (v, f"{r}.{dist}"))
                obj["repo"] = repo
            objs[name] = obj
        epoch = next(iter(objs.values()))["epoch"]
        world[(branch, repo)][src] = dict(src=src, epoch=epoch, version=v, release=f"{r}.{dist}", branch=branch,
                                          repo=repo, binaries=objs)

    for branch, dist in DIST.items():
        for src in sources:
            srpm = read(f"src_{branch}/pkg/{src}.json")
            names = sorted(d["name"] for d in srpm["provides"])
            # the release repo: the build of mdapi's source RPM
            add(branch, "release", src, vr_of(srpm), names)
            if branch != "f42":
                continue
            # updates / updates-testing: the builds mdapi shows there ...
            shown = {}
            for name in names:
                cur = current[branch][name]
                if cur["repo"] != "release":
                    shown[cur["repo"]] = vr_of(cur)
            # ... and, for the composed packages, every build compose.py puts there
            p = C.PKGS.get(src, {})
            if "binaries" in p:
                entries = p["changelog"] if "changelog" in p else C.entries_from(p["changelog_from"])
                builds = C.koji_builds(src, p)
                ups = C.derive_updates(src, p, entries) if p.get("bodhi") else []
                for repo, vr in C.repos_of(src, builds, ups)["f42"].items():
                    if vr and repo != "release":
                        assert shown.get(repo, vr) == vr, (src, repo, vr, shown)
                        shown[repo] = vr
            for repo, vr in shown.items():
                add(branch, repo, src, vr, names)
    # every package object of the mdapi recordings must be in the world, identical
    problems = []
    for (branch, repo, name, v, r), (obj, where) in sorted(visible.items()):
        if where.parent.name == "srcpkg" and obj["repo"] == "release" and branch == "f42" \
                and obj["basename"] == "python-requre":
            continue  # f42/srcpkg/python-requre.json: mdapi's known bug (other package's lists, wrong repo)
        b = next((b for b in world.get((branch, repo), {}).values() if name in b["binaries"]), None)
        got = b and b["binaries"][name]
        if not got or (got["version"], got["release"], got["epoch"]) != (v, r, obj["epoch"]):
            problems.append(f"{where}: {name}-{v}-{r} ({repo}) is not in the repo metadata")
            continue
        for k in DEP_KEYS:
            if sorted(map(dep_str, got[k])) != sorted(map(dep_str, obj[k])):
                problems.append(f"{where}: {name} {k} differ: {sorted(map(dep_str, obj[k]))}")
    if problems:
        raise SystemExit("the world disagrees with the mdapi recordings:\n" + "\n".join(problems))
    return world


# ---- per build: files, changelog, spec ----
def files_of(branch, name, build):
    rel = f"{branch}/files/{name}.json"
    if (MD / rel).exists():
        data = read(rel)
        cur = current_version(branch, name)
        out = []
        for e in data["files"]:
            for fn, kind in zip(e["filenames"].split("/"), e["filetypes"]):
                path = f"{e['dirname']}/{fn}"
                if cur != build["version"]:  # versioned doc/licence/dist-info directories
                    path = re.sub(rf"-{re.escape(cur)}(?=/|\.dist-info|$)", f"-{build['version']}", path)
                out.append((path, kind))
    else:
        out = [(f"/usr/share/doc/{name}", "d"), (f"/usr/share/doc/{name}/README", "f")]
        NOTES.append(f"{branch}: {name} has no mdapi file list; given /usr/share/doc/{name}/README")
    for path in REQUIRED_FILES.get(name, []):
        if not any(p == path for p, _ in out):
            out.append((path, "f"))
            NOTES.append(f"{branch}: {name} owns {path} (added; mdapi's file list lacks it)")
    return sorted(set(out))


def current_version(branch, name):
    return read(f"{branch}/pkg/{name}.json")["version"]


def changelog_of(branch, build):
    """mdapi's changelog of the binaries, cut at this build: [(date, author, evr, text)], newest first."""
    name = sorted(build["binaries"])[0]
    entries = []
    for e in read(f"{branch}/changelog/{name}.json")["changelogs"]:
        author, evr = e["author"].rsplit(" - ", 1)
        entries.append((e["date"], author, evr, e["changelog"]))
    own = f"{build['version']}-{build['release'].rsplit('.', 1)[0]}"
    idx = next(i for i, e in enumerate(entries) if C.strip_epoch(e[2]) == own)
    return entries[idx:]


def distgit_spec(src, branch):
    for b in (branch, "rawhide"):
        f = UP / f"distgit/rpms/{src}/raw/{b}/f/{src}.spec"
        if f.exists():
            return f, f.read_text()
    raise SystemExit(f"no dist-git spec for {src}")


def expand(text, macros):
    """The simple macros only; None when something is left unexpanded."""
    for _ in range(5):
        text = re.sub(r"%\{\??(\w+)\}|%(\w+)",
                      lambda m: macros.get(m.group(1) or m.group(2), m.group(0)), text)
        text = re.sub(r"%\{pypi_source(?:\s+([^%}]*))?\}",
                      lambda m: "https://files.pythonhosted.org/packages/source/{0}/{1}/{1}-%{{version}}.tar.gz"
                      .format((m.group(1) or macros["name"])[0], m.group(1) or macros["name"]), text)
    return text


def spec_facts(src, branch, build):
    path, text = distgit_spec(src, branch)
    macros = {"python3_pkgversion": "3", "python3_version": "3.13", "name": src, "dist": "",
              "version": "%{version}", "release": "%{release}"}
    for m in re.finditer(r"^%(?:global|define)\s+(\w+)\s+(\S.*)$", text, re.M):
        if "%{expand:" not in m.group(2):
            macros[m.group(1)] = m.group(2).strip()
    macros["name"] = expand(re.search(r"^Name:\s*(\S+)", text, re.M).group(1), macros)
    brs, dropped = [], []
    for m in re.finditer(r"^BuildRequires:\s*(.+)$", text, re.M):
        for item in re.findall(r"[^\s,]+(?:\s*(?:>=|<=|=|<|>)\s*[^\s,]+)?", m.group(1)):
            e = expand(item, macros)
            (dropped if "%" in e else brs).append(e if "%" not in e else item)
    if dropped:
        NOTES.append(f"{src}: BuildRequires dropped (macros not expandable): {dropped}")
    source0 = expand(re.search(r"^Source0?:\s*(.+?)\s*$", text, re.M).group(1), macros)
    licence = re.search(r"^License:\s*(.+)$", text, re.M).group(1).strip()
    return dict(spec=path.relative_to(UP), buildrequires=brs, source0=source0, license=licence)


def write_spec(build, facts, changelog):
    src, srpm = build["src"], read(f"src_rawhide/pkg/{build['src']}.json")
    lines = [f"Name:           {src}"]
    if build["epoch"] != "0":
        lines.append(f"Epoch:          {build['epoch']}")
    main = build["binaries"].get(src)
    lines += [f"Version:        {build['version']}", f"Release:        {build['release']}",
              f"Summary:        {esc((main or srpm)['summary'])}", f"License:        {facts['license']}",
              f"URL:            {srpm['url']}", f"Source0:        {facts['source0']}",
              "BuildArch:      noarch", "Vendor:         Fedora Project", "Packager:       Fedora Project"]
    lines += [f"BuildRequires:  {br}" for br in facts["buildrequires"]]

    def preamble(name, obj):
        out = ["AutoReqProv:    no"]
        provides = [d for d in obj["provides"] if dep_str(d) != f"{name} = {evr(obj)}"]  # rpm adds that one
        for cap in REQUIRED_PROVIDES.get(name, []):
            if not any(d["name"] == cap for d in obj["provides"]):
                like = next(d for d in obj["provides"] if re.fullmatch(r"python3\.\d+dist\(.*\)", d["name"]))
                provides.append(dict(like, name=cap))
                NOTES.append(f"{build['branch']}/{build['repo']}: {name} provides {cap} (added beside {like['name']})")
        for k in DEP_KEYS:
            for d in sorted(provides if k == "provides" else obj[k], key=dep_str):
                out.append(f"{TAG[k] + ':':<15} {dep_str(d)}")
        return out

    if main:
        lines += preamble(src, main)
    lines += ["", "%description", esc(srpm["description"]), ""]
    for name, obj in sorted(build["binaries"].items()):
        if name == src:
            continue
        lines += [f"%package -n {name}", f"Summary:        {esc(obj['summary'])}"] + preamble(name, obj)
        lines += ["", f"%description -n {name}", esc(obj["description"]), ""]
    lines += ["%prep", "", "%build", "", "%install"]
    files = {name: files_of(build["branch"], name, build) for name in build["binaries"]}
    for name in sorted(files):
        for path, kind in files[name]:
            # $RPM_BUILD_ROOT, not %{buildroot}: the SRPM keeps the expanded spec, which must not name the temp dir
            if kind == "d":
                lines.append(f'mkdir -p "$RPM_BUILD_ROOT{path}"')
            elif kind == "f":
                lines.append(f'mkdir -p "$RPM_BUILD_ROOT{path.rsplit("/", 1)[0]}" && : > "$RPM_BUILD_ROOT{path}"')
    lines.append("")
    for name in sorted(files):
        lines.append("%files" if name == src else f"%files -n {name}")
        for path, kind in files[name]:
            lines.append({"d": "%dir ", "g": "%ghost ", "f": ""}[kind] + path)
        lines.append("")
    lines.append("%changelog")
    for date, author, e, text in changelog:
        day = dt.datetime.fromtimestamp(date, dt.timezone.utc).strftime("%a %b %d %Y")
        lines += [f"* {day} {author} - {e}", esc(text), ""]
    return "\n".join(lines).rstrip("\n") + "\n", files


def evr(obj):
    e = "" if obj["epoch"] == "0" else obj["epoch"] + ":"
    return f"{e}{obj['version']}-{obj['release']}"


def tarball(path, top, when):
    """A small deterministic source tarball (the SRPM's Source0)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, data in ((f"{top}/", None), (f"{top}/README.md", b"Placeholder source for the offline demo.\n")):
            info = tarfile.TarInfo(name.rstrip("/"))
            info.mtime, info.uid, info.gid, info.uname, info.gname = when, 0, 0, "root", "root"
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", filename="", mtime=0) as gz:
        gz.write(buf.getvalue())


def rpmbuild(tmp, build):
    src = build["src"]
    facts = spec_facts(src, build["branch"], build)
    log = changelog_of(build["branch"], build)
    when = log[0][0]  # the build's changelog date (noon UTC) is its build time and file mtimes
    text, files = write_spec(build, facts, log)
    top = tmp / "build" / f"{src}-{build['version']}-{build['release']}"
    for d in ("SOURCES", "SPECS", "BUILD", "RPMS", "SRPMS"):
        (top / d).mkdir(parents=True, exist_ok=True)
    spec = top / "SPECS" / f"{src}.spec"
    spec.write_text(text)
    source = facts["source0"].replace("%{version}", build["version"]).rsplit("/", 1)[-1]
    tarball(top / "SOURCES" / source, source[:-len(".tar.gz")], when)
    defines = {
        "_topdir": str(top), "_buildhost": "localhost", "use_source_date_epoch_as_buildtime": "1",
        "clamp_mtime_to_source_date_epoch": "1", "source_date_epoch_from_changelog": "0",
        "__os_install_post": "%{nil}", "__arch_install_post": "%{nil}", "__spec_install_post": "%{nil}",
        "debug_package": "%{nil}", "_build_id_links": "none", "_binary_payload": "w9.gzdio",
        "_source_payload": "w9.gzdio", "_unpackaged_files_terminate_build": "1", "_smp_build_ncpus": "1",
    }
    cmd = [RPMBUILD, "-ba", "--nodeps", "--quiet"] + [a for k, v in defines.items() for a in ("--define", f"{k} {v}")]
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(when), TZ="UTC", LC_ALL="C", HOME=str(tmp))
    res = subprocess.run(cmd + [str(spec)], env=env, capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(f"rpmbuild failed for {spec}:\n{res.stdout}\n{res.stderr}")
    rpms = sorted((top / "RPMS" / "noarch").glob("*.rpm"))
    srpms = sorted((top / "SRPMS").glob("*.src.rpm"))
    want = {f"{nevra(o, n)}.rpm" for n, o in build["binaries"].items()}
    assert {r.name for r in rpms} == {strip_epoch_nevra(w) for w in want}, (rpms, want)
    assert len(srpms) == 1
    for f in rpms + srpms:
        os.utime(f, (when, when))
    return rpms, srpms[0], when, facts


def strip_epoch_nevra(filename):  # RPM file names carry no epoch
    return re.sub(r"-\d+:", "-", filename)


# ---- repositories ----
def createrepo(repo_dir, compress):
    cmd = [CREATEREPO_C, "--quiet", "--no-database", f"--general-compress-type={compress}",
           f"--compress-type={compress}", f"--revision={REVISION}", "--set-timestamp-to-revision",
           "--workers=1", str(repo_dir)]
    res = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, TZ="UTC", LC_ALL="C"))
    if res.returncode:
        raise SystemExit(f"createrepo_c failed for {repo_dir}:\n{res.stdout}\n{res.stderr}")


def copy_metadata(repo_dir, out_dir):
    """repomd.xml and the primary and filelists files it names; returns their paths."""
    ns = {"r": "http://linux.duke.edu/metadata/repo"}
    repomd = repo_dir / "repodata" / "repomd.xml"
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "repomd.xml"]
    shutil.copyfile(repomd, written[0])
    for data in ET.parse(repomd).getroot().findall("r:data", ns):
        if data.get("type") in ("primary", "filelists"):
            href = data.find("r:location", ns).get("href")
            written.append(out_dir / Path(href).name)
            shutil.copyfile(repo_dir / href, written[-1])
    return written


def decompress(path):
    data = path.read_bytes()
    if path.suffix == ".gz":
        return gzip.decompress(data)
    if path.suffix == ".xz":
        return lzma.decompress(data)
    if path.suffix == ".zst":
        return subprocess.run([ZSTD, "-dc"], input=data, capture_output=True, check=True).stdout
    return data


NS = {"c": "http://linux.duke.edu/metadata/common", "rpm": "http://linux.duke.edu/metadata/rpm",
      "f": "http://linux.duke.edu/metadata/filelists"}
FLAGS = {v: k for k, v in OP.items()}


def parse_repo(files):
    """{(name, arch): (dict(epoch, version, release, deps...), set of (path, kind))} from primary + filelists."""
    out = {}
    primary = ET.fromstring(decompress(next(f for f in files if "-primary." in f.name)))
    for p in primary.findall("c:package", NS):
        v = p.find("c:version", NS)
        obj = dict(epoch=v.get("epoch"), version=v.get("ver"), release=v.get("rel"))
        for k in DEP_KEYS:
            obj[k] = sorted(dep_str(dict(name=e.get("name"), epoch=e.get("epoch"), version=e.get("ver"),
                                         release=e.get("rel"), flags=e.get("flags")))
                            for e in p.findall(f"c:format/rpm:{k}/rpm:entry", NS))
        out[(p.findtext("c:name", namespaces=NS), p.findtext("c:arch", namespaces=NS))] = [obj, None]
    filelists = ET.fromstring(decompress(next(f for f in files if "-filelists." in f.name)))
    for p in filelists.findall("f:package", NS):
        out[(p.get("name"), p.get("arch"))][1] = {(e.text, {"dir": "d", "ghost": "g"}.get(e.get("type"), "f"))
                                                  for e in p.findall("f:file", NS)}
    return out


def check(world, report):
    """The written metadata against the world (and so against the mdapi recordings)."""
    problems = []
    for branch, repo, path, files in report:
        got = parse_repo(files)
        source = path.endswith("source/tree")
        want = {}
        for src, b in world[(branch, repo)].items():
            if source:
                srpm = read(f"src_{branch}/pkg/{src}.json") if repo == "release" else None
                want[(src, "src")] = (b, srpm)
            else:
                for name, obj in b["binaries"].items():
                    want[(name, "noarch")] = (b, obj)
        if set(got) != set(want):
            problems.append(f"{path}: packages {sorted(got)} != {sorted(want)}")
            continue
        for key, (b, obj) in sorted(want.items()):
            meta, fl = got[key]
            if (meta["epoch"], meta["version"], meta["release"]) != (b["epoch"], b["version"], b["release"]):
                problems.append(f"{path}: {key} EVR")
            if source:
                provides = sorted(f"{n} = {evr(o)}" for n, o in b["binaries"].items())
                if meta["provides"] != provides:
                    problems.append(f"{path}: {key} provides {meta['provides']}")
                if obj and meta["provides"] != sorted(map(dep_str, obj["provides"])):
                    problems.append(f"{path}: {key} provides differ from src_{branch}/pkg")
                if obj and meta["requires"] != sorted(map(dep_str, obj["requires"])):
                    NOTES.append(f"src_{branch}/pkg/{key[0]}.json requires {sorted(map(dep_str, obj['requires']))}, "
                                 f"the SRPM (dist-git spec BuildRequires) {meta['requires']}")
                continue
            for k in DEP_KEYS:
                expect = sorted(map(dep_str, obj[k]))
                if k == "provides":  # plus the additions (noted)
                    like = [d for d in obj[k] if re.fullmatch(r"python3\.\d+dist\(.*\)", d["name"])][:1]
                    expect = sorted(expect + [dep_str(dict(d, name=cap)) for cap in REQUIRED_PROVIDES.get(key[0], [])
                                              for d in like if not any(x["name"] == cap for x in obj[k])])
                if meta[k] != expect:
                    problems.append(f"{path}: {key} {k}: {meta[k]} != {expect}")
            if fl != set(files_of(branch, key[0], b)):
                problems.append(f"{path}: {key} files differ")
    if problems:
        raise SystemExit("the repository metadata disagrees with the world:\n" + "\n".join(problems))
    print("check: every package, dependency and file of the world is in the metadata, nothing else")


def tool_version(cmd):
    res = subprocess.run(cmd, capture_output=True, text=True)
    return (res.stdout or res.stderr).strip().splitlines()[0]


def main():
    world = build_world()
    manifest = UP / "MANIFEST.txt"
    lines = manifest.read_text().split() if manifest.exists() else []
    for rel in (x for x in lines if x.startswith("dl/")):  # our previous output
        (UP / rel).unlink(missing_ok=True)
    for binary, source, _ in REPOS.values():
        for path in (binary, source):
            shutil.rmtree(UP / DL / path / "repodata", ignore_errors=True)
    for d in sorted((UP / "dl").rglob("*"), reverse=True) if (UP / "dl").exists() else []:
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    written, report = [], []
    with tempfile.TemporaryDirectory(prefix="repodata-") as t:
        tmp = Path(t)
        for (branch, repo), (binary, source, compress) in REPOS.items():
            for src, build in sorted(world[(branch, repo)].items()):
                rpms, srpm, when, facts = rpmbuild(tmp, build)
                for f, path in [(r, binary) for r in rpms] + [(srpm, source)]:
                    dest = tmp / "repos" / path / "Packages" / f.name[0].lower() / f.name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(f, dest)
            for path in (binary, source):
                createrepo(tmp / "repos" / path, compress)
                files = copy_metadata(tmp / "repos" / path, UP / DL / path / "repodata")
                written += files
                report.append((branch, repo, path, files))
    rels = sorted(str(f.relative_to(UP)) for f in written)
    manifest.write_text("".join(f"{x}\n" for x in sorted({x for x in lines if not x.startswith("dl/")} | set(rels))))

    check(world, report)

    # ---- report ----
    print(f"tools: {tool_version([RPMBUILD, '--version'])}; createrepo_c {tool_version([CREATEREPO_C, '--version'])}")
    total = 0
    for branch, repo, path, files in report:
        print(f"\n{DL}/{path}/repodata/  ({branch} {repo})")
        for f in files:
            total += f.stat().st_size
            print(f"  {f.stat().st_size:7d}  {f.name}")
        primary = next(f for f in files if "-primary." in f.name)
        root = ET.fromstring(decompress(primary))
        ns = {"c": "http://linux.duke.edu/metadata/common", "rpm": "http://linux.duke.edu/metadata/rpm"}
        pkgs = []
        for p in root.findall("c:package", ns):
            v = p.find("c:version", ns)
            e = "" if v.get("epoch") == "0" else v.get("epoch") + ":"
            pkgs.append(f"{p.findtext('c:name', namespaces=ns)}-{e}{v.get('ver')}-{v.get('rel')}."
                        f"{p.findtext('c:arch', namespaces=ns)}")
        print(f"  packages ({len(pkgs)}): {', '.join(sorted(pkgs))}")
        if path == REPOS[("rawhide", "release")][0]:
            provides = {e.get("name") for p in root.findall("c:package", ns)
                        if p.findtext("c:name", namespaces=ns) == "python3-requre"
                        for e in p.findall("c:format/rpm:provides/rpm:entry", ns)}
            filelists = decompress(next(f for f in files if "-filelists." in f.name)).decode()
            owner = re.search(r'<package [^>]*name="packit"[^>]*>(?:(?!</package>).)*<file>/usr/bin/packit</file>',
                              filelists, re.S)
            print(f"  python3-requre provides python3dist(requre): {'python3dist(requre)' in provides}, "
                  f"python3.13dist(requre): {'python3.13dist(requre)' in provides}")
            print(f"  /usr/bin/packit in filelists, owned by packit: {bool(owner)}")
            assert "python3dist(requre)" in provides and "python3.13dist(requre)" in provides and owner
    print(f"\ntotal size of {len(written)} files: {total} bytes")
    for n in sorted(set(NOTES)):
        print(f"note: {n}")


if __name__ == "__main__":
    main()
