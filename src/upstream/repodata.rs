//! Repository metadata from the mirrors: each branch's `repomd.xml`, then its
//! `primary` (packages, provides, requires) and `filelists` (every path),
//! in createrepo_c's formats, compressed with zstd, xz or gzip.
//!
//! Files are downloaded to a temporary file with their checksum checked,
//! then decompressed and parsed by a pull parser on a blocking thread, one
//! package at a time through a bounded channel: memory stays bounded
//! whatever the repository's size. A cut, corrupt or mismatching file is an
//! error, never read as a smaller repository.
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use sha2::Digest;
use tokio::sync::mpsc;

use super::http::Http;
use super::{ParseError, Reason, Service, UpstreamError};
pub use crate::model::repodata::{RepoDep, RepoPackage};

/// Largest compressed metadata file downloaded (Fedora's filelists is ~60 MB).
const MAX_FILE_BYTES: u64 = 4 << 30;
/// Largest run of text or markup between two events the parser holds.
const MAX_EVENT_BYTES: usize = 4 << 20;
/// Packages parsed ahead of the writer.
const CHANNEL_DEPTH: usize = 64;

/// One repository of a branch, e.g. f42's updates or rawhide's sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoSpec {
    /// `release`, `updates`, `updates-testing`, or one of those prefixed `source-`.
    pub name: &'static str,
    /// Under the mirror's `pub/fedora/linux`, without a trailing slash.
    pub path: String,
    pub source: bool,
}

/// The repositories of a branch (`rawhide` or `f<N>`), binary ones first,
/// laid out as dl.fedoraproject.org does; `None` for another name.
pub fn repos_of(branch: &str, arch: &str) -> Option<Vec<RepoSpec>> {
    let spec = |name, path: String, source| RepoSpec { name, path, source };
    if branch == "rawhide" {
        let base = "development/rawhide/Everything";
        return Some(vec![
            spec("release", format!("{base}/{arch}/os"), false),
            spec("source-release", format!("{base}/source/tree"), true),
        ]);
    }
    let number =
        branch.strip_prefix('f').filter(|n| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()))?;
    Some(vec![
        spec("release", format!("releases/{number}/Everything/{arch}/os"), false),
        spec("updates", format!("updates/{number}/Everything/{arch}"), false),
        spec("updates-testing", format!("updates/testing/{number}/Everything/{arch}"), false),
        spec("source-release", format!("releases/{number}/Everything/source/tree"), true),
        spec("source-updates", format!("updates/{number}/Everything/source/tree"), true),
        spec("source-updates-testing", format!("updates/testing/{number}/Everything/source/tree"), true),
    ])
}

/// The branch of a repository named as mdapi names them (`f42-updates`,
/// `f42-updates-testing`, `src_rawhide`), if it is a release branch.
pub fn branch_of_repo(name: &str) -> Option<String> {
    let name = name.trim();
    let name = name.strip_prefix("src_").unwrap_or(name);
    let branch = ["-updates-testing", "-updates", "-testing"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name);
    repos_of(branch, "x86_64").map(|_| branch.to_string())
}

/// What `repomd.xml` says: its own checksum, and where primary and filelists are.
#[derive(Debug, Clone, PartialEq)]
pub struct Repomd {
    /// sha256 of repomd.xml itself: unchanged means nothing to read.
    pub checksum: String,
    pub primary: DataFile,
    pub filelists: DataFile,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    /// Relative to the repository, e.g. `repodata/<sha>-primary.xml.zst`.
    pub href: String,
    /// `sha256` or `sha512`.
    pub algorithm: String,
    /// Of the compressed file.
    pub checksum: String,
}

/// One package's paths from `filelists`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepoFiles {
    pub pkgid: String,
    /// Absolute paths, each with whether it is a directory.
    pub files: Vec<(String, bool)>,
}

/// The mirror client.
#[derive(Clone)]
pub struct Repodata {
    http: Http,
    base: String,
    pub arch: String,
}

impl Repodata {
    pub fn new(http: Http, base: &str, arch: &str) -> Self {
        Repodata { http, base: base.trim_end_matches('/').to_string(), arch: arch.to_string() }
    }

    fn url(&self, repo: &RepoSpec, file: &str) -> String {
        format!("{}/{}/{}", self.base, repo.path, file)
    }

    /// The repository's `repomd.xml`, or `None` when the mirror has no such
    /// repository (a 404: e.g. a release without updates yet).
    pub async fn repomd(&self, repo: &RepoSpec) -> Result<Option<Repomd>, UpstreamError> {
        let call = format!("{}/repodata/repomd.xml", repo.path);
        let body = self.http.get(Service::Repos, &call, &self.url(repo, "repodata/repomd.xml")).await?;
        match body.status {
            404 => Ok(None),
            200 => parse_repomd(&body.text)
                .map(Some)
                .map_err(|e| UpstreamError::new(Service::Repos, call, Reason::Parse(e.0))),
            s => Err(UpstreamError::new(Service::Repos, call, Reason::Status(s))),
        }
    }

    /// Downloads one data file into `dir`, checking its checksum.
    pub async fn download(&self, repo: &RepoSpec, file: &DataFile, dir: &Path) -> Result<DataPath, UpstreamError> {
        let call = format!("{}/{}", repo.path, file.href);
        let name = file.href.rsplit('/').next().unwrap_or("data");
        let path = dir.join(name);
        let got = self
            .http
            .download(Service::Repos, &call, &self.url(repo, &file.href), &path, &file.algorithm, MAX_FILE_BYTES)
            .await?;
        if !got.eq_ignore_ascii_case(&file.checksum) {
            let reason = format!("checksum mismatch: repomd.xml says {}, the file is {got}", file.checksum);
            return Err(UpstreamError::new(Service::Repos, call, Reason::Parse(reason)));
        }
        Ok(DataPath { path, compression: Compression::of(&file.href) })
    }
}

/// A downloaded, checked data file.
#[derive(Debug, Clone)]
pub struct DataPath {
    pub path: std::path::PathBuf,
    pub compression: Compression,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Zstd,
    Xz,
    Gzip,
    None,
}

impl Compression {
    fn of(href: &str) -> Self {
        if href.ends_with(".zst") {
            Compression::Zstd
        } else if href.ends_with(".xz") {
            Compression::Xz
        } else if href.ends_with(".gz") {
            Compression::Gzip
        } else {
            Compression::None
        }
    }

    /// The decompressed stream of `input`.
    pub fn decoder<'a, R: Read + 'a>(self, input: R) -> std::io::Result<Box<dyn BufRead + 'a>> {
        let reader: Box<dyn Read + 'a> = match self {
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(input)?),
            Compression::Xz => Box::new(xz2::read::XzDecoder::new_multi_decoder(input)),
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(input)),
            Compression::None => Box::new(input),
        };
        Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
    }
}

/// Reads `repomd.xml`: the `primary` and `filelists` entries.
pub fn parse_repomd(text: &str) -> Result<Repomd, ParseError> {
    let checksum = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let mut reader = Reader::from_str(text);
    let (mut primary, mut filelists) = (None, None);
    let mut current: Option<(String, DataFile)> = None;
    let mut in_checksum = false;
    loop {
        match reader.read_event().map_err(xml_error)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"data" => {
                    let kind = attr(&e, "type")?.unwrap_or_default();
                    current = Some((
                        kind,
                        DataFile { href: String::new(), algorithm: String::new(), checksum: String::new() },
                    ));
                }
                b"checksum" => {
                    if let Some((_, file)) = current.as_mut() {
                        file.algorithm = attr(&e, "type")?.unwrap_or_default();
                        in_checksum = true;
                    }
                }
                b"location" => location(&e, current.as_mut())?,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == b"location" => location(&e, current.as_mut())?,
            Event::Text(t) if in_checksum => {
                if let Some((_, file)) = current.as_mut() {
                    file.checksum.push_str(t.decode().map_err(|e| ParseError(e.to_string()))?.trim());
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"checksum" => in_checksum = false,
                b"data" => match current.take() {
                    Some((kind, file)) if kind == "primary" => primary = Some(file),
                    Some((kind, file)) if kind == "filelists" => filelists = Some(file),
                    _ => {}
                },
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let check = |file: Option<DataFile>, kind: &str| -> Result<DataFile, ParseError> {
        let file = file.ok_or_else(|| ParseError(format!("repomd.xml lists no {kind}")))?;
        if file.href.is_empty() || file.checksum.is_empty() || file.href.contains("..") {
            return Err(ParseError(format!("repomd.xml's {kind} entry lacks a location or checksum")));
        }
        Ok(file)
    };
    Ok(Repomd { checksum, primary: check(primary, "primary")?, filelists: check(filelists, "filelists")? })
}

fn location(e: &BytesStart, current: Option<&mut (String, DataFile)>) -> Result<(), ParseError> {
    if let Some((_, file)) = current {
        file.href = attr(e, "href")?.unwrap_or_default();
    }
    Ok(())
}

fn attr(e: &BytesStart, name: &str) -> Result<Option<String>, ParseError> {
    match e.try_get_attribute(name).map_err(xml_error)? {
        Some(a) => Ok(Some(a.normalized_value(XmlVersion::Implicit1_0).map_err(xml_error)?.into_owned())),
        None => Ok(None),
    }
}

fn xml_error(e: impl std::fmt::Display) -> ParseError {
    ParseError(format!("malformed XML: {e}"))
}

/// Parses `primary` from `input`, handing each package to `each` (which
/// returns false to stop early). Fails on malformed or cut input, and when
/// the count of packages differs from what the file announces.
pub fn read_primary(input: impl BufRead, mut each: impl FnMut(RepoPackage) -> bool) -> Result<u64, ParseError> {
    let mut parser = Pull::new(input);
    let mut package: Option<RepoPackage> = None;
    let mut field: Option<&'static str> = None;
    let mut section: Option<u8> = None; // 0 provides, 1 requires, 2 another relation
    let mut count = 0u64;
    let mut announced = None;
    let mut closed = false;
    while let Some(event) = parser.next()? {
        match event {
            Pulled::Open { name, empty } => {
                let e = parser.element();
                match name.as_str() {
                    "metadata" => announced = attr(e, "packages")?.and_then(|n| n.parse::<u64>().ok()),
                    "package" => package = Some(RepoPackage::default()),
                    _ if package.is_none() => {}
                    "name" | "arch" | "sourcerpm" if !empty && section.is_none() => field = Some(static_field(&name)),
                    "checksum" if attr(e, "pkgid")?.as_deref() == Some("YES") && !empty => field = Some("pkgid"),
                    "version" if section.is_none() => {
                        if let Some(p) = package.as_mut() {
                            p.epoch = attr(e, "epoch")?.and_then(|n| n.parse().ok()).unwrap_or(0);
                            p.version = attr(e, "ver")?.unwrap_or_default();
                            p.release = attr(e, "rel")?.unwrap_or_default();
                        }
                    }
                    "provides" => section = Some(0),
                    "requires" => section = Some(1),
                    "conflicts" | "obsoletes" | "recommends" | "suggests" | "supplements" | "enhances" => {
                        section = Some(2)
                    }
                    "entry" => {
                        if let (Some(p), Some(kind @ 0..=1)) = (package.as_mut(), section) {
                            let dep = entry(e)?;
                            if kind == 0 {
                                p.provides.push(dep)
                            } else {
                                p.requires.push(dep)
                            }
                        }
                    }
                    _ => {}
                }
            }
            Pulled::Close { name, text } => match name.as_str() {
                "package" => {
                    let Some(mut p) = package.take() else { continue };
                    if p.pkgid.is_empty() || p.name.is_empty() {
                        return Err(ParseError("a package without a name or pkgid".into()));
                    }
                    if p.arch == "src" || p.source.is_empty() {
                        p.source = p.name.clone();
                    }
                    count += 1;
                    if !each(p) {
                        return Ok(count);
                    }
                }
                "metadata" => closed = true,
                "provides" | "requires" | "conflicts" | "obsoletes" | "recommends" | "suggests" | "supplements"
                | "enhances" => section = None,
                _ => {
                    if let (Some(f), Some(p)) = (field.take(), package.as_mut()) {
                        match f {
                            "name" => p.name = text,
                            "arch" => p.arch = text,
                            "pkgid" => p.pkgid = text.trim().to_string(),
                            _ => p.source = source_name(&text).unwrap_or_default(),
                        }
                    }
                }
            },
        }
        parser.collect_text(field.is_some());
    }
    finish(closed, package.is_some(), announced, count, "primary")
}

/// Parses `filelists`, handing each package's paths to `each`.
pub fn read_filelists(input: impl BufRead, mut each: impl FnMut(RepoFiles) -> bool) -> Result<u64, ParseError> {
    let mut parser = Pull::new(input);
    let mut package: Option<RepoFiles> = None;
    let mut file: Option<bool> = None;
    let mut count = 0u64;
    let mut announced = None;
    let mut closed = false;
    while let Some(event) = parser.next()? {
        match event {
            Pulled::Open { name, empty } => {
                let e = parser.element();
                match name.as_str() {
                    "filelists" => announced = attr(e, "packages")?.and_then(|n| n.parse::<u64>().ok()),
                    "package" => {
                        let pkgid = attr(e, "pkgid")?.ok_or_else(|| ParseError("a package without a pkgid".into()))?;
                        package = Some(RepoFiles { pkgid, files: Vec::new() });
                    }
                    "file" if package.is_some() && !empty => file = Some(attr(e, "type")?.as_deref() == Some("dir")),
                    _ => {}
                }
            }
            Pulled::Close { name, text } => match name.as_str() {
                "file" => {
                    if let (Some(is_dir), Some(p)) = (file.take(), package.as_mut()) {
                        if text.starts_with('/') {
                            p.files.push((text, is_dir));
                        }
                    }
                }
                "package" => {
                    let Some(p) = package.take() else { continue };
                    count += 1;
                    if !each(p) {
                        return Ok(count);
                    }
                }
                "filelists" => closed = true,
                _ => {}
            },
        }
        parser.collect_text(file.is_some());
    }
    finish(closed, package.is_some(), announced, count, "filelists")
}

/// The end of a file: whole, and as long as it says it is.
fn finish(closed: bool, open_package: bool, announced: Option<u64>, count: u64, what: &str) -> Result<u64, ParseError> {
    if !closed || open_package {
        return Err(ParseError(format!("{what} is cut short after {count} packages")));
    }
    match announced {
        Some(n) if n != count => Err(ParseError(format!("{what} announces {n} packages but holds {count}"))),
        _ => Ok(count),
    }
}

/// The element names the parsers keep (static, so fields need no allocation).
fn static_field(name: &str) -> &'static str {
    match name {
        "name" => "name",
        "arch" => "arch",
        _ => "sourcerpm",
    }
}

fn entry(e: &BytesStart) -> Result<RepoDep, ParseError> {
    let name = attr(e, "name")?.unwrap_or_default();
    let constraint = match (attr(e, "flags")?, attr(e, "ver")?) {
        (Some(flags), Some(ver)) => {
            let (epoch, release) = (attr(e, "epoch")?, attr(e, "rel")?.filter(|r| !r.is_empty()));
            crate::model::evr::constraint(Some(&flags), epoch.as_deref(), Some(&ver), release.as_deref())
        }
        _ => None,
    };
    Ok(RepoDep { name, constraint })
}

/// `python-requre-0.8.6-1.fc43.src.rpm` → `python-requre`.
fn source_name(rpm: &str) -> Option<String> {
    let stem = rpm.trim().strip_suffix(".rpm")?;
    let stem = stem.rsplit_once('.').map(|(s, _)| s)?; // the arch: `.src`
    let (rest, _release) = stem.rsplit_once('-')?;
    let (name, _version) = rest.rsplit_once('-')?;
    (!name.is_empty()).then(|| name.to_string())
}

/// A pull parser over the markup, reduced to what the readers need:
/// elements opening (with their attributes at hand) and closing (with the
/// text collected inside them, when asked for), entities resolved.
struct Pull<R: BufRead> {
    reader: Reader<R>,
    buf: Vec<u8>,
    /// The last opened element, for its attributes.
    open: BytesStart<'static>,
    text: String,
    collecting: bool,
    /// An empty element's close, reported on the next call.
    pending_close: Option<String>,
}

enum Pulled {
    Open { name: String, empty: bool },
    Close { name: String, text: String },
}

impl<R: BufRead> Pull<R> {
    fn new(input: R) -> Self {
        Pull {
            reader: Reader::from_reader(input),
            buf: Vec::new(),
            open: BytesStart::new(""),
            text: String::new(),
            collecting: false,
            pending_close: None,
        }
    }

    fn element(&self) -> &BytesStart<'static> {
        &self.open
    }

    /// Whether text up to the next closing tag is wanted.
    fn collect_text(&mut self, on: bool) {
        if on && !self.collecting {
            self.text.clear();
        }
        self.collecting = on;
    }

    fn next(&mut self) -> Result<Option<Pulled>, ParseError> {
        if let Some(name) = self.pending_close.take() {
            return Ok(Some(Pulled::Close { name, text: String::new() }));
        }
        loop {
            self.buf.clear();
            let event = self.reader.read_event_into(&mut self.buf).map_err(xml_error)?;
            let size = match &event {
                Event::Start(e) | Event::Empty(e) => e.len(),
                Event::Text(t) => t.len(),
                Event::CData(t) => t.len(),
                _ => 0,
            };
            if size > MAX_EVENT_BYTES || self.text.len() > MAX_EVENT_BYTES {
                return Err(ParseError(format!("an element larger than {MAX_EVENT_BYTES} bytes")));
            }
            match event {
                Event::Start(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    self.open = e.into_owned();
                    return Ok(Some(Pulled::Open { name, empty: false }));
                }
                Event::Empty(e) => {
                    // An empty element opens and closes at once.
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    self.open = e.into_owned();
                    self.pending_close = Some(name.clone());
                    return Ok(Some(Pulled::Open { name, empty: true }));
                }
                Event::End(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    let text = if self.collecting { std::mem::take(&mut self.text) } else { String::new() };
                    self.collecting = false;
                    return Ok(Some(Pulled::Close { name, text }));
                }
                Event::Text(t) if self.collecting => {
                    self.text.push_str(&t.xml10_content().map_err(xml_error)?);
                }
                Event::CData(t) if self.collecting => {
                    self.text.push_str(&t.decode().map_err(xml_error)?);
                }
                Event::GeneralRef(r) if self.collecting => {
                    if let Some(c) = r.resolve_char_ref().map_err(xml_error)? {
                        self.text.push(c);
                    } else {
                        let name = r.decode().map_err(xml_error)?;
                        let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| ParseError(format!("unknown entity &{name};")))?;
                        self.text.push_str(resolved);
                    }
                }
                Event::Eof => return Ok(None),
                _ => {}
            }
        }
    }
}

/// What the parsing thread sends: items, then how the parse ended.
#[derive(Debug)]
pub enum Streamed<T> {
    Item(T),
    /// The whole file was read; this many packages.
    Done(u64),
    Failed(ParseError),
}

/// A parser over a decompressed stream, handing each item to a callback.
pub type ItemReader<T> = fn(Box<dyn BufRead + '_>, &mut dyn FnMut(T) -> bool) -> Result<u64, ParseError>;

/// Parses a downloaded data file on a blocking thread, sending items through
/// a bounded channel and, last, how the parse ended. A channel that closes
/// without `Done` means the parse did not finish.
pub fn stream<T: Send + 'static>(data: DataPath, read: ItemReader<T>) -> mpsc::Receiver<Streamed<T>> {
    let (tx, rx) = mpsc::channel(CHANNEL_DEPTH);
    tokio::task::spawn_blocking(move || {
        let outcome = (|| -> Result<u64, ParseError> {
            let file =
                std::fs::File::open(&data.path).map_err(|e| ParseError(format!("{}: {e}", data.path.display())))?;
            let input = data.compression.decoder(file).map_err(|e| ParseError(format!("cannot decompress: {e}")))?;
            read(input, &mut |item| tx.blocking_send(Streamed::Item(item)).is_ok())
        })();
        let _ = tx.blocking_send(match outcome {
            Ok(n) => Streamed::Done(n),
            Err(e) => Streamed::Failed(e),
        });
    });
    rx
}

/// [`read_primary`] in the shape [`stream`] takes.
pub fn primary_items(
    input: Box<dyn BufRead + '_>,
    each: &mut dyn FnMut(RepoPackage) -> bool,
) -> Result<u64, ParseError> {
    read_primary(input, each)
}

/// [`read_filelists`] in the shape [`stream`] takes.
pub fn filelists_items(
    input: Box<dyn BufRead + '_>,
    each: &mut dyn FnMut(RepoFiles) -> bool,
) -> Result<u64, ParseError> {
    read_filelists(input, each)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPOMD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1733148000</revision>
  <data type="primary">
    <checksum type="sha256">aa11</checksum>
    <open-checksum type="sha256">bb22</open-checksum>
    <location href="repodata/aa11-primary.xml.zst"/>
    <timestamp>1733148000</timestamp>
    <size>10</size>
    <open-size>20</open-size>
  </data>
  <data type="filelists">
    <checksum type="sha256">cc33</checksum>
    <location href="repodata/cc33-filelists.xml.zst"/>
  </data>
  <data type="other">
    <checksum type="sha256">dd44</checksum>
    <location href="repodata/dd44-other.xml.zst"/>
  </data>
</repomd>"#;

    const PRIMARY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="2">
<package type="rpm">
  <name>packit</name>
  <arch>noarch</arch>
  <version epoch="0" ver="1.3.0" rel="1.fc43"/>
  <checksum type="sha256" pkgid="YES">p1</checksum>
  <summary>A tool &amp; a service</summary>
  <format>
    <rpm:sourcerpm>packit-1.3.0-1.fc43.src.rpm</rpm:sourcerpm>
    <rpm:provides>
      <rpm:entry name="packit" flags="EQ" epoch="0" ver="1.3.0" rel="1.fc43"/>
    </rpm:provides>
    <rpm:requires>
      <rpm:entry name="/usr/bin/python3"/>
      <rpm:entry name="python3dist(ogr)" flags="GE" epoch="0" ver="0.50"/>
    </rpm:requires>
    <rpm:obsoletes><rpm:entry name="python3-packitos" flags="LT" epoch="1" ver="0.5"/></rpm:obsoletes>
    <file>/usr/bin/packit</file>
  </format>
</package>
<package type="rpm">
  <name>python-requre</name>
  <arch>src</arch>
  <version epoch="0" ver="0.8.6" rel="1.fc43"/>
  <checksum type="sha256" pkgid="YES">s1</checksum>
  <format>
    <rpm:sourcerpm/>
    <rpm:requires><rpm:entry name="python3-devel"/></rpm:requires>
  </format>
</package>
</metadata>"#;

    const FILELISTS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="1">
<package pkgid="p1" name="packit" arch="noarch">
  <version epoch="0" ver="1.3.0" rel="1.fc43"/>
  <file>/usr/bin/packit</file>
  <file type="dir">/usr/share/doc/packit</file>
  <file>/usr/share/doc/packit/R&amp;D &#x263A;.md</file>
</package>
</filelists>"#;

    #[test]
    fn repomd_names_primary_and_filelists() {
        let r = parse_repomd(REPOMD).unwrap();
        assert_eq!(r.primary.href, "repodata/aa11-primary.xml.zst");
        assert_eq!((r.primary.algorithm.as_str(), r.primary.checksum.as_str()), ("sha256", "aa11"));
        assert_eq!(r.filelists.checksum, "cc33");
        assert_eq!(r.checksum.len(), 64);
        assert!(parse_repomd("<repomd></repomd>").is_err());
        assert!(parse_repomd(&REPOMD.replace("repodata/aa11", "../../etc/aa11")).is_err());
    }

    fn primary(text: &str) -> Result<Vec<RepoPackage>, ParseError> {
        let mut all = Vec::new();
        read_primary(text.as_bytes(), |p| {
            all.push(p);
            true
        })?;
        Ok(all)
    }

    #[test]
    fn primary_packages_with_provides_and_requires() {
        let all = primary(PRIMARY).unwrap();
        assert_eq!(all.len(), 2);
        let p = &all[0];
        assert_eq!(
            (p.name.as_str(), p.arch.as_str(), p.pkgid.as_str(), p.source.as_str()),
            ("packit", "noarch", "p1", "packit")
        );
        assert_eq!((p.epoch, p.version.as_str(), p.release.as_str()), (0, "1.3.0", "1.fc43"));
        assert_eq!(p.provides, vec![RepoDep { name: "packit".into(), constraint: Some("= 1.3.0-1.fc43".into()) }]);
        assert_eq!(p.requires[0], RepoDep { name: "/usr/bin/python3".into(), constraint: None });
        assert_eq!(p.requires[1].constraint.as_deref(), Some(">= 0.50"));
        assert_eq!(p.requires.len(), 2, "obsoletes are not requires");
        let s = &all[1];
        assert_eq!((s.source.as_str(), s.requires[0].name.as_str()), ("python-requre", "python3-devel"));
    }

    #[test]
    fn filelists_paths_with_entities() {
        let mut all = Vec::new();
        read_filelists(FILELISTS.as_bytes(), |p| {
            all.push(p);
            true
        })
        .unwrap();
        assert_eq!(all[0].pkgid, "p1");
        assert_eq!(
            all[0].files,
            vec![
                ("/usr/bin/packit".to_string(), false),
                ("/usr/share/doc/packit".to_string(), true),
                ("/usr/share/doc/packit/R&D ☺.md".to_string(), false),
            ]
        );
    }

    #[test]
    fn cut_or_miscounted_files_are_errors() {
        let cut = &PRIMARY[..PRIMARY.find("<package type=\"rpm\">\n  <name>python-requre").unwrap() + 40];
        assert!(primary(cut).unwrap_err().0.contains("cut short"));
        assert!(primary(&PRIMARY.replace("packages=\"2\"", "packages=\"3\"")).unwrap_err().0.contains("announces"));
        assert!(primary(&PRIMARY.replace("</package>\n</metadata>", "")).is_err());
        assert!(primary("<metadata><package><name>x</metadata>").is_err());
    }

    #[test]
    fn hostile_text_is_kept_as_text() {
        let hostile = PRIMARY.replace("<name>packit</name>", "<name>&lt;script&gt;alert(1)&lt;/script&gt;</name>");
        assert_eq!(primary(&hostile).unwrap()[0].name, "<script>alert(1)</script>");
        let huge = PRIMARY.replace(
            "<summary>A tool &amp; a service</summary>",
            &format!("<summary>{}</summary>", "x".repeat(MAX_EVENT_BYTES + 1)),
        );
        assert!(primary(&huge).is_err());
    }

    #[test]
    fn every_compression_is_read() {
        use std::io::Write;
        let plain = FILELISTS.as_bytes();
        let zstd = zstd::encode_all(plain, 3).unwrap();
        let mut xz = xz2::write::XzEncoder::new(Vec::new(), 6);
        xz.write_all(plain).unwrap();
        let xz = xz.finish().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(plain).unwrap();
        let gz = gz.finish().unwrap();
        for (compression, bytes) in [(Compression::Zstd, zstd), (Compression::Xz, xz), (Compression::Gzip, gz)] {
            let mut n = 0;
            read_filelists(compression.decoder(&bytes[..]).unwrap(), |_| {
                n += 1;
                true
            })
            .unwrap();
            assert_eq!(n, 1, "{compression:?}");
            // Cut in the middle, the stream fails instead of ending early.
            let cut = &bytes[..bytes.len() / 2];
            let outcome = compression
                .decoder(cut)
                .map_err(|e| ParseError(e.to_string()))
                .and_then(|d| read_filelists(d, |_| true));
            assert!(outcome.is_err(), "{compression:?} cut");
        }
    }

    #[test]
    fn repositories_of_a_branch() {
        let rawhide = repos_of("rawhide", "x86_64").unwrap();
        assert_eq!(rawhide[0].path, "development/rawhide/Everything/x86_64/os");
        let f42 = repos_of("f42", "x86_64").unwrap();
        assert_eq!(f42.len(), 6);
        assert_eq!(f42[2].path, "updates/testing/42/Everything/x86_64");
        assert!(f42[5].source);
        assert!(repos_of("epel9", "x86_64").is_none());
        assert!(repos_of("f../x", "x86_64").is_none());
        assert_eq!(branch_of_repo("f42-updates-testing").as_deref(), Some("f42"));
        assert_eq!(branch_of_repo("rawhide").as_deref(), Some("rawhide"));
        assert_eq!(branch_of_repo("src_f41-updates").as_deref(), Some("f41"));
        assert_eq!(branch_of_repo("epel9"), None);
    }

    #[test]
    fn source_names_from_rpm_file_names() {
        assert_eq!(source_name("python-requre-0.8.6-1.fc43.src.rpm").as_deref(), Some("python-requre"));
        assert_eq!(source_name("gtk+-2.24-1.fc42.src.rpm").as_deref(), Some("gtk+"));
        assert_eq!(source_name("nonsense"), None);
    }
}
