//! The pages' resources. A value the server reads reaches the browser in
//! two ways: serialized into the page, for hydration, and as a server
//! function's answer, on later reads. Leptos's default codec decodes the
//! first from a `&str` and the server functions decode the second from
//! bytes, and serde_json compiles each payload type's decoder once per kind
//! of input: every decoder twice in the bundle. [`JsonBytes`] decodes the
//! page's copy from bytes too, so each is compiled once.
use std::future::Future;

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// JSON, as Leptos's default, decoded from bytes as server functions do.
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(json.as_bytes())
    }
}

/// A resource of a page, with [`JsonBytes`].
pub type PageResource<T> = Resource<T, JsonBytes>;

/// `Resource::new`, with [`JsonBytes`]: what every page uses.
pub fn page_resource<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> PageResource<T>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_it_encodes() {
        let value: Result<Vec<String>, String> = Ok(vec!["a\"b".into(), "ü".into()]);
        let json = <JsonBytes as Encoder<_>>::encode(&value).unwrap();
        let back: Result<Vec<String>, String> = <JsonBytes as Decoder<_>>::decode(&json).unwrap();
        assert_eq!(back, value);
        assert!(<JsonBytes as Decoder<Vec<String>>>::decode("[1]").is_err());
    }
}
