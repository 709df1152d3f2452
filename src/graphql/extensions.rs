//! Gives the library's own errors a stable `extensions.code` once a request has run: parse
//! failures `GRAPHQL_PARSE_FAILED`, validation failures (unknown fields, depth or complexity
//! limits, bad variable values) `GRAPHQL_VALIDATION_FAILED`, any other error without a code
//! (an argument the library could not read, say) `BAD_USER_INPUT`.
//!
//! This is done on the response rather than by a schema extension: with any extension
//! registered, the library builds a `ResolveInfo` (a registry lookup and type names) for
//! every field and list item it resolves, which cost a public page of 20 entities a third
//! of its server time.

use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};

pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

/// The code of `error`, if it has one.
pub fn code_of(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(code) => Some(code.as_str()),
        _ => None,
    }
}

/// Codes the errors of `response` that have none. `document_lisible`: whether the request's
/// document parsed (`Request::parsed_query`, checked before it ran). A validation error is
/// one that came with no data and no path: anything the executor raises has the path of
/// its field.
pub fn coder(response: &mut Response, document_lisible: bool) {
    let sans_donnees = response.data == Value::Null;
    for error in &mut response.errors {
        if code_of(error).is_some() {
            continue;
        }
        let code = if !document_lisible {
            PARSE_FAILED
        } else if sans_donnees && error.path.is_empty() {
            VALIDATION_FAILED
        } else {
            "BAD_USER_INPUT"
        };
        error
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("code", code);
    }
}
