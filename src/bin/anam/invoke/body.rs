//! A command's JSON body as the user gave it: read from `--body-file` (a file, or stdin for
//! `-`; bounded, checked to be JSON), its members kept in their order and text, and why it does
//! not match the operation's body type.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::output::InputError;

/// The largest body file read, so a mistaken `--body-file /dev/zero` ends with an error.
const BODY_FILE_LIMIT: u64 = 16 * 1024 * 1024;

/// Why `body` does not decode as `B`: the path of the first bad value and what is wrong with it.
pub(super) fn mismatch<B: DeserializeOwned>(body: Value, name: &str) -> InputError {
    match serde_path_to_error::deserialize::<_, B>(body) {
        Ok(_) => InputError(format!("the body does not match {name}")),
        Err(error) => {
            let reason = anam::DecodeError::reason_of(error.inner());
            match error.path().to_string().as_str() {
                "." => InputError(format!("the body does not match {name}: {reason}")),
                path => InputError(format!(
                    "the body does not match {name} at `{path}`: {reason}"
                )),
            }
        }
    }
}

/// A JSON object's members in their order, each value's text as written.
pub(super) struct Entries(pub(super) Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// `entries` as one compact JSON object, each value's text as it is.
pub(super) fn object_text(entries: &[(String, Box<RawValue>)]) -> Vec<u8> {
    let mut text = Vec::from(*b"{");
    for (index, (key, value)) in entries.iter().enumerate() {
        if index > 0 {
            text.push(b',');
        }
        // A `String` always encodes.
        text.extend(serde_json::to_vec(key).unwrap_or_default());
        text.push(b':');
        text.extend_from_slice(value.get().as_bytes());
    }
    text.push(b'}');
    text
}

/// `--body-file`'s JSON text, checked to be JSON: from the file, or stdin for `-`.
pub(super) fn read_body(path: &str) -> Result<Vec<u8>, InputError> {
    let (name, source): (String, Box<dyn Read>) = if path == "-" {
        ("standard input".into(), Box::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(Path::new(path))
            .map_err(|e| InputError(format!("cannot read the body file {path}: {e}")))?;
        (path.to_string(), Box::new(file))
    };
    let mut bytes = Vec::new();
    source
        .take(BODY_FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError(format!("cannot read the body from {name}: {e}")))?;
    if bytes.len() as u64 > BODY_FILE_LIMIT {
        return Err(InputError(format!(
            "the body in {name} is larger than {} MiB",
            BODY_FILE_LIMIT / (1024 * 1024)
        )));
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
        Ok(_) => Ok(bytes),
        Err(error) => {
            let reason = anam::DecodeError::reason_of(&error);
            Err(InputError(format!(
                "the body in {name} is not JSON: {reason} at line {}, column {}",
                error.line(),
                error.column()
            )))
        }
    }
}
