use super::*;
use serde_json::json;

/// Books a table.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[allow(dead_code, reason = "only the schema is used")]
struct Booking {
    /// How many people.
    guests: u8,
    /// The day, `YYYY-MM-DD`.
    date: String,
    seating: Option<Seating>,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code, reason = "only the schema is used")]
enum Seating {
    Inside,
    Terrace,
}

#[test]
fn the_schema_of_a_sample_type_is_an_inlined_object_schema() {
    let schema = parameters_for::<Booking>("book").unwrap();
    assert_eq!(
        Value::Object(schema),
        json!({
            "title": "Booking",
            "description": "Books a table.",
            "type": "object",
            "properties": {
                "guests": {
                    "description": "How many people.",
                    "type": "integer",
                    "format": "uint8",
                    "minimum": 0,
                    "maximum": 255
                },
                "date": {"description": "The day, `YYYY-MM-DD`.", "type": "string"},
                "seating": {"type": ["string", "null"], "enum": ["inside", "terrace", null]}
            },
            "required": ["guests", "date"]
        })
    );
}

#[test]
fn a_type_that_is_not_an_object_is_refused() {
    assert_eq!(
        parameters_for::<String>("echo"),
        Err(ToolError::NotAnObject {
            tool: "echo".into(),
            found: "of type \"string\"".into()
        })
    );
}

#[test]
fn names_descriptions_and_urls_are_checked_when_the_tool_is_made() {
    let error = ClientTool::new::<Booking>("book a table", "Books.").unwrap_err();
    assert!(
        matches!(&error, ToolError::Invalid { field: "name", .. }),
        "{error:?}"
    );
    let error = ClientTool::new::<Booking>("book", "").unwrap_err();
    assert!(
        matches!(
            &error,
            ToolError::Invalid {
                field: "description",
                ..
            }
        ),
        "{error:?}"
    );
    let error = WebhookTool::new::<Booking>("book", "Books.", "ftp://example.com").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid url for tool `book`: the scheme is `ftp`, not http or https"
    );
    assert!(WebhookTool::new::<Booking>("book", "Books.", "not a url").is_err());
}
