//! The outline of the OpenAPI document that the docs page renders.
use serde::{Deserialize, Serialize};

/// The public API in words, as the docs page (`/api`) shows it: drawn
/// from the OpenAPI document (`openapi::reference`), so the page and the
/// document never differ.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiReference {
    pub title: String,
    pub version: String,
    pub description: String,
    pub operations: Vec<Operation>,
    pub schemas: Vec<SchemaDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub parameters: Vec<Parameter>,
    pub responses: Vec<ResponseDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    /// `path` or `query`.
    pub location: String,
    pub required: bool,
    /// The type in short, e.g. `string`, `integer`.
    pub kind: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseDoc {
    pub status: String,
    pub description: String,
    /// The schema's name, when the answer has a body.
    pub schema: Option<String>,
}

/// One schema: an object's fields, or a short type for the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    /// For schemas without fields (enums): the type in short.
    pub kind: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub kind: String,
    pub required: bool,
    pub description: String,
}
