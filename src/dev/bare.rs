//! `bare-serve`: the same bytes as a page, from memory, by a bare axum
//! server: the yardstick the page cache's hit path is measured against
//! (`bench/run pages`). Not listed in `help`.
use std::path::Path;

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::Router;

/// Serves `file`'s bytes as HTML at every path, until `stop`.
pub async fn serve(
    file: &Path,
    listener: tokio::net::TcpListener,
    stop: tokio_util::sync::CancellationToken,
) -> std::io::Result<()> {
    let body = Bytes::from(tokio::fs::read(file).await?);
    let app = Router::new().fallback(move || {
        let body = body.clone();
        async move { ([(CONTENT_TYPE, "text/html; charset=utf-8")], body) }
    });
    axum::serve(listener, app).with_graceful_shutdown(async move { stop.cancelled().await }).await
}
