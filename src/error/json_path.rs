//! Where in a JSON document a decode error is: the path (`messages[1].role`) of the value that
//! serde_json's error position points at, found by scanning the text up to that position.
//!
//! serde_json reports a line and column with every error it can place. A type or value error
//! (`invalid type`, `unknown variant`, `missing field`) is raised once the offending value (or
//! the object missing a field) has been read, so the value that ends last before the position
//! is the one it is about. A syntax error is raised while reading, so its path is the container
//! being read. Doing this on the text, after the fact, keeps the decoding itself the plain
//! `serde_json::from_slice` that every decode shares: a second, path-tracking decode would be
//! compiled once per response type into every crate that sends requests.

/// One step of a path: a member of an object or an element of an array.
#[derive(Clone, Debug)]
enum Step {
    /// In an object: its current member's name, once read.
    Member(Option<String>),
    /// In an array: the index of its current element.
    Element(usize),
}

/// The path of the value the serde_json `error` in `body` is about, written as
/// `serde_path_to_error` writes paths (`items[1].count`, `.` for the whole document).
pub(crate) fn path_of(body: &[u8], error: &serde_json::Error) -> String {
    let Some(offset) = offset_of(body, error.line(), error.column()) else {
        return ".".into();
    };
    let data = error.classify() == serde_json::error::Category::Data;
    locate(&body[..offset], data, Names::AsWritten)
}

/// Like [`path_of`], for a body whose member names may be a user's own text (a webhook
/// tool's arguments, which an LLM wrote): a member name that is not a plain identifier
/// (ASCII letters, digits, `_`, `-`, `$`, at most 64 bytes) is written `?`, and the name of
/// an unknown field is left out (the path is the object holding it).
#[cfg(feature = "webhook")]
pub(crate) fn field_path_of(body: &[u8], error: &serde_json::Error) -> String {
    let Some(offset) = offset_of(body, error.line(), error.column()) else {
        return ".".into();
    };
    let data = error.classify() == serde_json::error::Category::Data;
    let unknown_field = data && error.to_string().starts_with("unknown field");
    let names = if unknown_field {
        Names::IdentifiersOnlyWithoutLast
    } else {
        Names::IdentifiersOnly
    };
    locate(&body[..offset], data, names)
}

/// How member names are written in a path.
#[derive(Clone, Copy, PartialEq)]
enum Names {
    /// As the body has them.
    AsWritten,
    /// Plain identifiers as written, anything else `?` (the webhook feature's paths).
    #[cfg_attr(not(feature = "webhook"), allow(dead_code))]
    IdentifiersOnly,
    /// The same, and the path of the object being read leaves out its current member.
    IdentifiersOnlyWithoutLast,
}

/// The byte offset of 1-based `line` and the `column` bytes read on it; `None` without one.
fn offset_of(body: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += body[start..].iter().position(|b| *b == b'\n')? + 1;
    }
    Some((start + column).min(body.len()))
}

/// Scans `read`, the text serde_json had read when it failed. For a data error, the path of
/// the last value that ended in it, unless a new member or element began after it (serde_json
/// stops before an object or array of the wrong type); otherwise the path being read.
fn locate(read: &[u8], data: bool, names: Names) -> String {
    let render = |steps: &[Step]| render(steps, names != Names::AsWritten);
    let mut steps: Vec<Step> = Vec::new();
    let mut last_ended: Option<String> = None;
    let mut i = 0;
    while i < read.len() {
        match read[i] {
            b'{' => steps.push(Step::Member(None)),
            b'[' => steps.push(Step::Element(0)),
            b'}' | b']' => {
                steps.pop();
                last_ended = Some(render(&steps));
            }
            // A new slot: an error from here on is about it, not the value before.
            b',' => match steps.last_mut() {
                Some(Step::Element(index)) => {
                    *index += 1;
                    last_ended = None;
                }
                Some(Step::Member(name)) => *name = None,
                None => {}
            },
            b'"' => {
                let Some(end) = string_end(read, i) else {
                    break;
                };
                let text = &read[i..end];
                match steps.last_mut() {
                    Some(Step::Member(name @ None)) => {
                        *name = Some(member_name(text));
                        last_ended = None;
                    }
                    _ => last_ended = Some(render(&steps)),
                }
                i = end;
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b':' => {}
            _ => {
                let end = read[i..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .map_or(read.len(), |n| i + n);
                if end < read.len() || data {
                    last_ended = Some(render(&steps));
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    match last_ended {
        Some(path) if data => path,
        _ => {
            if names == Names::IdentifiersOnlyWithoutLast
                && matches!(steps.last(), Some(Step::Member(Some(_))))
            {
                steps.pop();
            }
            render(&steps)
        }
    }
}

/// The offset just past the string starting at `start`, or `None` when it is cut off.
fn string_end(read: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < read.len() {
        match read[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// A member name from its quoted JSON text, escapes decoded.
fn member_name(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(&quoted[1..quoted.len() - 1]).into_owned())
}

/// `steps` as a path: `a.b[2].c`, or `.` for none; with `identifiers_only`, a member name
/// that is not a plain identifier is `?`.
fn render(steps: &[Step], identifiers_only: bool) -> String {
    let identifier = |name: &str| {
        !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$'))
    };
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Member(Some(name)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                if identifiers_only && !identifier(name) {
                    path.push('?');
                } else {
                    path.push_str(name);
                }
            }
            Step::Member(None) => {}
            Step::Element(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() { ".".into() } else { path }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        count: i64,
        role: Option<Role>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    enum Role {
        #[serde(rename = "user")]
        User,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        items: Vec<Item>,
        next: Option<String>,
    }

    /// The path this module finds, and the one `serde_path_to_error` finds decoding again.
    fn both(body: &str) -> (String, String) {
        let error = serde_json::from_str::<Page>(body).unwrap_err();
        let tracked = serde_path_to_error::deserialize::<_, Page>(
            &mut serde_json::Deserializer::from_str(body),
        )
        .unwrap_err();
        (path_of(body.as_bytes(), &error), tracked.path().to_string())
    }

    #[test]
    fn type_and_value_errors_name_the_value_as_a_path_tracking_decode_does() {
        for body in [
            r#"{"items":[{"count":1},{"count":"two"}]}"#,
            r#"{"items":[{"count":1.5}]}"#,
            r#"{"items":[{"count":1,"role":"admin"}]}"#,
            r#"{"items":[{"count":1},{"role":"user"}]}"#,
            r#"{"items":{}}"#,
            r#"{"next":7,"items":[]}"#,
            r#"{"next":null}"#,
            "{\n  \"items\": [\n    {\"count\": 1},\n    {\"count\": true}\n  ]\n}",
            r#"{"it\"ems":[],"items":[{"count":[1,2]}]}"#,
            r#"[]"#,
            r#"{"next":null,"items":{}}"#,
            r#"{"items":[{"count":1},[]]}"#,
        ] {
            let (found, tracked) = both(body);
            assert_eq!(found, tracked, "{body}");
        }
        assert_eq!(
            both(r#"{"items":[{"count":1},{"count":"two"}]}"#).0,
            "items[1].count"
        );
    }

    #[test]
    fn syntax_errors_name_the_container_being_read() {
        let path = |body: &str| {
            let error = serde_json::from_str::<Page>(body).unwrap_err();
            path_of(body.as_bytes(), &error)
        };
        assert_eq!(path(r#"{"items":[{"count":1},{"count":"#), "items[1].count");
        assert_eq!(path(r#"{"items":[{"count":1} {"#), "items[0]");
        assert_eq!(path(r#"{"items": [], "#), ".");
        assert_eq!(path(""), ".");
        assert_eq!(path("<html>"), ".");
    }
}
