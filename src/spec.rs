//! What the upstream OpenAPI document declares, as data: every operation, whether it is
//! generated or hand-written, and the error responses it documents.

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
            Self::Trace => "TRACE",
        }
    }
}

/// One operation of the upstream document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// `operationId`.
    pub id: &'static str,
    /// The generated method's name (`operationId` in snake_case).
    pub rust_method: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/v1/sessions/{id}/transcript`.
    pub path: &'static str,
    /// The spec's tag (resource group).
    pub tag: &'static str,
    /// The spec's summary.
    pub summary: &'static str,
    /// True if progenitor generated a method for it.
    pub generated: bool,
    /// Request media types progenitor cannot send, implemented by hand in the facade.
    pub hand_written_media_types: &'static [&'static str],
    /// The largest `perPage` the API allows, for paginated list operations that declare one.
    pub max_page_size: Option<u64>,
    /// The error responses the spec documents for it.
    pub documented_errors: &'static [DocumentedError],
}

/// An error response the spec documents for an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentedError {
    /// Status code as the spec writes it (`"404"`).
    pub status: &'static str,
    /// The spec's description of it.
    pub description: &'static str,
    /// The component schema of its JSON body, when the spec names one.
    pub schema: Option<&'static str>,
}

/// Every operation of the vendored spec, in document order.
pub const OPERATIONS: &[Operation] = &crate::raw::spec_table::OPERATIONS;

/// The operation with this `operationId`.
pub fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id)
}

/// The operation whose generated method is named `method` (`get_session_transcript`); the
/// generated client reports operations to its hooks by this name.
pub fn operation_by_method(method: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.rust_method == method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_name_maps_back_to_its_operation() {
        for op in OPERATIONS {
            assert_eq!(
                operation_by_method(op.rust_method).map(|o| o.id),
                Some(op.id)
            );
        }
        assert_eq!(
            operation("getSessionTranscript").map(|op| op.rust_method),
            Some("get_session_transcript")
        );
    }
}
