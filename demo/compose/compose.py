#!/usr/bin/env python3
"""Compose the demo's missing upstream responses, in the recorded shapes.

Writes into demo/upstream/ (layout: demo/upstream/README.md) every response the
app needs that no recording exists for, from the compact per-package
definitions below and the spec templates in specs/. Real recordings are never
overwritten; files this script wrote are listed in demo/upstream/MANIFEST.txt
and are deleted and regenerated on each run, so the output is reproducible.

One story holds the services together: Koji builds (with their dates) are the
source of truth; Bodhi updates are derived from them (rawhide builds get
automatic updates, branch builds get normal ones which go testing -> stable
after the release's days in testing, unless obsoleted or inside the F42 Beta
freeze); the mdapi repos of f42 (release/updates/updates-testing) and rawhide
follow from those updates; changelogs come from the same entries as the specs.
The demo's "now" is NOW; rawhide is fc43, f42 is branched (as in the recorded
Bodhi releases and mdapi data).
"""
import datetime as dt
import hashlib
import json
import re
import shutil
import xmlrpc.client
from pathlib import Path

HERE = Path(__file__).resolve().parent
UP = HERE.parent / "upstream"
RESEARCH = Path("/work/research/recordings")
UTC = dt.timezone.utc
NOW = dt.datetime(2025, 3, 9, 12, 0, tzinfo=UTC)
F42_FREEZE = dt.datetime(2025, 2, 25, tzinfo=UTC)  # F42 Beta freeze: updates stay in testing
RAWHIDE = [("2024-02-13", 40), ("2024-08-13", 41), ("2025-02-04", 42)]  # branch date, Fedora branched then
REPOS = ["updates-testing", "updates", "testing", "release"]  # mdapi's lookup order
BRANCHES = {"rawhide": "fc43", "f42": "fc42"}

# Real recordings from upstream test suites (provenance: /work/research/recordings/SOURCES.md).
REAL_COPIES = {
    "koji/listBuilds.python-ogr.2019-11-08.response.xml": "koji/kojihub/listBuilds/packageID=28198.xml",
    "bodhi/updates.packages=python-requre.2021-08-13.page1.json": "bodhi/updates/packages=python-requre.json",
    "distgit/python-requre.spec.rawhide": "distgit/rpms/python-requre/raw/rawhide/f/python-requre.spec",
    "distgit/python-requre.spec.f41": "distgit/rpms/python-requre/raw/f41/f/python-requre.spec",
    "distgit/python-requre.spec.f40": "distgit/rpms/python-requre/raw/f40/f/python-requre.spec",
}

REL = "Fedora Release Engineering <releng@fedoraproject.org>"
PYM = "Python Maint <python-maint@redhat.com>"
PACKIT = "Packit <hello@packit.dev>"
CROB = "Cole Robinson <crobinso@redhat.com>"
MR = "- Rebuilt for https://fedoraproject.org/wiki/Fedora_{}_Mass_Rebuild".format
SITE = "/usr/lib/python3.13/site-packages/"

# People: FAS name -> (full name, email, Koji owner id, Bodhi user id). Ids of
# jpopelka, releng, churchyard, lachmanfrantisek, ttomecek, bodhi are the real ones.
PEOPLE = {
    "bodhi": ("", None, None, 91),
    "releng": ("Fedora Release Engineering", "releng@fedoraproject.org", 3445, None),
    "churchyard": ("Miro Hrončok", "mhroncok@redhat.com", 2274, 1393),
    "packit": ("Packit", "hello@packit.dev", 5130, 5802),
    "crobinso": ("Cole Robinson", "crobinso@redhat.com", 227, 122),
    "lachmanfrantisek": ("František Lachman", "flachman@redhat.com", 4318, 4222),
    "ttomecek": ("Tomas Tomecek", "ttomecek@redhat.com", 2266, 754),
    "nforro": ("Nikola Forró", "nforro@redhat.com", 3812, 3340),
    "lbarczio": ("Laura Barcziová", "lbarczio@redhat.com", 5212, 5967),
    "mfocko": ("Matej Focko", "mfocko@redhat.com", 5190, 5911),
    "geraldosimiao": ("Geraldo Simião", "geraldo.simiao.kutz@gmail.com", None, 4915),
    "frantisekz": ("František Zatloukal", "fzatlouk@redhat.com", None, 3472),
}

# Bug titles for the bugs that changelogs close (shown inside Bodhi updates).
BUG_TITLES = {
    2313917: "python-bugzilla-3.3.0 is available",
    2307410: "python-bugzilla: API key from bugzillarc ignored for bugzilla.redhat.com",
    2349876: "python-bugzilla: `bugzilla query --json` fails: Object of type DateTime is not JSON serializable",
    2330418: "python-specfile: %description containing HTML-like text is mangled when rendered",
    2341017: "colin: drop dependency on python3-six",
}

# ---- per-package definitions ------------------------------------------------
# builds: (submitted "YYYY-MM-DD HH:MM", version-release, "dist[!state] ...", Koji owner);
#   state 1 unless "!3" failed, "!4" canceled, "!0" still building.
# changelog: (date, author, [epoch:]version-release, text), newest first.
# binaries: mdapi dependency lists ("name", "name OP [E:]V[-R]"; {evr} = own E:V-R,
#   {pyver} = the python dist version; "dep ;until=V-R" only in builds older than V-R) and
#   files (dirs end in "/", ghosts start with "!"; {v} = version).
# bugs: "id status F|E(Fedora|Fedora EPEL) version priority severity creator created changed
#   keywords(a,b or -) | summary [| whiteboard]".
def site(pkg, mods, dist, meta="top_level.txt"):
    """A python module's files in site-packages (modules without .py; "x/" is a package dir)."""
    out = [f"{SITE}{pkg}/"] + [f"{SITE}{pkg}/{m}" + ("" if m.endswith("/") else ".py") for m in mods.split()]
    info = f"{SITE}{dist}.dist-info/"
    return out + [info] + [info + f for f in ("INSTALLER METADATA RECORD REQUESTED WHEEL " + meta).split()]


def share(kind, name, files):  # /usr/share/{doc,licenses}/NAME/...
    return [f"/usr/share/{kind}/{name}/"] + [f"/usr/share/{kind}/{name}/{f}" for f in files.split()]


PKGS = {
    "python-requre": dict(changelog_from="mdapi/rawhide/changelog/python3-requre.json", koji_id=31141,
                          owner="mfocko", bugs=[
        "2333019 NEW E epel10 unspecified unspecified carl@george.computer 2024-12-12T15:40:11Z 2024-12-12T15:40:11Z"
        " - | Please branch and build python-requre in epel10",
        "2339412 NEW F rawhide unspecified medium ksurma@redhat.com 2025-01-20T10:02:45Z 2025-02-03T08:15:32Z - | "
        "python-requre: DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal",
        "2346633 ASSIGNED F 42 low low ttomecek@redhat.com 2025-02-19T13:27:50Z 2025-02-24T09:41:07Z Triaged | "
        "requre-patch --help: ModuleNotFoundError: No module named 'pkg_resources'",
    ]),
    "python-ogr": dict(
        changelog_from="mdapi/rawhide/changelog/python3-ogr.json", koji_recorded=True, koji_id=28198,
        owner="ttomecek", epoch=1, bodhi=True, summary="One API for multiple git forges",
        description="One Git library to Rule: one API for many git forges.", url="https://github.com/packit/ogr",
        distgit=dict(branches="epel9 epel10 f40 f41 f42 rawhide", old=range(30, 40)),
        builds=[  # for Bodhi only: python-ogr's Koji answer is a real (2019) recording
            ("2025-01-08 10:05", "0.51.0-1", "fc42 fc41 fc40 el9 el10_0", "packit"),
            ("2025-01-16 04:30", "0.51.0-2", "fc42", "releng"),
            ("2025-02-06 11:00", "0.51.0-2", "fc43", "lachmanfrantisek"),
        ],
        bugs=[
            "2326661 ASSIGNED F 41 medium medium jpopelka@redhat.com 2024-11-15T12:09:38Z 2025-01-09T14:22:51Z - | "
            "python3-ogr: GitlabProject.get_pr_list() raises AttributeError with python-gitlab 5.0",
            "2341508 NEW F rawhide unspecified unspecified ksurma@redhat.com 2025-01-27T09:13:05Z "
            "2025-01-27T09:13:05Z - | python-ogr fails to build with Python 3.14",
        ]),
    "packit": dict(
        changelog_from="mdapi/f42/changelog/packit.json", koji_id=29086, owner="lbarczio", bodhi=True,
        distgit=dict(id=36652, created="2019-07-18", modified="2025-03-03",
                     admin="lachmanfrantisek mfocko mmassari nforro ttomecek", commit="packit",
                     branches="epel9 epel10 f40 f41 f42 rawhide", old=range(30, 40)),
        builds=[
            ("2025-02-17 10:20", "1.2.0-1", "fc43 fc42 fc41 fc40 el9", "packit"),
            ("2025-03-03 09:15", "1.3.0-1", "fc43 fc42 fc41 fc40 el9!3", "packit"),
        ],
        bugs=[
            "2335920 POST E epel10 unspecified unspecified dcavalca@fedoraproject.org 2024-12-30T18:51:22Z "
            "2025-02-17T10:44:09Z - | Please branch and build packit in epel10",
            "2347712 NEW F 41 unspecified medium jkadlcik@redhat.com 2025-02-24T16:05:41Z 2025-02-25T07:30:18Z - | "
            "packit propose-downstream: AttributeError: 'NoneType' object has no attribute 'get_pr'",
        ]),
    "colin": dict(
        koji_id=26041, owner="lachmanfrantisek", bodhi=False,  # colin's Bodhi answer is a real recording
        summary="Tool to check generic rules/best-practices for containers/images/dockerfiles",
        description="`colin` is a tool to check generic rules/best-practices for containers/images/dockerfiles",
        url="https://github.com/user-cont/colin", buildrequires=["python3-devel", "python3-pytest"],
        distgit=dict(id=28971, created="2018-05-22", modified="2025-02-20", admin="jpopelka ttomecek",
                     commit="packit", branches="f40 f41 f42 rawhide", old=range(28, 40)),
        binaries={"colin": dict(
            requires=["/usr/bin/python3", "python(abi) = 3.13", "python3.13dist(click)",
                      "python3.13dist(dockerfile-parse)", "python3.13dist(pyyaml)", "python3.13dist(requests)",
                      "python3.13dist(six) ;until=0.5.2-15"],
            recommends=["podman", "skopeo"],
            provides=["python3.13dist(colin) = {pyver}", "python3dist(colin) = {pyver}"],
            files=["/usr/bin/colin", "/usr/share/bash-completion/completions/colin", "/usr/share/man/man1/colin.1.gz",
                   "/usr/share/colin/", "/usr/share/colin/rulesets/", "/usr/share/colin/rulesets/default.json",
                   "/usr/share/colin/rulesets/fedora.json"]
                  + share("doc", "colin", "README.md") + share("licenses", "colin", "LICENSE")
                  + site("colin", "__init__ cli/ cli/__init__ cli/colin core/ core/__init__ core/checks/ "
                                  "core/checks/__init__ core/checks/labels core/colin core/ruleset/ "
                                  "core/ruleset/__init__ core/ruleset/ruleset core/target",
                         "colin-{v}", "entry_points.txt top_level.txt"))},
        builds=[
            ("2024-01-22 04:50", "0.5.2-11", "fc40", "releng"),
            ("2024-06-08 03:35", "0.5.2-12", "fc41", "churchyard"),
            ("2024-07-19 09:48", "0.5.2-13", "fc41", "releng"),
            ("2025-01-17 07:15", "0.5.2-14", "fc42", "releng"),
            ("2025-02-20 13:05", "0.5.2-15", "fc43 fc42!4", "lachmanfrantisek"),
        ],
        changelog=[
            ("2025-02-20", "František Lachman <flachman@redhat.com>", "0.5.2-15",
             "- Drop the dependency on python3-six (rhbz#2341017)"),
            ("2025-01-17", REL, "0.5.2-14", MR(42)),
            ("2024-07-19", REL, "0.5.2-13", MR(41)),
            ("2024-06-08", PYM, "0.5.2-12", "- Rebuilt for Python 3.13"),
            ("2024-01-22", REL, "0.5.2-11", MR(40)),
            ("2023-07-19", REL, "0.5.2-10", MR(39)),
            ("2023-06-13", PYM, "0.5.2-9", "- Rebuilt for Python 3.12"),
        ],
        bugs=[
            "2299850 NEW F rawhide unspecified medium mhroncok@redhat.com 2024-07-24T11:38:27Z 2024-07-24T11:38:27Z"
            " - | colin: SyntaxWarning: invalid escape sequence '\\.' in colin/core/checks/labels.py",
            "2320171 NEW F 41 low low mattia.verga@proton.me 2024-10-21T19:02:56Z 2024-11-04T08:11:40Z - | "
            "colin check of a podman image fails: 'skopeo' not found",
        ]),
    "python-bugzilla": dict(
        koji_id=4816, owner="crobinso", bodhi=True,
        summary="Python library for interacting with Bugzilla",
        description="python-bugzilla is a python library for interacting with bugzilla instances\nover XMLRPC or REST.",
        url="https://github.com/python-bugzilla/python-bugzilla", buildrequires=["python3-devel", "python3-pytest"],
        distgit=dict(id=14623, created="2017-05-30", modified="2025-03-05", admin="", commit="",
                     group_commit="python-packagers-sig", branches="epel9 epel10 f40 f41 f42 rawhide",
                     old=["epel7", "epel8"] + [f"f{n}" for n in range(27, 40)]),
        binaries={
            "python3-bugzilla": dict(
                requires=["python(abi) = 3.13", "python3.13dist(requests)"],
                provides=["python-bugzilla = {evr}", "python3.13-bugzilla = {evr}",
                          "python3.13dist(python-bugzilla) = {pyver}", "python3dist(python-bugzilla) = {pyver}"],
                files=share("doc", "python3-bugzilla", "NEWS.md README.md")
                      + share("licenses", "python3-bugzilla", "COPYING")
                      + site("bugzilla", "__init__ _authfiles _backendbase _backendrest _backendxmlrpc _cli "
                                         "_rhconverters _session _util apiversion base bug exceptions oldclasses "
                                         "rhbugzilla", "python_bugzilla-{v}", "entry_points.txt top_level.txt")),
            "python-bugzilla-cli": dict(
                summary="Command line tool for interacting with Bugzilla",
                description="This package includes the 'bugzilla' command-line tool for interacting\n"
                            "with bugzilla. Uses the python-bugzilla API.",
                requires=["/usr/bin/python3", "python3-bugzilla = {evr}"],
                files=["/usr/bin/bugzilla", "/usr/share/man/man1/bugzilla.1.gz"]),
        },
        builds=[
            ("2024-01-20 07:41", "3.2.0-12", "fc40", "releng"),
            ("2024-03-11 14:02", "3.2.0-13", "fc41 fc40 el9", "crobinso"),
            ("2024-04-22 09:15", "3.2.0-14", "fc41 fc40 el9", "crobinso"),
            ("2024-05-20 16:30", "3.2.0-15", "fc41 fc40 el9!3", "crobinso"),
            ("2024-06-08 02:11", "3.2.0-16", "fc41", "churchyard"),
            ("2024-07-19 11:05", "3.2.0-17", "fc41", "releng"),
            ("2024-08-26 08:25", "3.2.0-18", "fc42 fc41 el9", "crobinso"),
            ("2024-09-23 13:20", "3.3.0-1", "fc42 fc41 fc40 el9", "crobinso"),
            ("2024-10-14 10:45", "3.3.0-2", "fc42 fc41!3 fc40!4 el9!3", "crobinso"),
            ("2024-12-04 15:10", "3.3.0-3", "fc42 fc41 fc40 el9 el10_0", "crobinso"),
            ("2025-01-17 06:02", "3.3.0-4", "fc42", "releng"),
            ("2025-02-10 12:30", "3.3.0-5", "fc43 fc42 el10_0!4", "crobinso"),
            ("2025-03-05 09:40", "3.3.0-6", "fc43 fc42 fc41 fc40 el9 el10_0", "crobinso"),
            ("2025-03-09 10:55", "3.3.0-7", "fc43!0", "crobinso"),
        ],
        changelog=[
            ("2025-03-09", CROB, "3.3.0-7", "- Run the read-only functional tests in %check"),
            ("2025-03-05", CROB, "3.3.0-6", "- cli: fix `bugzilla query --json` with DateTime values (rhbz#2349876)"),
            ("2025-02-10", CROB, "3.3.0-5", "- Use %pyproject_check_import in %check\n"
                                            "- Drop obsolete python-bugzilla-cli Obsoletes"),
            ("2025-01-17", REL, "3.3.0-4", MR(42)),
            ("2024-12-04", CROB, "3.3.0-3", "- Enable builds for EPEL 10"),
            ("2024-10-14", CROB, "3.3.0-2", "- Run the test suite in %check"),
            ("2024-09-23", CROB, "3.3.0-1", "- Update to 3.3.0 (rhbz#2313917)\n- bugzilla: add --field-json option\n"
                                            "- Drop the XMLRPC-only API compat shims"),
            ("2024-08-26", CROB, "3.2.0-18", "- Backport fix for API keys from bugzillarc (rhbz#2307410)"),
            ("2024-07-19", REL, "3.2.0-17", MR(41)),
            ("2024-06-08", PYM, "3.2.0-16", "- Rebuilt for Python 3.13"),
            ("2024-05-20", CROB, "3.2.0-15", "- Fix the build with setuptools 70"),
            ("2024-04-22", CROB, "3.2.0-14", "- Backport upstream fix for the REST 'ids' parameter"),
            ("2024-03-11", CROB, "3.2.0-13", "- Fix the tests with pytest 8"),
            ("2024-01-20", REL, "3.2.0-12", MR(40)),
            ("2023-07-19", REL, "3.2.0-11", MR(39)),
            ("2023-06-13", PYM, "3.2.0-10", "- Rebuilt for Python 3.12"),
        ],
        bugs=[
            "2349876 ON_QA F 41 unspecified medium awilliam@redhat.com 2025-03-03T17:12:40Z 2025-03-06T02:31:14Z - | "
            "python-bugzilla: `bugzilla query --json` fails: Object of type DateTime is not JSON serializable",
            "2345120 NEW F rawhide unspecified unspecified ksurma@redhat.com 2025-02-13T09:48:02Z "
            "2025-02-13T09:48:02Z - | python-bugzilla fails to build with Python 3.14",
            "2342212 NEW F 42 unspecified medium kevin@scrye.com 2025-02-01T20:14:33Z 2025-02-02T11:05:48Z - | "
            "python3-bugzilla: ResourceWarning: unclosed <ssl.SSLSocket> on exit",
            "2340099 MODIFIED E epel9 unspecified medium code@musicinmybrain.net 2025-01-24T14:40:19Z "
            "2025-03-05T09:52:37Z - | python-bugzilla: EPEL 9 build of 3.3.0 fails the test suite (failed 3.3.0-2.el9)",
            "2331752 ASSIGNED E epel10 low low carl@george.computer 2024-12-09T16:22:05Z 2024-12-10T08:47:13Z - | "
            "python-bugzilla-cli: bash completion is not installed in EPEL 10",
            "2320944 NEW E epel9 unspecified medium jkadlcik@redhat.com 2024-10-23T07:58:31Z 2024-11-12T15:20:44Z - | "
            "bugzilla login --api-key does not save the key to ~/.config/python-bugzilla/bugzillarc",
            "2318840 NEW F 41 low low mattia.verga@proton.me 2024-10-14T18:30:56Z 2024-10-14T18:30:56Z EasyFix | "
            "bugzilla --help still lists the removed --oldformat option",
            "2301127 POST F rawhide medium medium mhroncok@redhat.com 2024-07-29T12:03:44Z 2025-02-10T12:41:09Z "
            "Triaged | python-bugzilla: DeprecationWarning: datetime.datetime.utcnow() is deprecated",
            "2287654 NEW F 40 unspecified high dcantrell@redhat.com 2024-06-05T13:56:21Z 2024-09-30T10:12:09Z - | "
            "bugzilla modify --status CLOSED crashes with KeyError: 'resolution'",
            "2275431 ASSIGNED F 40 high urgent ngompa13@gmail.com 2024-04-16T21:07:33Z 2024-12-04T15:22:18Z "
            "Regression | python-bugzilla cannot log in to bugzilla.redhat.com: XMLRPC login was disabled, use an API key",
            "2263377 NEW F 40 unspecified unspecified adamwill@fedoraproject.org 2024-02-08T22:41:50Z "
            "2024-02-09T08:03:27Z FutureFeature | RFE: support the Bugzilla 5.2 REST 'whoami' endpoint for "
            "`bugzilla login --check`",
            "2251977 NEW F rawhide unspecified low jskarvad@redhat.com 2023-11-27T10:15:02Z 2024-05-06T13:40:29Z "
            "FutureFeature | bugzilla query --outputformat does not support %{external_bugs} | upstream: #211",
        ]),
    "python-specfile": dict(
        koji_id=36618, owner="nforro", bodhi=True,
        summary="A library for parsing and manipulating RPM spec files",
        description="Python library for parsing and manipulating RPM spec files.\nMain focus is on modifying "
                    "existing spec files, any change should result\nin a minimal diff.",
        url="https://github.com/packit/specfile", buildrequires=["python3-devel", "python3-rpm"],
        distgit=dict(id=55271, created="2022-05-12", modified="2025-03-06",
                     admin="lachmanfrantisek lbarczio mfocko mmassari ttomecek", commit="packit",
                     branches="epel9 epel10 f40 f41 f42 rawhide", old=range(36, 40)),
        binaries={"python3-specfile": dict(
            requires=["python(abi) = 3.13", "python3.13dist(rpm)", "python3.13dist(typing-extensions)"],
            provides=["python-specfile = {evr}", "python3.13-specfile = {evr}", "python3.13dist(specfile) = {pyver}",
                      "python3dist(specfile) = {pyver}"],
            files=share("doc", "python3-specfile", "README.md")
                  + site("specfile", "__init__ changelog conditions context_management exceptions formatter "
                                     "macro_definitions macros options prep sections sourcelist sources spec_parser "
                                     "specfile tags types utils value_parser",
                         "specfile-{v}", "licenses/ licenses/LICENSE top_level.txt"))},
        builds=[
            ("2024-06-03 09:00", "0.30.0-1", "fc41 fc40 el9", "packit"),
            ("2024-06-07 22:40", "0.30.0-2", "fc41", "churchyard"),
            ("2024-07-19 10:12", "0.30.0-3", "fc41", "releng"),
            ("2024-09-02 08:30", "0.31.0-1", "fc42 fc41 fc40 el9", "packit"),
            ("2024-11-08 09:05", "0.32.6-1", "fc42 fc41 fc40 el9", "packit"),
            ("2024-12-06 08:50", "0.33.0-1", "fc42 fc41 fc40 el9 el10_0", "packit"),
            ("2025-01-17 05:40", "0.33.0-2", "fc42", "releng"),
            ("2025-02-28 08:45", "0.34.0-1", "fc43 fc42 fc41 fc40 el9 el10_0!3", "packit"),
            ("2025-03-06 09:10", "0.34.1-1", "fc43 fc42 fc41 fc40 el9 el10_0", "packit"),
        ],
        changelog=[
            ("2025-03-06", PACKIT, "0.34.1-1",
             "- Fixed a regression in `Specfile.update_version()` that broke spec files using `%autorelease`. (#457)"),
            ("2025-02-28", PACKIT, "0.34.0-1",
             "- Added `Specfile.update_license()` for SPDX license migrations. (#451)\n"
             "- Conditionalized macro definitions are now preserved when updating values. (#449)"),
            ("2025-01-17", REL, "0.33.0-2", MR(42)),
            ("2024-12-06", PACKIT, "0.33.0-1",
             "- Fix escaping of `<script>alert(1)</script>` in %description when rendering (rhbz#2330418)\n"
             "- `Specfile.sources()` now resolves `%{url}` inside `Source` tags. (#440)"),
            ("2024-11-08", PACKIT, "0.32.6-1", "- Fixed parsing of `%elifarch` and `%elifos` conditions. (#432)"),
            ("2024-09-02", PACKIT, "0.31.0-1",
             "- specfile now supports `%patchlist` and `%sourcelist` sections with comments. (#421)"),
            ("2024-07-19", REL, "0.30.0-3", MR(41)),
            ("2024-06-07", PYM, "0.30.0-2", "- Rebuilt for Python 3.13"),
            ("2024-06-03", PACKIT, "0.30.0-1", "- Macro definitions can now be removed with `Specfile.remove_macro()`. (#410)"),
        ],
        bugs=[
            "2336877 ASSIGNED E epel9 unspecified medium carl@george.computer 2025-01-06T15:11:29Z "
            "2025-01-08T09:24:50Z - | python3-specfile in EPEL 9 needs python3-typing-extensions >= 4.6",
            "2348121 NEW F 42 unspecified medium lbarczio@redhat.com 2025-02-27T11:48:12Z 2025-02-27T11:48:12Z - | "
            "python3-specfile: Specfile.update_tag() drops a trailing comment on the Version: line",
        ]),
}
# Which binaries each source has (recorded packages: as in the mdapi recordings).
BINARIES = {"python-requre": ["python3-requre", "python-requre-doc"], "python-ogr": ["python3-ogr"],
            "packit": ["packit", "python3-packit"]}
for _s, _p in PKGS.items():
    BINARIES.setdefault(_s, list(_p.get("binaries", {})))

# ---- helpers --------------------------------------------------------------
COMPOSED = []


def seg(name):
    """One URL path segment, escaped as the app's url_segment() does."""
    keep = lambda b: 0x20 <= b < 0x7F and chr(b) not in ' "#%/<>?`{}\\^|'
    return "".join(chr(b) if keep(b) else f"%{b:02X}" for b in name.encode())


def put(rel, data):
    path = UP / rel
    if rel in REAL:
        raise SystemExit(f"refusing to overwrite the real recording {rel}")
    if rel in COMPOSED:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    COMPOSED.append(rel)


def h(*parts):
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def rnd(lo, hi, *parts):
    return lo + int(h(*parts), 16) % (hi - lo + 1)


def when(s):
    return dt.datetime.fromisoformat(s).replace(tzinfo=UTC)


def noon(day):
    return int(when(day + "T12:00:00").timestamp())


def koji_time(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


def bodhi_time(t):
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else None


def pyver(v):  # pythondistdeps drops trailing ".0": 3.3.0 -> 3.3
    while v.endswith(".0") and v.count(".") > 0:
        v = v[:-2]
    return v


def rawhide_dist(t):
    return "fc" + str(next((n for d, n in RAWHIDE if t < when(d)), 43))


def release_of(dist):
    return {"fc40": "F40", "fc41": "F41", "fc42": "F42", "fc43": "F43", "el9": "EPEL-9", "el10_0": "EPEL-10.0"}[dist]


def strip_epoch(evr):
    return evr.split(":", 1)[-1]


def dep(spec, ctx=None):
    """'name' or 'name OP [E:]V[-R]' -> mdapi's {name, epoch, version, release, flags}."""
    spec = spec.format(**ctx) if ctx else spec
    if spec.startswith("(") or " " not in spec:
        return dict(name=spec, epoch=None, version=None, release=None, flags=None)
    name, op, evr = spec.split(" ")
    epoch, _, vr = evr.rpartition(":")
    version, _, release = vr.partition("-")
    flags = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}[op]
    return dict(name=name, epoch=epoch or "0", version=version, release=release or None, flags=flags)


def binary_name(pkg):  # as the app derives it (mdapi has no name field)
    plain = [d for d in pkg["provides"] if "(" not in d["name"] and not d["name"].startswith("/")]
    own = lambda d: d["flags"] == "EQ" and (d["version"], d["release"]) == (pkg["version"], pkg["release"])
    for ok in (lambda d: own(d) and d["name"] in pkg["co-packages"], lambda d: d["name"] in pkg["co-packages"], own):
        for d in plain:
            if ok(d):
                return d["name"]
    return pkg["basename"]


def read_json(rel):
    return json.loads((UP / rel).read_text())


def changelog_json(entries, repo):
    return json.dumps({"changelogs": [{"author": f"{a} - {evr}", "changelog": text, "date": noon(day)}
                                      for day, a, evr, text in entries], "repo": repo})


def entries_from(rel):  # a recorded mdapi changelog back into (date, author, evr, text)
    out = []
    for e in read_json(rel)["changelogs"]:
        author, evr = e["author"].rsplit(" - ", 1)
        day = dt.datetime.fromtimestamp(e["date"], UTC).strftime("%Y-%m-%d")
        out.append((day, author, evr, e["changelog"]))
    return out


def entries_upto(entries, vr):
    idx = next(i for i, e in enumerate(entries) if strip_epoch(e[2]) == vr)
    return entries[idx:]


def files_json(paths, v, repo):
    dirs = {}
    for p in paths:
        kind = "g" if p.startswith("!") else "d" if p.endswith("/") else "f"
        full = p.lstrip("!").rstrip("/").format(v=v)
        d, _, f = full.rpartition("/")
        dirs.setdefault(d, []).append((f, kind))
    out = [dict(dirname=d, filenames="/".join(f for f, _ in sorted(fs)), filetypes="".join(k for _, k in sorted(fs)))
           for d, fs in dirs.items()]
    return json.dumps({"files": sorted(out, key=lambda x: (x["filenames"], x["dirname"])), "repo": repo})


def spec_changelog(entries):
    fmt = lambda d: when(d + "T12:00:00").strftime("%a %b %d %Y")
    return "\n".join(f"* {fmt(d)} {a} - {evr}\n{text.replace('%', '%%')}\n" for d, a, evr, text in entries).rstrip("\n") + "\n"


# ---- Koji -----------------------------------------------------------------
def koji_builds(src, p):
    """The package's builds as Koji returns them, newest completion first (building first)."""
    out, used = [], set()
    for submitted, vr, targets, owner in p.get("builds", []):
        for i, target in enumerate(targets.split()):
            dist, _, state = target.partition("!")
            state = int(state or 1)
            start = when(submitted) + dt.timedelta(minutes=4 * i, seconds=rnd(0, 90, src, vr, dist),
                                                   microseconds=rnd(0, 999999, "us", src, vr, dist))
            secs = (start - when("2025-01-01T00:00:00")).total_seconds()
            build_id = 2650000 + int(secs * 660 / 86400)
            while build_id in used:
                build_id += 1
            used.add(build_id)
            minutes = {1: rnd(2, 9, src, vr, dist), 3: rnd(1, 4, src, vr, dist), 4: rnd(1, 3, src, vr, dist)}
            end = start + dt.timedelta(minutes=minutes[state], seconds=rnd(0, 59, "s", src, vr, dist)) if state else None
            version, release = vr.split("-")[0], f"{vr.split('-')[1]}.{dist}"
            url = f"git+https://src.fedoraproject.org/rpms/{src}.git#{h(src, vr, dist)}"
            create = start + dt.timedelta(microseconds=7591)
            out.append(dict(
                build_id=build_id, completion_time=end and koji_time(end),
                completion_ts=end and round(end.timestamp(), 6), creation_event_id=129800000 + int(secs * 0.48),
                creation_time=koji_time(create), creation_ts=round(create.timestamp(), 6),
                epoch=p.get("epoch"), extra={"source": {"original_url": url}}, name=src,
                nvr=f"{src}-{version}-{release}", owner_id=PEOPLE[owner][2], owner_name=owner,
                package_id=p["koji_id"], package_name=src, release=release, source=url,
                start_time=koji_time(start), start_ts=round(start.timestamp(), 6), state=state,
                task_id=128900000 + int((secs - 95) * 0.52), version=version, volume_id=0, volume_name="DEFAULT",
                _vr=vr, _dist=dist, _end=end))
    return sorted(out, key=lambda b: b["_end"].timestamp() if b["_end"] else float("inf"), reverse=True)


def koji_xml(value):
    return xmlrpc.client.dumps((value,), methodresponse=True, allow_none=True)


# ---- Bodhi ----------------------------------------------------------------
RELEASES = {}  # name -> the real release object from the recorded /releases/ answer


def bodhi_user(name):
    full, email, _, uid = PEOPLE[name]
    if name == "bodhi":
        return dict(id=91, name="bodhi", email=None, show_popups=True,
                    avatar="https://apps.fedoraproject.org/img/icons/bodhi-24.png",
                    openid="bodhi.id.fedoraproject.org", groups=[])
    avatar = hashlib.sha256(f"http://{name}.id.fedoraproject.org/".encode()).hexdigest()
    return dict(id=uid, name=name, email=email, show_popups=True,
                avatar=f"https://seccdn.libravatar.org/avatar/{avatar}?s=24&d=retro",
                openid=f"{name}.id.fedoraproject.org", groups=[{"name": "packager"}])


def derive_updates(src, p, entries):
    """Bodhi's updates for the package's completed builds (none for mass/side-tag rebuilds)."""
    ups = []
    for b in koji_builds(src, p):
        if b["state"] != 1 or b["owner_name"] in ("releng", "churchyard"):
            continue
        auto = b["_dist"] == rawhide_dist(b["_end"])
        rel = release_of(b["_dist"])
        entry = next(e for e in entries if strip_epoch(e[2]) == b["_vr"])
        sub = b["_end"] + dt.timedelta(minutes=4 if auto else rnd(15, 300, "sub", b["nvr"]))
        alias = f"{RELEASES[rel]['id_prefix']}-{sub.year}-{h('alias', b['nvr'])[:10]}"
        ups.append(dict(b=b, rel=rel, auto=auto, entry=entry, sub=sub, obsoleted_by=None, obsoletes=None,
                        alias=alias, url=f"https://bodhi.fedoraproject.org/updates/{alias}"))
    ups.sort(key=lambda u: u["sub"])
    for u in ups:
        days = 0 if u["rel"] in ("F42", "F43") else 7
        if u["auto"]:
            u["testing"], u["stable"] = u["sub"] + dt.timedelta(minutes=2), u["sub"] + dt.timedelta(minutes=6)
            continue
        u["testing"] = u["sub"] + dt.timedelta(hours=rnd(6, 20, "t", u["b"]["nvr"]))
        u["stable"] = u["testing"] + dt.timedelta(days=max(days, 1), hours=rnd(1, 9, "st", u["b"]["nvr"]))
        if u["rel"] == "F42" and u["sub"] >= F42_FREEZE:
            u["stable"] = None  # frozen
        newer = [n for n in ups if n["rel"] == u["rel"] and n["sub"] > u["sub"] and not n["auto"]]
        if newer and (u["stable"] is None or newer[0]["sub"] < u["stable"]):
            u["stable"], u["obsoleted_by"], newer[0]["obsoletes"] = None, newer[0], u
    for u in ups:
        u["status"] = ("obsolete" if u["obsoleted_by"] else "stable" if u["stable"] and u["stable"] <= NOW
                       else "testing" if u["testing"] <= NOW else "pending")
    return ups


def bodhi_update(src, p, u, update_id):
    b, auto, status = u["b"], u["auto"], u["status"]
    nvr, rel, alias, url = b["nvr"], RELEASES[u["rel"]], u["alias"], u["url"]
    day, author, evr, text = u["entry"]
    bugs = [int(x) for x in re.findall(r"rhbz#(\d+)", text)]
    head = when(day + "T12:00:00").strftime("%a %b %d %Y")
    notes = (f"Automatic update for {nvr}.\n\n##### **Changelog**\n\n```\n* {head} {author} - {evr}\n{text}\n```"
             if auto else text)
    epel = rel["id_prefix"] == "FEDORA-EPEL"
    karma = 0 if auto or status != "stable" else rnd(0, 2, "karma", nvr)
    first_cid = 3780000 + int((u["sub"] - when("2025-01-01T00:00:00")).total_seconds() * 1900 / 86400)
    comments = []

    def say(t, text, user="bodhi", k=0):
        cid = (comments[-1]["id"] if comments else first_cid) + rnd(1, 40, "c", nvr, len(comments))
        comments.append(dict(id=cid, karma=k, karma_critpath=0,
                             text=text, anonymous=False, timestamp=bodhi_time(t), update_id=update_id,
                             user_id=bodhi_user(user)["id"], bug_feedback=[], testcase_feedback=[],
                             user=bodhi_user(user)))

    submitter = b["owner_name"]
    if auto:
        say(u["sub"], "This update was automatically created")
    else:
        say(u["sub"], f"This update has been submitted for testing by {submitter}. ")
    prev = u["obsoletes"]
    if prev:
        say(u["sub"], f"This update has obsoleted [{prev['b']['nvr']}]({prev['url']}), "
                      "and has inherited its bugs and notes.")
    gating = "ignored" if epel else "passed"
    say(u["sub"] + dt.timedelta(seconds=2), f"This update's test gating status has been changed to '{gating}'.")
    if status in ("testing", "stable", "obsolete"):
        say(u["testing"], "This update has been pushed to testing.")
    for i, tester in enumerate(["geraldosimiao", "frantisekz"][:karma]):
        say(u["testing"] + dt.timedelta(days=2 + i, hours=3 + 5 * i), ["Works fine here, thanks!",
            "Installed and tested the basic workflow, no regressions spotted."][i], tester, 1)
    if status == "obsolete":
        o = u["obsoleted_by"]
        say(o["sub"], f"This update has been obsoleted by [{o['b']['nvr']}]({o['url']}).")
    if status == "stable":
        if not auto:
            say(u["stable"] - dt.timedelta(hours=2), "This update has reached 7 days in testing and can be pushed "
                "to stable now if the maintainer wishes" if u["rel"] not in ("F42",) else
                "This update can be pushed to stable now if the maintainer wishes")
            say(u["stable"] - dt.timedelta(hours=1), "This update has been submitted for stable by bodhi. ")
        say(u["stable"], "This update has been pushed to stable.")
    stable_t = u["stable"] if status == "stable" else None
    testing_t = u["testing"] if status in ("testing", "stable", "obsolete") else None
    return dict(
        title=nvr, autokarma=not auto, stable_karma=3, unstable_karma=-3, requirements="", require_bugs=True,
        require_testcases=True, display_name="", notes=notes,
        type="unspecified" if auto else "bugfix" if bugs else "enhancement",
        status=status, request="testing" if status == "pending" else None,
        severity="unspecified" if auto or not bugs else "medium", suggest="unspecified", locked=False,
        pushed=status in ("testing", "stable"), critpath=False, close_bugs=True,
        date_submitted=bodhi_time(u["sub"]), date_modified=None, date_approved=None,
        date_pushed=bodhi_time(stable_t or (testing_t if status == "testing" else None)),
        date_testing=bodhi_time(testing_t), date_stable=bodhi_time(stable_t), alias=alias, old_updateid=None,
        test_gating_status=gating,
        greenwave_summary_string="no tests are required" if epel else "All required tests passed",
        greenwave_unsatisfied_requirements=None, meets_testing_requirements=status == "stable" or auto,
        url=url, release=rel, comments=comments,
        builds=[dict(nvr=nvr, release_id={"F40": 77, "F41": 81, "F42": 85, "F43": 89, "EPEL-9": 47,
                                          "EPEL-10.0": 86}[u["rel"]], signed=True, ci_url=None, type="rpm",
                     epoch=p.get("epoch") or 0)],
        compose=None,
        bugs=[dict(bug_id=n, title=BUG_TITLES[n], security=False, parent=False, feedback=[]) for n in bugs],
        user=bodhi_user(submitter), updateid=alias, submitter=submitter, karma=karma, content_type="rpm",
        test_cases=[], autotime=not auto, from_tag=None, stable_days=0 if u["rel"] in ("F42", "F43") else 7,
        version_hash=h(nvr))


# ---- mdapi ----------------------------------------------------------------
def binary_obj(src, p, name, vr, dist, repo):
    bd = p["binaries"][name]
    v, r = vr.split("-")
    epoch = str(p.get("epoch") or 0)
    ctx = dict(evr=f"{epoch}:{v}-{r}.{dist}", pyver=pyver(v))

    def deps(key):
        out = []
        for s in bd.get(key, []):
            s, _, until = s.partition(" ;until=")
            if not until or vr < until:
                out.append(dep(s, ctx))
        if key == "provides":
            out.append(dep(f"{name} = {ctx['evr']}"))
        return sorted(out, key=lambda d: d["name"])

    obj = dict(arch="noarch", epoch=epoch, version=v, release=f"{r}.{dist}", summary=bd.get("summary", p["summary"]),
               description=bd.get("description", p["description"]), basename=src, url=p["url"])
    for key in ("conflicts", "obsoletes", "provides", "requires", "enhances", "recommends", "suggests", "supplements"):
        obj[key] = deps(key)
    obj["co-packages"] = sorted(p["binaries"])
    obj["repo"] = repo
    return obj


def srpm_obj(src, p, vr, dist, repo):
    v, r = vr.split("-")
    epoch = str(p.get("epoch") or 0)
    provides = [dep(f"{b} = {epoch}:{v}-{r}.{dist}") for b in BINARIES[src]]
    obj = dict(arch="src", epoch=epoch, version=v, release=f"{r}.{dist}", summary=p["summary"],
               description=p["description"], basename="", url=p["url"], conflicts=[], obsoletes=[],
               provides=provides, requires=[dep(x) for x in p.get("buildrequires", [])], enhances=[],
               recommends=[], suggests=[], supplements=[])
    obj["co-packages"], obj["repo"] = [], repo
    return obj


def version_swap(obj, old, new):
    """A recorded package object as its older build (same deps, other version)."""
    o = json.loads(json.dumps(obj))
    (ov, orl), (nv, nrl) = old, new
    o["version"], o["release"] = nv, nrl
    for key in ("provides", "requires", "recommends", "obsoletes", "conflicts"):
        for d in o[key]:
            if d["flags"] == "EQ" and d["version"] == ov and d["release"] in (orl, None):
                d["version"], d["release"] = nv, (nrl if d["release"] else None)
    return o


def main():
    global REAL
    old = set((UP / "MANIFEST.txt").read_text().split()) if (UP / "MANIFEST.txt").exists() else set()
    for rel in old:
        (UP / rel).unlink(missing_ok=True)
    for src_rel, dst_rel in REAL_COPIES.items():  # real recordings, byte-exact
        dst = UP / dst_rel
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(RESEARCH / src_rel, dst)
        assert dst.read_bytes() == (RESEARCH / src_rel).read_bytes(), dst_rel
    REAL = {str(f.relative_to(UP)) for f in UP.rglob("*") if f.is_file()} - {"README.md", "MANIFEST.txt"}
    for r in json.loads((UP / "bodhi/releases/state=current,pending,frozen.json").read_text())["releases"]:
        RELEASES[r["name"]] = r

    # -- Koji, Bodhi, Bugzilla, dist-git per package
    current = {b: {} for b in BRANCHES}  # branch -> binary name -> the /pkg object
    universe = {b: {repo: [] for repo in REPOS} for b in BRANCHES}
    for src, p in PKGS.items():
        put(f"koji/kojihub/getPackageID/{seg(src)}.xml", koji_xml(p["koji_id"]))
        # partly recorded packages: the recorded mdapi changelog is the spec's
        entries = p["changelog"] if "changelog" in p else entries_from(p["changelog_from"])
        builds = koji_builds(src, p)
        if builds and not p.get("koji_recorded"):
            put(f"koji/kojihub/listBuilds/packageID={p['koji_id']}.xml",
                koji_xml([{k: v for k, v in b.items() if not k.startswith("_")} for b in builds]))
        ups = derive_updates(src, p, entries) if p.get("bodhi") else []
        if ups:
            objs = [bodhi_update(src, p, u, 560000 + i * 7 + int((u["sub"] - when("2025-01-01T00:00:00")).days * 280))
                    for i, u in enumerate(ups)]
            objs.sort(key=lambda o: o["date_submitted"], reverse=True)
            put(f"bodhi/updates/packages={seg(src)}.json", json.dumps(dict(
                updates=objs, page=1, pages=1, rows_per_page=100, total=len(objs), chrome=True, display_user=True,
                display_request=True, package=src, active_releases=False), indent=1, ensure_ascii=False) + "\n")
        owner_email = PEOPLE.get(p["owner"], (None, f"{p['owner']}@redhat.com"))[1]
        bugs = []
        for line in p["bugs"]:
            head, summary, wb = (line.split(" | ") + [""])[:3]
            i, st, pr, ver, prio, sev, cr, c0, c1, kw = head.split()
            bugs.append(dict(id=int(i), summary=summary, status=st, resolution="",
                             product="Fedora" if pr == "F" else "Fedora EPEL", component=[src], version=[ver],
                             priority=prio, severity=sev, assigned_to=owner_email, creator=cr, creation_time=c0,
                             last_change_time=c1, is_open=True, keywords=[] if kw == "-" else kw.split(","),
                             whiteboard=wb))
        bugs.sort(key=lambda b: b["id"])
        put(f"bugzilla/rest/bug/component={seg(src)}.json", json.dumps(
            {"bugs": bugs, "limit": "500", "offset": 0, "total_matches": len(bugs)}, indent=1) + "\n")
        if "distgit" in p:
            write_distgit(src, p, entries, builds)
        if "binaries" in p:
            compose_mdapi(src, p, entries, builds, ups, current, universe)
    fill_recorded_mdapi(current, universe)
    relations(current, universe)
    (UP / "MANIFEST.txt").write_text("".join(f"{r}\n" for r in sorted(COMPOSED)))
    print(f"real files: {len(REAL)}, composed files: {len(COMPOSED)}")


def write_distgit(src, p, entries, builds):
    g, owner = p["distgit"], p["owner"]
    users = lambda s: sorted(s.split()) if s else []
    stamp = lambda d: str(int(when(d + "T09:30:00").timestamp()) + rnd(0, 30000, src, d))
    if "id" in g:  # (python-ogr's project answer is a real recording)
        full = PEOPLE[owner][0]
        put(f"distgit/api/0/rpms/{seg(src)}.json", json.dumps(dict(
            access_groups=dict(admin=[], collaborator=[], commit=users(g.get("group_commit")), ticket=[]),
            access_users=dict(admin=users(g["admin"]), collaborator=[], commit=users(g["commit"]), owner=[owner],
                              ticket=[]),
            close_status=[], custom_keys=[], date_created=stamp(g["created"]), date_modified=stamp(g["modified"]),
            description=f"The {src} package", full_url=f"https://src.fedoraproject.org/rpms/{src}",
            fullname=f"rpms/{src}", id=g["id"], milestones={}, name=src, namespace="rpms", parent=None,
            priorities={}, tags=[], url_path=f"rpms/{src}",
            user=dict(full_url=f"https://src.fedoraproject.org/user/{owner}", fullname=full, name=owner,
                      url_path=f"user/{owner}")), indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    old = [o if isinstance(o, str) else f"f{o}" for o in g["old"]]
    branches = g["branches"].split() + old
    put(f"distgit/api/0/rpms/{seg(src)}/git/branches.json", json.dumps(
        dict(branches=branches, default="rawhide", total_branches=len(branches)), indent=1) + "\n")
    rawhide_vr = strip_epoch(entries[0][2])  # dist-git holds the newest commit (python-bugzilla's is building)
    v, r = rawhide_vr.split("-")
    text = (HERE / "specs" / f"{src}.spec.in").read_text()
    text = text.replace("@VERSION@", v).replace("@RELEASE@", r).replace("@CHANGELOG@\n", spec_changelog(
        entries_upto(entries, rawhide_vr)))
    put(f"distgit/rpms/{seg(src)}/raw/rawhide/f/{seg(src)}.spec", text)


def repos_of(src, builds, ups):
    """Which build of the package each mdapi repo holds, per branch."""
    done = [b for b in builds if b["state"] == 1]
    newest = lambda cond: next((b["_vr"] for b in done if cond(b)), None)
    f42_ga = newest(lambda b: b["_dist"] == "fc42" and b["_end"] < when("2025-02-04T00:00:00"))
    by = lambda status: next((u["b"]["_vr"] for u in sorted(ups, key=lambda u: u["sub"], reverse=True)
                              if u["rel"] == "F42" and not u["auto"] and u["status"] == status), None)
    return {"rawhide": {"release": newest(lambda b: b["_dist"] == "fc43")},
            "f42": {"updates-testing": by("testing"), "updates": by("stable"), "release": f42_ga}}


def compose_mdapi(src, p, entries, builds, ups, current, universe):
    for branch, repos in repos_of(src, builds, ups).items():
        dist = BRANCHES[branch]
        first = None
        for repo in REPOS:
            vr = repos.get(repo)
            if not vr:
                continue
            for name in p["binaries"]:
                obj = binary_obj(src, p, name, vr, dist, repo)
                universe[branch][repo].append(obj)
                if first is None or first[0] == repo:
                    current[branch][name] = obj
            first = first or (repo, vr)
        repo, vr = first
        log = entries_upto(entries, vr)
        for name in p["binaries"]:
            obj = current[branch][name]
            put(f"mdapi/{branch}/pkg/{seg(name)}.json", json.dumps(obj))
            put(f"mdapi/{branch}/files/{seg(name)}.json",
                files_json(p["binaries"][name]["files"], obj["version"], repo))
            put(f"mdapi/{branch}/changelog/{seg(name)}.json", changelog_json(log, repo))
        own = src if src in p["binaries"] else sorted(p["binaries"])[0]
        put(f"mdapi/{branch}/srcpkg/{seg(src)}.json", json.dumps(current[branch][own]))
        # the source RPM: rawhide's build; for f42 the GA one (mdapi's src_f42-updates repos hold no SRPMs)
        svr = repos["release"]
        put(f"mdapi/src_{branch}/pkg/{seg(src)}.json", json.dumps(srpm_obj(src, p, svr, dist, "release")))
        put(f"mdapi/src_{branch}/changelog/{seg(src)}.json", changelog_json(entries_upto(entries, svr), "release"))


def fill_recorded_mdapi(current, universe):
    """The partly recorded packages: harvest every recorded package object, then fill the gaps."""
    seen = set()
    for branch in BRANCHES:
        for f in sorted((UP / "mdapi" / branch).glob("*/*.json")):
            if f.parent.name in ("srcpkg", "files", "changelog") or str(f.relative_to(UP)) in COMPOSED:
                continue  # srcpkg answers can carry another package's lists (mdapi README)
            data = json.loads(f.read_text())
            for obj in data if isinstance(data, list) else [data]:
                key = (branch, obj["repo"], binary_name(obj), obj["version"], obj["release"])
                if key not in seen:
                    seen.add(key)
                    universe[branch][obj["repo"]].append(obj)
                    if f.parent.name == "pkg" or binary_name(obj) not in current[branch]:
                        current[branch].setdefault(binary_name(obj), obj)
    # /pkg of python3-packit: the object mdapi returned inside the recorded relation answers
    for branch in BRANCHES:
        put(f"mdapi/{branch}/pkg/python3-packit.json", json.dumps(current[branch]["python3-packit"]))
    # f42 GA builds (release repo) behind the recorded updates: python-requre 0.8.4-3, packit 1.2.0-1
    for name, old, new in [("python3-requre", ("0.8.6", "1.fc42"), ("0.8.4", "3.fc42")),
                           ("python-requre-doc", ("0.8.6", "1.fc42"), ("0.8.4", "3.fc42")),
                           ("packit", ("1.3.0", "1.fc42"), ("1.2.0", "1.fc42")),
                           ("python3-packit", ("1.3.0", "1.fc42"), ("1.2.0", "1.fc42"))]:
        ga = version_swap(current["f42"][name], old, new)
        ga["repo"] = "release"
        universe["f42"]["release"].append(ga)
    # files: python3-ogr's rawhide build is the f42 one (same version); packit as built from its spec
    put("mdapi/rawhide/files/python3-ogr.json", (UP / "mdapi/f42/files/python3-ogr.json").read_text())
    doc = read_json("mdapi/rawhide/files/python-requre-doc.json")
    put("mdapi/f42/files/python-requre-doc.json", json.dumps(dict(doc, repo="updates")))
    packit_py = ["/usr/share/licenses/python3-packit-{v}/", "/usr/share/licenses/python3-packit-{v}/LICENSE",
                 "/usr/share/doc/python3-packit-{v}/", "/usr/share/doc/python3-packit-{v}/README.md"] + [
        SITE + "packit/" + f for f in ("", "__init__.py", "api.py", "config.py", "distgit.py", "upstream.py",
                                       "cli/", "cli/__init__.py", "cli/packit_base.py", "cli/propose_downstream.py")]
    put("mdapi/rawhide/files/python3-packit.json", files_json(packit_py, "1.3.0", "release"))
    put("mdapi/f42/files/python3-packit.json", files_json(packit_py, "1.3.0", "updates-testing"))
    put("mdapi/f42/files/packit.json", json.dumps(dict(read_json("mdapi/rawhide/files/packit.json"),
                                                        repo="updates-testing")))
    # changelogs: every binary of a source RPM carries the source's changelog
    logs = {src: entries_from(p["changelog_from"]) for src, p in PKGS.items() if "changelog_from" in p}
    put("mdapi/rawhide/changelog/python-requre-doc.json", changelog_json(logs["python-requre"], "release"))
    put("mdapi/f42/changelog/python-requre-doc.json", changelog_json(logs["python-requre"], "updates"))
    put("mdapi/src_f42/changelog/python-requre.json", changelog_json(entries_upto(logs["python-requre"], "0.8.4-3"),
                                                                    "release"))
    for branch, repo in (("rawhide", "release"), ("f42", "updates-testing")):
        put(f"mdapi/{branch}/changelog/python3-packit.json", changelog_json(logs["packit"], repo))
    put("mdapi/rawhide/changelog/packit.json", changelog_json(logs["packit"], "release"))
    put("mdapi/src_rawhide/changelog/packit.json", changelog_json(logs["packit"], "release"))
    put("mdapi/src_f42/changelog/packit.json", changelog_json(entries_upto(logs["packit"], "1.2.0-1"), "release"))
    put("mdapi/src_f42/pkg/packit.json", json.dumps(
        version_swap(read_json("mdapi/src_rawhide/pkg/packit.json"), ("1.3.0", "1.fc43"), ("1.2.0", "1.fc42"))))
    for branch, dist in BRANCHES.items():
        srpm = srpm_obj("python-ogr", PKGS["python-ogr"], "0.51.0-2", dist, "release")
        put(f"mdapi/src_{branch}/pkg/python-ogr.json", json.dumps(srpm))
        put(f"mdapi/src_{branch}/changelog/python-ogr.json", changelog_json(logs["python-ogr"], "release"))


def relations(current, universe):
    """Every reverse lookup the app makes for the demo's binaries, answered from the branch's packages."""
    missing = 0
    for branch in BRANCHES:
        def lookup(route, cap):
            for repo in REPOS:
                hits = [o for o in universe[branch][repo] for d in o[route] if d["name"] == cap]
                if hits:
                    return sorted(hits, key=lambda o: (o["epoch"], o["version"], o["release"]), reverse=True)
            return None
        calls = set()
        for src, names in BINARIES.items():
            for name in names:
                obj = current[branch][name]
                for key in ("requires", "recommends", "suggests", "supplements", "enhances"):
                    calls |= {("provides", d["name"]) for d in obj[key] if not d["name"].startswith("(")}
                calls |= {("requires", d["name"]) for d in obj["provides"]}
        for route, cap in sorted(calls):
            rel = f"mdapi/{branch}/{route}/{seg(cap)}.json"
            found = lookup(route, cap)
            if rel in REAL:
                got = [binary_name(o) for o in json.loads((UP / rel).read_text())]
                if got != [binary_name(o) for o in found or []]:
                    print(f"note: recorded {rel} lists {got}, the composed world {[binary_name(o) for o in found]}")
            elif found:
                put(rel, json.dumps(found))
            else:
                missing += 1
    print(f"relation lookups with no match (mdapi answers 400): {missing}")


if __name__ == "__main__":
    main()
