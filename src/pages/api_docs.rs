//! `/api`: the public API in words, drawn from its OpenAPI document. Plain
//! server-rendered HTML with the site's stylesheet: no third-party script,
//! nothing the site's Content-Security-Policy forbids.
use leptos::prelude::*;
use leptos_meta::{Link, Meta};

use crate::components::{set_status, ErrorPanel, PageTitle, SiteHeader};
use crate::error::AppError;
use crate::model::api_reference::{ApiReference, Operation, SchemaDoc};

/// Where the machine-readable description lives.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// The API's operations and schemas.
#[server(endpoint = "reference", input = server_fn::codec::GetUrl)]
pub async fn get_api_reference() -> Result<ApiReference, AppError> {
    Ok(crate::api::openapi::reference())
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let reference = Resource::new(|| (), |_| get_api_reference());
    view! {
        <PageTitle text="API — Fedora Packages".to_string()/>
        <Meta name="description" content="The Fedora Packages JSON API: packages, tabs, events, search and suggestions, described by OpenAPI 3.1."/>
        <Link rel="alternate" type_="application/json" href=OPENAPI_PATH/>
        <SiteHeader/>
        <main class="api-docs">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match reference.await {
                        Ok(r) => view! { <Reference reference=r/> }.into_any(),
                        Err(error) => {
                            set_status(500);
                            view! { <ErrorPanel error retry=move || reference.refetch()/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
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
