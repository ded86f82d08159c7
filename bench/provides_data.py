#!/usr/bin/env python3
"""COMPOSED repository metadata at Fedora's scale, for bench/provides.py.

Writes what createrepo_c writes for a Fedora branch (`repomd.xml`, and the
`primary`, `filelists` and `other` files it names, gzip-compressed, named by
their sha256) for rawhide's binary repository
(`development/rawhide/Everything/x86_64/os`) and its source repository
(`development/rawhide/Everything/source/tree`), under OUT/full/dl/pub/fedora/linux/,
then the same with exactly `--changed` binary packages rebuilt (new release,
so new pkgids, and their source packages with them) under OUT/incremental/.
`bin upstream-replay --dir OUT/full` (or OUT/incremental) serves them.
OUT/bench.json lists the counts, the rebuilt packages' old and new pkgids,
and query strings that exist in the data (paths, base names, capabilities,
substrings) for the benchmark.

Nothing here is Fedora's: the packages are Debian's, renamed the way Fedora
names them. The file paths are real ones: Debian bookworm's Contents indexes
(downloaded once from deb.debian.org into .tools/debian/), moved to Fedora's
layout (/usr/lib64, site-packages, vendor_perl, usrmerge); without them,
this machine's dpkg file lists, copied with suffixed names up to the count.
Package fields come from `apt-cache dumpavail` (versions, dependencies,
summaries, sizes, homepages); provides are derived from the files the way
RPM's generators derive them (sonames, python3dist, pkgconfig, perl, cmake);
requires from Debian's Depends, as sonames and python3dist/perl names where
the target provides them, plus the usual file requires (/bin/sh,
/usr/bin/python3, /usr/bin/perl). Libraries also get an i686 build, as
Fedora's x86_64 repository carries multilib packages. Deterministic: the
same inputs and seed give byte-identical files (gzip mtime 0).

    bench/provides_data.py --out /tmp/x --packages 2000     # small, quick
    bench/provides_data.py --out /tmp/x                     # Fedora scale
    bench/provides_data.py --check /tmp/x/full              # validate a tree
"""
import argparse
import gzip
import hashlib
import json
import lzma
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".tools" / "debian"
CONTENTS = ["http://deb.debian.org/debian/dists/bookworm/main/Contents-amd64.gz",
            "http://deb.debian.org/debian/dists/bookworm/main/Contents-all.gz"]
BRANCH = "rawhide"
REPOS = {"binary": "development/rawhide/Everything/x86_64/os",
         "source": "development/rawhide/Everything/source/tree"}
DIST = "fc46"
PY = "3.14"
PERL_COMPAT = "5.42.0"
TIMESTAMP = 1796300000  # the full variant's repomd timestamp; the incremental one is a day later
SEED = 20261203

NS_REPO = "http://linux.duke.edu/metadata/repo"
NS_COMMON = "http://linux.duke.edu/metadata/common"
NS_RPM = "http://linux.duke.edu/metadata/rpm"
NS_FILELISTS = "http://linux.duke.edu/metadata/filelists"
NS_OTHER = "http://linux.duke.edu/metadata/other"

# Packages any sample keeps (when present), so the usual queries have answers.
CORE = ["bash", "dash", "coreutils", "libc6", "libc6-dev", "libc-bin", "python3", "python3-minimal",
        "python3.11", "python3.11-minimal", "libpython3.11-stdlib", "perl", "perl-base", "perl-modules-5.36",
        "libssl3", "libssl-dev", "openssl", "zlib1g", "zlib1g-dev", "libglib2.0-0", "libglib2.0-dev",
        "python3-requests", "python3-urllib3", "python3-idna", "python3-certifi", "libnet-dns-perl",
        "systemd", "libsystemd0", "libcurl4", "libcurl4-openssl-dev", "curl", "git", "vim", "gcc-12", "make",
        "libstdc++6", "libgcc-s1", "libxml2", "libxml2-dev", "sqlite3", "libsqlite3-0", "util-linux"]

# Debian names whose Fedora name is not what the rules give.
SPECIAL = {
    "libc6": "glibc", "libc6-dev": "glibc-devel", "libc-bin": "glibc-common", "libc6-i386": "glibc-i386-compat",
    "libssl3": "openssl-libs", "libssl-dev": "openssl-devel", "zlib1g": "zlib", "zlib1g-dev": "zlib-devel",
    "perl-base": "perl-interpreter", "perl-modules-5.36": "perl-modules", "libperl5.36": "perl-libs",
    "python3-minimal": "python3-minimal-debian", "python3.11": "python3.14-debian-compat",
    "python3.11-minimal": "python3-libs-minimal", "libpython3.11-stdlib": "python3-libs",
    "libstdc++6": "libstdc++", "libgcc-s1": "libgcc", "libglib2.0-0": "glib2", "libglib2.0-dev": "glib2-devel",
    "libglib2.0-bin": "glib2-tools", "libsystemd0": "systemd-libs", "libudev1": "systemd-udev-libs",
    "libcurl4": "libcurl", "libcurl4-openssl-dev": "libcurl-devel", "gcc-12": "gcc", "g++-12": "gcc-c++",
    "libsqlite3-0": "sqlite-libs", "libsqlite3-dev": "sqlite-devel", "sqlite3": "sqlite", "vim": "vim-enhanced",
    "libxml2": "libxml2", "libxml2-dev": "libxml2-devel", "dash": "dash",
}

LICENSES = ["MIT", "GPL-2.0-or-later", "GPL-3.0-or-later", "LGPL-2.1-or-later", "Apache-2.0", "BSD-3-Clause",
            "BSD-2-Clause", "MPL-2.0", "GPL-2.0-only", "ISC", "Zlib", "LGPL-3.0-or-later", "Apache-2.0 OR MIT"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def h(text):
    """A stable integer from a string."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


# ---------------------------------------------------------------- inputs

def download_contents():
    """The Contents index files, downloaded once into .tools/debian/; [] if unreachable."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    for url in CONTENTS:
        dest = CACHE / ("bookworm-" + url.rsplit("/", 1)[1])
        if not dest.exists():
            try:
                log(f"downloading {url}")
                tmp = dest.with_suffix(".part")
                with urllib.request.urlopen(url, timeout=60) as r, open(tmp, "wb") as f:
                    shutil.copyfileobj(r, f, 1 << 20)
                tmp.rename(dest)
            except OSError as e:
                log(f"cannot download {url}: {e}; using this machine's dpkg file lists")
                return []
        out.append(dest)
    return out


def read_contents(files):
    """Debian package name → its paths (no leading slash) from Contents indexes."""
    by_pkg = defaultdict(list)
    for gz in files:
        with gzip.open(gz, "rt", encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rsplit(None, 1)
                if len(parts) != 2:
                    continue
                path, locs = parts
                if not path.isprintable():
                    continue
                for loc in locs.split(","):
                    by_pkg[loc.rpartition("/")[2]].append(path)
    return by_pkg


def read_dpkg_lists():
    """Debian package name → its paths, from /var/lib/dpkg/info/*.list (files only)."""
    by_pkg = {}
    for lst in sorted(Path("/var/lib/dpkg/info").glob("*.list")):
        name = lst.name[:-5].split(":")[0]
        paths = []
        for line in lst.read_text(errors="replace").splitlines():
            if line.startswith("/") and line.isprintable() and not os.path.isdir(line):
                paths.append(line[1:])
        if paths:
            by_pkg[name] = paths
    return by_pkg


def read_dumpavail():
    """Debian package name → its Packages fields (Version, Source, Depends, …)."""
    try:
        text = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    out = {}
    for record in text.split("\n\n"):
        fields = {}
        for line in record.splitlines():
            if line[:1] not in (" ", "\t") and ":" in line:
                k, v = line.split(":", 1)
                fields.setdefault(k, v.strip())
        name = fields.get("Package")
        if name and name not in out:
            out[name] = fields
    return out


# ---------------------------------------------------------------- names, versions, paths

def rpm_version(deb):
    """(epoch, version) from a Debian version: no revision, no +dfsg, only RPM's characters."""
    epoch = 0
    if ":" in deb:
        e, deb = deb.split(":", 1)
        epoch = int(e) if e.isdigit() else 0
    if "-" in deb:
        deb = deb.rpartition("-")[0]
    deb = re.sub(r"[+~.]?(dfsg|ds|repack|debian|really)[^-]*$", "", deb)
    deb = re.sub(r"[^A-Za-z0-9._+~^]", ".", deb).strip(".") or "0"
    return epoch, deb


def fedora_name(deb, perl_module=None):
    if deb in SPECIAL:
        return SPECIAL[deb]
    m = re.fullmatch(r"lib(.+)-perl", deb)
    if m:
        return "perl-" + (perl_module.replace("::", "-") if perl_module else
                          "-".join(w.capitalize() for w in m.group(1).split("-")))
    for prefix, repl in (("r-cran-", "R-"), ("r-bioc-", "R-"), ("ruby-", "rubygem-"), ("node-", "nodejs-")):
        if deb.startswith(prefix):
            return repl + deb[len(prefix):]
    if deb.startswith("fonts-"):
        return deb[6:] + "-fonts"
    if deb.startswith("python3-") or (deb.startswith("golang-") and not deb.endswith("-dev")):
        return deb
    for suffix, repl in (("-dev", "-devel"), ("-dbg", "-debuginfo")):
        if deb.endswith(suffix):
            return deb[: -len(suffix)] + repl
    if deb.startswith("lib"):
        base = deb
        while True:
            stripped = re.sub(r"(-?\d+(\.\d+)*(t64)?[a-z]?)$", "", base)
            if stripped == base or len(stripped) < 5:
                break
            base = stripped
        return base
    return deb


LIBDIRS = {"x86_64": "/usr/lib64", "noarch": "/usr/lib64", "i686": "/usr/lib"}


def fedora_path(p, deb, fed, arch):
    """A Debian path (no leading slash) in Fedora's layout; None to leave it out."""
    lib = LIBDIRS[arch]
    if p.startswith("usr/share/doc/"):
        pkgdir, _, tail = p[14:].partition("/")
        if not tail or tail.startswith("changelog.Debian") or tail == "NEWS.Debian.gz" or tail == "README.Debian":
            return None
        if pkgdir == deb:
            pkgdir = fed
        if tail == "copyright":
            return f"/usr/share/licenses/{pkgdir}/COPYING"
        return f"/usr/share/doc/{pkgdir}/{tail}"
    if p.startswith(("usr/share/lintian/", "usr/share/bug/", "usr/share/doc-base/")):
        return None
    site = f"/usr/lib/python{PY}/site-packages/" if arch == "noarch" else f"{lib}/python{PY}/site-packages/"
    for prefix, repl in (
        ("usr/lib/python3/dist-packages/", site),
        ("usr/lib/python3.11/", f"{lib}/python{PY}/"),
        ("usr/lib/x86_64-linux-gnu/perl5/5.36/", f"{lib}/perl5/vendor_perl/"),
        ("usr/lib/x86_64-linux-gnu/perl/5.36/", f"{lib}/perl5/"),
        ("usr/lib/x86_64-linux-gnu/perl-base/", f"{lib}/perl5/"),
        ("usr/lib/x86_64-linux-gnu/", f"{lib}/"),
        ("lib/x86_64-linux-gnu/", f"{lib}/"),
        ("usr/share/perl5/", "/usr/share/perl5/vendor_perl/"),
        ("usr/share/perl/5.36/", "/usr/share/perl5/"),
        ("usr/lib/R/site-library/", f"{lib}/R/library/"),
        ("usr/lib/ruby/vendor_ruby/", "/usr/share/ruby/vendor_ruby/"),
        ("usr/share/nodejs/", "/usr/lib/node_modules/"),
        ("bin/", "/usr/bin/"),
        ("sbin/", "/usr/sbin/"),
        ("lib64/", "/usr/lib64/"),
        ("lib/", "/usr/lib/"),
    ):
        if p.startswith(prefix):
            p = repl + p[len(prefix):]
            break
    else:
        p = "/" + p
    if "cpython-311" in p:
        p = p.replace("cpython-311", "cpython-" + PY.replace(".", ""))
    return p


def suffixed_path(p, tag):
    """A path made distinct for a suffixed copy: the tag goes into its base name."""
    d, _, b = p.rpartition("/")
    if b.startswith("lib") and ".so" in b:
        i = b.index(".so")
    elif "." in b[1:]:
        i = b.index(".", 1)
    else:
        i = len(b)
    return f"{d}/{b[:i]}{tag}{b[i:]}"


# ---------------------------------------------------------------- packages

class Pkg:
    __slots__ = ("name", "arch", "epoch", "ver", "rel", "deb", "src", "fields", "files", "dirs", "provides",
                 "requires", "conflicts", "recommends", "pkgid", "is_source", "base", "tag")

    def __init__(self, name, arch, deb, fields, files, tag=""):
        self.name, self.arch, self.deb, self.fields, self.files, self.tag = name, arch, deb, fields, files, tag
        self.epoch, self.ver, self.rel = 0, "0", "1." + DIST
        self.src = None
        self.dirs = []
        self.provides = []
        self.requires = []
        self.conflicts = []
        self.recommends = []
        self.pkgid = ""
        self.is_source = False
        self.base = None

    @property
    def evr(self):
        return self.epoch, self.ver, self.rel

    def nvra(self):
        return f"{self.name}-{self.ver}-{self.rel}.{self.arch}"

    def set_pkgid(self):
        self.pkgid = hashlib.sha256(f"{self.name}|{self.epoch}:{self.ver}-{self.rel}|{self.arch}|{SEED}"
                                    .encode()).hexdigest()


SONAME = re.compile(r"(lib[^/]*?\.so\.\d+)(\.[0-9][0-9.]*)?$")
DISTINFO = re.compile(r"/site-packages/([^/]+?)\.(dist-info|egg-info)(/|$)")
PERLDIR = re.compile(r"^/usr/(share|lib64|lib)/perl5/(vendor_perl/)?(.+)\.pm$")
CMAKE = re.compile(r"^/usr/(lib64|lib|share)/cmake/([^/]+)/([^/]+?)(Config|-config)\.cmake$")


def pep503(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def derive_provides(p):
    """Provides as RPM's generators give them, from the package's files."""
    e, v, r = p.evr
    out = [(p.name, "EQ", e, v, r)]
    if p.arch == "x86_64":
        out.append((f"{p.name}(x86-64)", "EQ", e, v, r))
    elif p.arch == "i686":
        out.append((f"{p.name}(x86-32)", "EQ", e, v, r))
    lib = LIBDIRS[p.arch] + "/"
    suffix = "()(64bit)" if p.arch == "x86_64" else ""
    for f in p.files:
        d, _, b = f.rpartition("/")
        if d + "/" == lib:
            m = SONAME.match(b)
            if m:
                out.append((m.group(1) + suffix, None, None, None, None))
                continue
        if b.endswith(".pc") and d.endswith("/pkgconfig"):
            out.append((f"pkgconfig({b[:-3]})", "EQ", e, v, None))
        elif b.endswith(".pm"):
            m = PERLDIR.match(f)
            if m and not m.group(3).startswith(("x86_64", "auto/")):
                out.append((f"perl({m.group(3).replace('/', '::')})", "EQ", e, v, None))
        elif "site-packages/" in f and ("-info" in f):
            m = DISTINFO.search(f)
            if m:
                dist = pep503(m.group(1).split("-")[0])
                out.append((f"python3dist({dist})", "EQ", e, v, None))
                out.append((f"python{PY}dist({dist})", "EQ", e, v, None))
        elif b.endswith(".cmake"):
            m = CMAKE.match(f)
            if m and m.group(2).lower() == m.group(3).lower():
                out.append((f"cmake({m.group(2)})", "EQ", e, v, None))
        elif b.endswith(".desktop") and d == "/usr/share/applications":
            out.append(("application()", None, None, None, None))
            out.append((f"application({b})", None, None, None, None))
    if p.name.startswith("python3-"):
        out.append((f"python{PY}-{p.name[8:]}", "EQ", e, v, r))
    if p.name == "bash":
        out += [("/bin/bash", None, None, None, None), ("/bin/sh", None, None, None, None)]
    seen, uniq = set(), []
    for t in out:
        if t[0] not in seen:
            seen.add(t[0])
            uniq.append(t)
    return uniq


DEP_OPS = {">=": "GE", "<=": "LE", "=": "EQ", ">>": "GT", "<<": "LT", ">": "GT", "<": "LT"}


def parse_depends(text):
    """[(name, op, version)] of a Debian Depends field, first alternative of each."""
    out = []
    for group in text.split(","):
        alt = group.split("|")[0].strip()
        alt = re.sub(r"\[.*?\]|<.*?>", "", alt).strip()
        m = re.match(r"([a-z0-9][a-z0-9+.-]*)(?::\w+)?\s*(?:\(\s*([<>=]+)\s*([^)\s]+)\s*\))?", alt)
        if m:
            out.append((m.group(1), m.group(2), m.group(3)))
    return out


def derive_requires(p, by_deb, rng):
    """Requires from Debian's Depends, in the forms Fedora's generators write them."""
    out = []
    elf = p.arch != "noarch" and any(f.startswith(("/usr/bin/", "/usr/sbin/", LIBDIRS[p.arch] + "/lib"))
                                     for f in p.files)
    python = p.name.startswith("python3-")
    perl = p.name.startswith("perl-")
    fields = p.fields or {}
    for key, pre in (("Pre-Depends", "1"), ("Depends", None)):
        for name, op, ver in parse_depends(fields.get(key, "")):
            target = by_deb.get((name, p.arch)) or by_deb.get((name, "x86_64")) or by_deb.get((name, "noarch"))
            if target is None or target is p:
                continue
            flags = DEP_OPS.get(op) if op else None
            tv = rpm_version(ver) if flags else (None, None)
            kinds = {t[0].split("(")[0]: t[0] for t in reversed(target.provides)}
            sonames = [t[0] for t in target.provides if ".so." in t[0] and not t[0].startswith(("/", "perl("))]
            stem = re.sub(r"[-0-9.]+(t64)?$", "", name) + "."
            sonames.sort(key=lambda so: (not so.startswith(stem), len(so)))  # libssl3 → libssl.so.3, libc6 → libc.so.6
            if sonames and p.arch != "noarch":
                out.append((sonames[0], None, None, None, None, pre))
                if target.name == "glibc":
                    out.append((f"libc.so.6(GLIBC_2.{34 + h(p.name) % 6}){'(64bit)' if p.arch == 'x86_64' else ''}",
                                None, None, None, None, pre))
            elif python and "python3dist" in kinds:
                dist = kinds["python3dist"][len("python3dist("):-1]
                out.append((f"python{PY}dist({dist})", flags, tv[0], tv[1], None, pre))
            elif perl and "perl" in kinds:
                out.append((kinds["perl"], None, None, None, None, pre))
            else:
                out.append((target.name, flags, tv[0], tv[1], None, pre))
    if elf:
        out.append(("rtld(GNU_HASH)", None, None, None, None, None))
    has_bin = any(f.startswith(("/usr/bin/", "/usr/sbin/")) for f in p.files)
    if python:
        out.append(("python(abi)", "EQ", None, PY, None, None))
        if has_bin:
            out.append(("/usr/bin/python3", None, None, None, None, None))
    if perl:
        out.append((f"perl(:MODULE_COMPAT_{PERL_COMPAT})", None, None, None, None, None))
        if has_bin:
            out.append(("/usr/bin/perl", None, None, None, None, None))
    if any(f.startswith(("/etc/", "/usr/lib/systemd/")) for f in p.files) or rng.random() < 0.08:
        out.append(("/bin/sh", None, None, None, None, "1"))
    if has_bin and rng.random() < 0.06:
        out.append(("/usr/bin/bash", None, None, None, None, None))
    seen, uniq = set(), []
    for t in out:
        if t[0] not in seen:
            seen.add(t[0])
            uniq.append(t)
    return uniq


def weak_and_conflicts(p, by_deb):
    """Conflicts (Debian's Breaks) and Recommends, by Fedora name, for packages in the repository."""
    out = []
    for key in ("Breaks", "Recommends"):
        entries, seen = [], set()
        for name, op, ver in parse_depends((p.fields or {}).get(key, "")):
            target = by_deb.get((name, "x86_64")) or by_deb.get((name, "noarch"))
            if target is None or target.name in seen:
                continue
            seen.add(target.name)
            flags = DEP_OPS.get(op) if op else None
            tv = rpm_version(ver) if flags else (None, None)
            entries.append((target.name, flags, tv[0], tv[1], None))
        out.append(entries)
    return out


def compose(n_target, seed=SEED, paths="contents"):
    """(binaries, sources, source of data) at n_target binary packages."""
    rng = random.Random(seed)
    info = read_dumpavail()
    contents = download_contents() if paths == "contents" else []
    if contents:
        log("reading Debian's Contents indexes")
        by_pkg = read_contents(contents)
        data_source = "Debian bookworm main Contents-amd64 + Contents-all (deb.debian.org)"
    else:
        by_pkg = read_dpkg_lists()
        data_source = "this machine's dpkg file lists (/var/lib/dpkg/info/*.list), copied with suffixed names"
    debs = sorted(set(by_pkg) | (set(info) if contents else set()))
    log(f"{len(debs):,} Debian packages, {sum(len(v) for v in by_pkg.values()):,} paths")

    # Which packages would get an i686 build: those with libraries in the multiarch directory.
    def multilib(deb):
        return (info.get(deb, {}).get("Architecture", "amd64") != "all" and
                any(re.match(r"(usr/)?lib/x86_64-linux-gnu/[^/]*\.(so(\.[0-9.]+)?|a)$", f) or
                    f.startswith("usr/lib/x86_64-linux-gnu/pkgconfig/") for f in by_pkg.get(deb, ())))

    order = [d for d in CORE if d in by_pkg or d in info]
    core = set(order)
    rest = [d for d in debs if d not in core]
    rng.shuffle(rest)
    order += rest
    chosen = []  # (deb, arch, tag)
    total = 0
    for deb in order:
        if total >= n_target:
            break
        arch = "noarch" if info.get(deb, {}).get("Architecture") == "all" else "x86_64"
        chosen.append((deb, arch, ""))
        total += 1
        if total < n_target and arch == "x86_64" and multilib(deb):
            chosen.append((deb, "i686", ""))
            total += 1
    k = 1
    while total < n_target:  # not enough real packages: suffixed copies
        k += 1
        for deb in order:
            if total >= n_target:
                break
            arch = "noarch" if info.get(deb, {}).get("Architecture") == "all" else "x86_64"
            chosen.append((deb, arch, f"-x{k}"))
            total += 1

    # Fedora names, unique.
    log(f"composing {len(chosen):,} binary packages")
    taken, named = {}, {}
    binaries, by_deb = [], {}
    for deb, arch, tag in chosen:
        raw = by_pkg.get(deb, [])
        fed = named.get((deb, tag))  # an i686 build has its x86_64 sibling's name
        if fed is None:
            module = None
            if deb.endswith("-perl"):
                pms = sorted((f for f in raw if f.startswith("usr/share/perl5/") and f.endswith(".pm")),
                             key=lambda f: (f.count("/"), len(f)))
                if pms:
                    module = pms[0][len("usr/share/perl5/"):-3].replace("/", "::")
            fed = fedora_name(deb, module) + tag
            n = 1
            while fed in taken:  # two Debian packages, one Fedora name: the later keeps its Debian name
                fed = deb + tag if n == 1 else f"{deb}-{n}{tag}"
                n += 1
            taken[fed] = (deb, tag)
            named[(deb, tag)] = fed
        plain = fed[: len(fed) - len(tag)] if tag else fed
        files = []
        for f in raw:
            m = fedora_path(f, deb, plain, arch)
            if m is None:
                continue
            if tag:  # a suffixed copy: its own doc directory, a tag in every other base name
                if m.startswith((f"/usr/share/doc/{plain}/", f"/usr/share/licenses/{plain}/")):
                    m = m.replace(f"/{plain}/", f"/{fed}/", 1)
                else:
                    m = suffixed_path(m, tag)
            files.append(m)
        p = Pkg(fed, arch, deb, info.get(deb), sorted(set(files)), tag)
        binaries.append(p)
        by_deb.setdefault((deb + tag, arch), p)
    by_pkg.clear()  # the Debian paths: half the memory

    # Sources: Debian's Source field, named the Fedora way, one version and release for all their binaries.
    groups = defaultdict(list)
    for p in binaries:
        src = ((p.fields or {}).get("Source") or p.deb).split()[0]
        groups[src + p.tag].append(p)
    sources, src_taken = [], set(taken)
    for src, members in sorted(groups.items()):
        tag = members[0].tag
        plain = src[: len(src) - len(tag)] if tag else src
        names = {m.name for m in members}
        if any(m.name.startswith("python3-") for m in members) and not plain.startswith("python"):
            name = "python-" + plain + tag
        elif any(m.name.startswith("perl-") for m in members) and members[0].name.startswith("perl-"):
            name = members[0].name
        elif fedora_name(plain) + tag in names:
            name = fedora_name(plain) + tag
        else:
            name = plain + tag
        n = 1
        while name in src_taken and (name not in names or n > 1):
            name = f"{plain}-src{'' if n == 1 else n}{tag}"
            n += 1
        src_taken.add(name)
        lead = next((m for m in members if m.deb == plain), members[0])
        epoch, ver = rpm_version((lead.fields or {}).get("Version", "0"))
        rel = f"{1 + h(name) % 4}.{DIST}"
        s = Pkg(name, "src", plain, lead.fields, [f"{name}.spec", f"{plain}-{ver}.tar.gz"], tag)
        s.is_source = True
        s.epoch, s.ver, s.rel = epoch, ver, rel
        for m in members:
            m.epoch, m.ver, m.rel, m.src = epoch, ver, rel, s
        s.base = members
        sources.append(s)

    log("deriving provides, requires and owned directories")
    for p in binaries:
        p.provides = derive_provides(p)
    for p in binaries:
        p.requires = derive_requires(p, by_deb, random.Random(h(p.name + p.arch)))
        p.conflicts, p.recommends = weak_and_conflicts(p, by_deb)
    devel_of = {}  # soname → what a source package BuildRequires for it
    for s in sources:
        devel = next((m for m in s.base if m.name.endswith("-devel") and m.arch != "i686"), None)
        if devel is None:
            continue
        pc = next((t[0] for t in devel.provides if t[0].startswith("pkgconfig(")), devel.name)
        for m in s.base:
            for t in m.provides:
                if t[0].endswith(".so." + t[0].rpartition(".so.")[2]) or t[0].endswith("()(64bit)"):
                    devel_of[t[0]] = pc
    for s in sources:
        s.requires = build_requires(s, devel_of)
        s.provides = [(s.name, "EQ", s.epoch, s.ver, s.rel)]
    own_dirs(binaries)
    for p in binaries + sources:
        p.set_pkgid()
    return binaries, sources, data_source


def build_requires(s, devel_of):
    """BuildRequires of a source package, from what its binaries need: a library's -devel package
    (its pkgconfig() name when it has one), the language stacks' macros."""
    out = []
    arch = any(m.arch != "noarch" for m in s.base)
    if arch:
        out += [("gcc", None), ("make", None)]
    if any(m.name.startswith("python3-") for m in s.base):
        out += [("python3-devel", None), ("pyproject-rpm-macros", None), ("python3dist(setuptools)", None)]
    if any(m.name.startswith("perl-") for m in s.base):
        out += [("perl-generators", None), ("perl-interpreter", None), ("perl(ExtUtils::MakeMaker)", None)]
    for m in s.base:
        for r in m.requires:
            if r[0] in devel_of:
                out.append((devel_of[r[0]], None))
            elif r[0].startswith(("python3.", "perl(")) and "MODULE_COMPAT" not in r[0]:
                out.append((r[0].replace(f"python{PY}dist", "python3dist"), None))
    seen, uniq = set(), []
    for name, _ in out:
        if name not in seen:
            seen.add(name)
            uniq.append((name, None, None, None, None, None))
    return uniq[:40]


def own_dirs(binaries):
    """Each package owns the directories under which no other package name has files."""
    anc_by_name = defaultdict(set)
    for p in binaries:
        anc = anc_by_name[p.name]
        for f in p.files:
            d = f.rpartition("/")[0]
            while d and d not in anc:
                anc.add(d)
                d = d.rpartition("/")[0]
    count = defaultdict(int)
    for anc in anc_by_name.values():
        for d in anc:
            count[d] += 1
    for p in binaries:
        anc = set()
        for f in p.files:
            d = f.rpartition("/")[0]
            while d and d not in anc:
                anc.add(d)
                d = d.rpartition("/")[0]
        p.dirs = sorted(d for d in anc if count[d] == 1 and d.count("/") > 1)


# ---------------------------------------------------------------- writing

def esc(s):
    if "&" in s or "<" in s or ">" in s or '"' in s:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return s


class _Hashing:
    """The raw file under GzipFile: hashes the compressed bytes as they are written."""

    def __init__(self, f):
        self.f, self.sha, self.size = f, hashlib.sha256(), 0

    def write(self, b):
        self.sha.update(b)
        self.size += len(b)
        return self.f.write(b)

    def flush(self):
        self.f.flush()


class Writer:
    """Buffered text into a compressed file (gz level 1 with mtime 0, zst through the zstd
    command, or xz preset 0), keeping both checksums and sizes for repomd.xml."""

    def __init__(self, path, compression):
        self.path, self.compression = path, compression
        self.open_sha, self.open_size = hashlib.sha256(), 0
        self.buf, self.n = [], 0
        self.raw = self.proc = None
        if compression == "zst":
            self.proc = subprocess.Popen(["zstd", "-q", "-3", "-f", "-o", str(path)], stdin=subprocess.PIPE)
            self.sink = self.proc.stdin
        else:
            self.raw = open(path, "wb")
            self.hashing = _Hashing(self.raw)
            self.sink = (gzip.GzipFile(filename="", mode="wb", compresslevel=1, fileobj=self.hashing, mtime=0)
                         if compression == "gz" else lzma.LZMAFile(self.hashing, "wb", preset=0))

    def write(self, s):
        self.buf.append(s)
        self.n += 1
        if self.n >= 4096:
            self.flush()

    def flush(self):
        data = "".join(self.buf).encode()
        self.open_sha.update(data)
        self.open_size += len(data)
        self.sink.write(data)
        self.buf, self.n = [], 0

    def close(self):
        self.flush()
        self.sink.close()
        if self.proc:
            if self.proc.wait():
                raise SystemExit("zstd failed")
            sha, size = hashlib.sha256(), 0
            with open(self.path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    sha.update(chunk)
                    size += len(chunk)
        else:
            self.raw.close()
            sha, size = self.hashing.sha, self.hashing.size
        return {"checksum": sha.hexdigest(), "size": size,
                "open_checksum": self.open_sha.hexdigest(), "open_size": self.open_size}


def open_compressed(path):
    """A binary file object of a metadata file's decompressed bytes."""
    name = str(path)
    if name.endswith(".gz"):
        return gzip.open(path)
    if name.endswith(".xz"):
        return lzma.open(path)
    if name.endswith(".zst"):
        return subprocess.Popen(["zstd", "-dcq", name], stdout=subprocess.PIPE).stdout
    raise SystemExit(f"{path}: unknown compression")


def entry(t):
    name, flags, e, v, r = t[:5]
    pre = t[5] if len(t) > 5 else None
    s = f'<rpm:entry name="{esc(name)}"'
    if flags:
        s += f' flags="{flags}"'
        if e is not None:
            s += f' epoch="{e}"'
        elif v is not None:
            s += ' epoch="0"'
        if v is not None:
            s += f' ver="{esc(v)}"'
        if r is not None:
            s += f' rel="{esc(r)}"'
    if pre:
        s += ' pre="1"'
    return s + "/>"


def primary_file(f):
    return f.startswith("/etc/") or "bin/" in f or f == "/usr/lib/sendmail"


def description(p):
    summary = ((p.fields or {}).get("Description") or p.name).strip()
    if p.is_source:
        return (f"{summary[:1].upper()}{summary[1:]}. The {p.name} source package is part of a composed repository "
                f"built for benchmarks from Debian's package lists, after Debian's {p.deb} source package.")
    return (f"{summary[:1].upper()}{summary[1:]}. The {p.name} package is part of a composed repository built for "
            f"benchmarks from Debian's package lists; its files are the ones Debian's {p.deb} package installs, "
            f"moved to Fedora's layout.")


def write_package(pf, ff, of, p):
    e, v, r = p.evr
    fields = p.fields or {}
    ht = h(p.name + p.arch + r)
    built = TIMESTAMP - 86400 * 30 - ht % (86400 * 700)
    installed = int(fields.get("Installed-Size", "0") or 0) * 1024 + 4096 * len(p.files)
    size = int(fields.get("Size", "0") or 0) or installed // 3 + 8000
    summary = ((fields.get("Description") or p.name).strip())
    url = fields.get("Homepage", "")
    lic = ("(GPL-1.0-or-later OR Artistic-1.0-Perl)" if p.name.startswith("perl")
           else "OFL-1.1" if p.name.endswith("-fonts") else LICENSES[h(p.deb) % len(LICENSES)])
    srpm = "" if p.is_source else f"{p.src.name}-{p.src.ver}-{p.src.rel}.src.rpm"
    nvra = p.nvra()
    files = sorted([(f, False) for f in p.files] + [(d, True) for d in p.dirs])
    header_end = 4504 + 600 + sum(len(f) + 40 for f, _ in files) + 60 * (len(p.provides) + len(p.requires) +
                                                                        len(p.conflicts) + len(p.recommends))
    parts = [
        '<package type="rpm">\n',
        f"  <name>{esc(p.name)}</name>\n  <arch>{p.arch}</arch>\n",
        f'  <version epoch="{e}" ver="{esc(v)}" rel="{esc(r)}"/>\n',
        f'  <checksum type="sha256" pkgid="YES">{p.pkgid}</checksum>\n',
        f"  <summary>{esc(summary)}</summary>\n",
        f"  <description>{esc(description(p))}</description>\n",
        "  <packager>Fedora Project</packager>\n",
        f"  <url>{esc(url)}</url>\n",
        f'  <time file="{built + 3600 + ht % 7200}" build="{built}"/>\n',
        f'  <size package="{size}" installed="{installed}" archive="{installed + 124 * len(files) + 124}"/>\n',
        f'  <location href="Packages/{p.name[0].lower()}/{esc(nvra)}.rpm"/>\n',
        "  <format>\n",
        f"    <rpm:license>{esc(lic)}</rpm:license>\n",
        "    <rpm:vendor>Fedora Project</rpm:vendor>\n",
        "    <rpm:group>Unspecified</rpm:group>\n",
        f"    <rpm:buildhost>buildhw-x86-{1 + ht % 16:02d}.rdu3.fedoraproject.org</rpm:buildhost>\n",
        f"    <rpm:sourcerpm>{esc(srpm)}</rpm:sourcerpm>\n",
        f'    <rpm:header-range start="4504" end="{header_end}"/>\n',
    ]
    if p.provides:
        parts.append("    <rpm:provides>\n")
        parts += [f"      {entry(t)}\n" for t in p.provides]
        parts.append("    </rpm:provides>\n")
    for tag, entries in (("requires", p.requires), ("conflicts", p.conflicts), ("recommends", p.recommends)):
        if entries:
            parts.append(f"    <rpm:{tag}>\n")
            parts += [f"      {entry(t)}\n" for t in entries]
            parts.append(f"    </rpm:{tag}>\n")
    if not p.is_source:
        for f, is_dir in files:
            if primary_file(f):
                parts.append(f'    <file type="dir">{esc(f)}</file>\n' if is_dir else f"    <file>{esc(f)}</file>\n")
    parts.append("  </format>\n</package>\n")
    pf.write("".join(parts))

    fl = [f'<package pkgid="{p.pkgid}" name="{esc(p.name)}" arch="{p.arch}">\n',
          f'  <version epoch="{e}" ver="{esc(v)}" rel="{esc(r)}"/>\n']
    for f, is_dir in files:
        fl.append(f'  <file type="dir">{esc(f)}</file>\n' if is_dir else f"  <file>{esc(f)}</file>\n")
    fl.append("</package>\n")
    ff.write("".join(fl))

    of.write(f'<package pkgid="{p.pkgid}" name="{esc(p.name)}" arch="{p.arch}">\n'
             f'  <version epoch="{e}" ver="{esc(v)}" rel="{esc(r)}"/>\n'
             f'  <changelog author="Fedora Release Engineering &lt;releng@fedoraproject.org&gt; - {esc(v)}-{esc(r)}"'
             f' date="{built - 86400}">- Rebuilt for Fedora {DIST[2:]}</changelog>\n</package>\n')


def write_repo(repo_dir, pkgs, timestamp, what, compression="gz"):
    """repodata/ of one repository, and COMPOSED.txt beside it."""
    repodata = repo_dir / "repodata"
    if repodata.exists():
        shutil.rmtree(repodata)
    repodata.mkdir(parents=True)
    n = len(pkgs)
    pf, ff, of = (Writer(repodata / f"{kind}.xml.{compression}.tmp", compression)
                  for kind in ("primary", "filelists", "other"))
    pf.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="{NS_COMMON}" xmlns:rpm="{NS_RPM}" '
             f'packages="{n}">\n')
    ff.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<filelists xmlns="{NS_FILELISTS}" packages="{n}">\n')
    of.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<otherdata xmlns="{NS_OTHER}" packages="{n}">\n')
    for p in pkgs:
        write_package(pf, ff, of, p)
    pf.write("</metadata>\n")
    ff.write("</filelists>\n")
    of.write("</otherdata>\n")
    data = []
    for kind, w in (("primary", pf), ("filelists", ff), ("other", of)):
        meta = w.close()
        final = repodata / f"{meta['checksum']}-{kind}.xml.{compression}"
        os.rename(w.path, final)
        data.append((kind, meta, final.name))
    xml = [f'<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="{NS_REPO}" xmlns:rpm="{NS_RPM}">\n',
           f"  <revision>{timestamp}</revision>\n"]
    for kind, meta, name in data:
        xml.append(f'  <data type="{kind}">\n'
                   f'    <checksum type="sha256">{meta["checksum"]}</checksum>\n'
                   f'    <open-checksum type="sha256">{meta["open_checksum"]}</open-checksum>\n'
                   f'    <location href="repodata/{name}"/>\n'
                   f"    <timestamp>{timestamp}</timestamp>\n"
                   f"    <size>{meta['size']}</size>\n"
                   f"    <open-size>{meta['open_size']}</open-size>\n"
                   "  </data>\n")
    xml.append("</repomd>\n")
    (repodata / "repomd.xml").write_text("".join(xml))
    (repo_dir / "COMPOSED.txt").write_text(
        f"COMPOSED, not Fedora's: {what} for benchmarks, written by bench/provides_data.py in createrepo_c's\n"
        f"formats (repomd.xml; primary, filelists and other .xml.{compression}). The packages are Debian's, renamed the way\n"
        "Fedora names them; their file paths are the ones Debian's packages install, moved to Fedora's layout;\n"
        "provides and requires are derived from those files and Debian's dependencies. Checksums, pkgids,\n"
        "sizes and times are made up (deterministically).\n")
    return {kind: {"size": meta["size"], "open_size": meta["open_size"]} for kind, meta, _ in data}


# ---------------------------------------------------------------- queries

def sample_queries(binaries, rng, per_mode):
    files = [(f, p) for p in binaries for f in p.files]
    paths = [f for f, _ in rng.sample(files, min(per_mode, len(files)))]
    bins = [f for f, _ in files if f.startswith(("/usr/bin/", "/usr/sbin/"))]
    libs = [f for f, _ in files if SONAME.match(f.rpartition("/")[2]) and f.startswith("/usr/lib64/")]
    base = lambda f: f.rpartition("/")[2]  # noqa: E731
    known = {base(f) for f in bins} | {base(f) for f in libs}
    names = [n for n in ["python3", "bash", "perl", "libssl.so.3", "libc.so.6", "sh"] if n in known]
    for pool, share in ((bins, 0.4), (libs, 0.3), ([f for f, _ in files], 0.3)):
        if pool:
            names += [base(f) for f in rng.sample(pool, min(len(pool), int(per_mode * share) + 1))]
    names = list(dict.fromkeys(n for n in names if n))[:per_mode]
    provides = defaultdict(list)
    for p in binaries:
        for t in p.provides:
            kind = ("python3dist" if t[0].startswith("python3dist(") else "soname" if ".so." in t[0]
                    else "pkgconfig" if t[0].startswith("pkgconfig(") else "perl" if t[0].startswith("perl(")
                    else "name" if t[0] == p.name else None)
            if kind:
                provides[kind].append(t[0])
    every = set().union(*provides.values())
    caps = [c for c in ["python3dist(requests)", "libssl.so.3()(64bit)", "pkgconfig(glib-2.0)", "perl(Net::DNS)",
                        "libc.so.6()(64bit)", "glibc"] if c in every]
    for kind, share in (("python3dist", 0.25), ("soname", 0.25), ("pkgconfig", 0.15), ("perl", 0.15),
                        ("name", 0.2)):
        pool = provides[kind]
        if pool:
            caps += rng.sample(pool, min(len(pool), int(per_mode * share) + 1))
    caps = list(dict.fromkeys(caps))[:per_mode]
    contains = []
    for f, _ in rng.sample(files, min(per_mode * 2, len(files))):
        b = base(f)  # a substring of a base name is one of the path too, whichever the mode searches
        if len(b) < 3:
            continue
        n = rng.randint(3, min(10, len(b)))
        i = rng.randint(0, len(b) - n)
        contains.append(b[i:i + n])
    contains = list(dict.fromkeys(s for s in contains if s.strip() == s and s))[:per_mode]
    return {"path": list(dict.fromkeys(paths)), "name": names, "capability": caps, "contains": contains}


# ---------------------------------------------------------------- main

def rebuild(binaries, sources, changed, rng):
    """Bumps the release of whole source packages until exactly `changed` binaries are new."""
    order = list(sources)
    rng.shuffle(order)
    picked, total = [], 0
    for s in order:
        if total + len(s.base) <= changed:
            picked.append(s)
            total += len(s.base)
        if total == changed:
            break
    if total != changed:
        raise SystemExit(f"could not pick exactly {changed} rebuilt packages")
    old = [m.pkgid for s in picked for m in s.base]
    for s in picked:
        n, _, dist = s.rel.partition(".")
        s.rel = f"{int(n) + 1}.{dist}"
        s.provides = [(s.name, "EQ", s.epoch, s.ver, s.rel)]
        s.set_pkgid()
        for m in s.base:
            m.rel = s.rel
            m.set_pkgid()
            m.provides = [(t[0], t[1], t[2], t[3], s.rel if t[4] is not None else None) for t in m.provides]
    new = [m.pkgid for s in picked for m in s.base]
    return old, new, [s.name for s in picked]


def generate(out, packages, changed=500, per_mode=1000, seed=SEED, compression="gz", paths="contents"):
    """Writes OUT/full, OUT/incremental and OUT/bench.json; returns the manifest."""
    out = Path(out)
    t0 = time.perf_counter()
    binaries, sources, data_source = compose(packages, seed, paths)
    compose_s = time.perf_counter() - t0
    rng = random.Random(seed + 1)
    queries = sample_queries(binaries, rng, per_mode)
    n_files = sum(len(p.files) for p in binaries)
    n_dirs = sum(len(p.dirs) for p in binaries)
    manifest = {"branch": BRANCH, "repos": REPOS, "data_source": data_source, "seed": seed,
                "binary_packages": len(binaries), "source_packages": len(sources),
                "i686_packages": sum(p.arch == "i686" for p in binaries),
                "files": n_files, "dirs": n_dirs, "paths": n_files + n_dirs,
                "provides": sum(len(p.provides) for p in binaries),
                "requires": sum(len(p.requires) for p in binaries),
                "build_requires": sum(len(s.requires) for s in sources),
                "compression": compression, "compose_seconds": round(compose_s, 1), "sizes": {}}
    # Binary packages in name order, as createrepo_c lists a directory of RPMs.
    binaries.sort(key=lambda p: (p.name, p.arch))
    sources.sort(key=lambda p: p.name)
    changed = min(changed, len(binaries) // 4)
    for variant in ("full", "incremental"):
        t = time.perf_counter()
        if variant == "incremental":
            old, new, rebuilt = rebuild(binaries, sources, changed, random.Random(seed + 2))
            manifest["changed"] = {"binary_packages": changed, "source_packages": len(rebuilt),
                                   "old_pkgids": old, "new_pkgids": new}
        stamp = TIMESTAMP + (86400 if variant == "incremental" else 0)
        base = out / variant / "dl/pub/fedora/linux"
        log(f"writing {variant}: {len(binaries):,} binary packages, {n_files + n_dirs:,} paths")
        manifest["sizes"][variant] = {
            "binary": write_repo(base / REPOS["binary"], binaries, stamp, "Fedora rawhide's x86_64 repository",
                                 compression),
            "source": write_repo(base / REPOS["source"], sources, stamp, "Fedora rawhide's source repository",
                                 compression),
            "seconds": round(time.perf_counter() - t, 1)}
    manifest["generation_seconds"] = round(time.perf_counter() - t0, 1)
    manifest["queries"] = queries
    (out / "bench.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def check(tree):
    """Validates one variant's tree: repomd parses, checksums and sizes match, XML parses, counts agree."""
    tree = Path(tree)
    report = {}
    for kind, rel in REPOS.items():
        repo = tree / "dl/pub/fedora/linux" / rel
        root = ET.parse(repo / "repodata/repomd.xml").getroot()
        ns = {"r": NS_REPO}
        assert root.tag == f"{{{NS_REPO}}}repomd", root.tag
        assert root.find("r:revision", ns).text.isdigit()
        pkgids = {}
        for data in root.findall("r:data", ns):
            dtype = data.get("type")
            path = repo / data.find("r:location", ns).get("href")
            raw = path.read_bytes()
            assert hashlib.sha256(raw).hexdigest() == data.find("r:checksum", ns).text, f"{path}: checksum"
            assert len(raw) == int(data.find("r:size", ns).text), f"{path}: size"
            with open_compressed(path) as f:
                opened = f.read()
            assert hashlib.sha256(opened).hexdigest() == data.find("r:open-checksum", ns).text, f"{path}: open"
            assert len(opened) == int(data.find("r:open-size", ns).text), f"{path}: open-size"
            assert path.name.startswith(data.find("r:checksum", ns).text + "-")
            del raw, opened
            count, ids, files = 0, [], 0
            with open_compressed(path) as f:
                for event, el in ET.iterparse(f, events=("start", "end")):
                    local = el.tag.rpartition("}")[2]
                    if event == "start" and local in ("metadata", "filelists", "otherdata"):
                        declared = int(el.get("packages"))
                        top = el.tag
                    elif event == "end" and local == "package":
                        count += 1
                        if dtype == "primary":
                            c = el.find(f"{{{NS_COMMON}}}checksum")
                            assert c.get("pkgid") == "YES" and c.get("type") == "sha256"
                            ids.append(c.text)
                        else:
                            ids.append(el.get("pkgid"))
                        files += sum(1 for x in el.iter() if x.tag.endswith("}file"))
                        el.clear()
            ns_expected = {"primary": NS_COMMON, "filelists": NS_FILELISTS, "other": NS_OTHER}[dtype]
            assert top == f"{{{ns_expected}}}" + {"primary": "metadata", "filelists": "filelists",
                                                   "other": "otherdata"}[dtype], top
            assert count == declared, f"{path}: {count} packages, {declared} declared"
            assert len(set(ids)) == len(ids), f"{path}: duplicate pkgids"
            pkgids[dtype] = ids
            report[f"{kind} {dtype}"] = {"packages": count, "file entries": files}
        assert pkgids["primary"] == pkgids["filelists"] == pkgids["other"], f"{repo}: pkgids differ between files"
    return report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="directory to write full/, incremental/ and bench.json into")
    ap.add_argument("--packages", type=int, default=72000, help="binary packages (default 72,000)")
    ap.add_argument("--changed", type=int, default=500, help="binary packages rebuilt in the incremental variant")
    ap.add_argument("--queries", type=int, default=1000, help="query strings per mode in bench.json")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--paths", choices=["contents", "dpkg"], default="contents",
                    help="Debian's Contents indexes (downloaded once), or only this machine's dpkg lists")
    ap.add_argument("--compression", choices=["gz", "zst", "xz"], default="gz",
                    help="of primary/filelists/other (gz; Fedora's rawhide uses zst)")
    ap.add_argument("--check", metavar="TREE", help="validate OUT/full or OUT/incremental instead")
    args = ap.parse_args()
    if args.check:
        for k, v in check(args.check).items():
            print(f"{k}: {v}")
        print("ok")
        return
    if not args.out:
        ap.error("--out or --check")
    m = generate(args.out, args.packages, args.changed, args.queries, args.seed, args.compression, args.paths)
    show = {k: v for k, v in m.items() if k not in ("queries", "changed", "repos")}
    print(json.dumps(show, indent=1))


if __name__ == "__main__":
    main()
