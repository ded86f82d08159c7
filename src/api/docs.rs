//! `/api`: the public API in words, drawn from its OpenAPI document and
//! rendered on the server only: plain HTML with the site's stylesheet and
//! no script at all, so the site's Content-Security-Policy has nothing to
//! allow and the browser bundle nothing to carry.
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use leptos::prelude::*;
use leptos_meta::HashedStylesheet;

use super::conditional;
use super::reference::{ApiReference, Operation, SchemaDoc};

/// Where the machine-readable description lives.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

const DESCRIPTION: &str =
    "The Fedora Packages JSON API: packages, tabs, events, search and suggestions, described by OpenAPI 3.1.";

pub async fn page(State(options): State<LeptosOptions>, headers: HeaderMap) -> Response {
    conditional::respond(&headers, StatusCode::OK, "text/html; charset=utf-8", conditional::HOURLY, render(&options))
}

/// The whole document.
pub fn render(options: &LeptosOptions) -> String {
    let reference = super::openapi::reference();
    Owner::new().with(|| {
        let stylesheet = view! { <HashedStylesheet options=options.clone() id="leptos"/> }.to_html();
        let body = view! { <Reference reference/> }.to_html();
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
             <title>API — Fedora Packages</title><meta name=\"description\" content=\"{DESCRIPTION}\"/>\
             <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"/>\
             <link rel=\"search\" type=\"application/opensearchdescription+xml\" title=\"Fedora Packages\" href=\"/opensearch.xml\"/>\
             <link rel=\"alternate\" type=\"application/json\" href=\"{OPENAPI_PATH}\"/>{stylesheet}</head>\
             <body><header class=\"site-header\"><a class=\"site-name\" href=\"/\">Fedora Packages</a></header>\
             <main class=\"api-docs\">{body}</main></body></html>"
        )
    })
}

/// The whole reference: introduction, operations, schemas.
#[component]
pub fn Reference(reference: ApiReference) -> impl IntoView {
    let operations = reference.operations.into_iter().map(|op| view! { <OperationDoc op/> }).collect_view();
    let schemas = reference.schemas.into_iter().map(|s| view! { <SchemaEntry schema=s/> }).collect_view();
    view! {
        <h1>{reference.title} " " <small>"version " {reference.version}</small></h1>
        <p>{reference.description}</p>
        <p>
            "Machine-readable: " <a href=OPENAPI_PATH>{OPENAPI_PATH}</a>
            " (OpenAPI 3.1). Every path below is relative to this site."
        </p>
        <h2>"Endpoints"</h2>
        {operations}
        <h2>"Schemas"</h2>
        {schemas}
    }
}

#[component]
fn OperationDoc(op: Operation) -> impl IntoView {
    let params = (!op.parameters.is_empty()).then(|| {
        let rows = op
            .parameters
            .into_iter()
            .map(|p| {
                view! {
                    <tr>
                        <td><code>{p.name}</code></td>
                        <td>{p.location}</td>
                        <td>{p.kind}</td>
                        <td>{if p.required { "yes" } else { "no" }}</td>
                        <td>{p.description}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="api-table">
                    <caption>"Parameters"</caption>
                    <thead><tr><th>"Name"</th><th>"In"</th><th>"Type"</th><th>"Required"</th><th>"Description"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let responses = op
        .responses
        .into_iter()
        .map(|r| {
            let schema = r.schema.map(|s| {
                let anchor = format!("#schema-{}", first_name(&s));
                view! { " — " <a href=anchor>{s}</a> }
            });
            view! { <li><strong>{r.status}</strong> " " {r.description} {schema}</li> }
        })
        .collect_view();
    view! {
        <section class="api-operation">
            <h3><span class="api-method">{op.method}</span> " " <code>{op.path}</code></h3>
            <p>{op.summary}</p>
            <p>{op.description}</p>
            {params}
            <h4>"Responses"</h4>
            <ul>{responses}</ul>
        </section>
    }
}

#[component]
fn SchemaEntry(schema: SchemaDoc) -> impl IntoView {
    let fields = (!schema.fields.is_empty()).then(|| {
        let rows = schema
            .fields
            .into_iter()
            .map(|f| {
                view! {
                    <tr>
                        <td><code>{f.name}</code></td>
                        <td>{f.kind}</td>
                        <td>{if f.required { "yes" } else { "no" }}</td>
                        <td>{f.description}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="api-table">
                    <caption>"Fields"</caption>
                    <thead><tr><th>"Field"</th><th>"Type"</th><th>"Required"</th><th>"Description"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let kind = (!schema.kind.is_empty()).then(|| view! { <p>"One of: " <code>{schema.kind}</code></p> });
    let id = format!("schema-{}", schema.name);
    view! {
        <section class="api-schema" id=id>
            <h3><code>{schema.name}</code></h3>
            <p>{schema.description}</p>
            {kind}
            {fields}
        </section>
    }
}

/// The first schema named in a short type (`Overview | null` → `Overview`).
fn first_name(kind: &str) -> &str {
    kind.split(" | ").next().unwrap_or(kind)
}
