//! gzip and brotli, for the page cache (per rendered page) and for the
//! built assets (once, at build time).
use std::io::Write;

/// gzip at `level` (0–9); empty if compression failed.
pub fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level.min(9)));
    enc.write_all(data).and_then(|_| enc.finish()).unwrap_or_default()
}

/// brotli at `quality` (0–11); empty if compression failed.
pub fn brotli(data: &[u8], quality: i32) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: quality.clamp(0, 11), lgwin: 22, ..Default::default() };
    match brotli::BrotliCompress(&mut std::io::Cursor::new(data), &mut out, &params) {
        Ok(_) => out,
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn both_round_trip() {
        let data = b"<p>hello</p>".repeat(100);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&super::gzip(&data, 6)[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &super::brotli(&data, 5)[..], &mut back).unwrap();
        assert_eq!(back, data);
    }
}
