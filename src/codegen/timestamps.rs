//! Timestamps serialised in one piece. chrono's `Serialize` for `DateTime` writes through
//! `collect_str`, which serde_json escapes fragment by fragment (a dozen fragments a
//! timestamp): in a transcript's JSON that was a third of the time. This rule points every
//! `DateTime<Utc>` and `Option<DateTime<Utc>>` field of the generated types at
//! `crate::timestamp`, which formats the same RFC 3339 text with chrono first and writes it as
//! one string. Decoding is untouched.

use quote::ToTokens;

/// The module the generated fields are pointed at (hand-written, in the library).
pub const MODULE: &str = "crate::timestamp";

/// Adds `#[serde(serialize_with = ...)]` to every timestamp field of every struct in the
/// `types` module; returns how many fields it changed.
pub fn serialize_in_one_piece(file: &mut syn::File) -> usize {
    let Some(items) = super::module_items_mut(file, "types") else {
        return 0;
    };
    let mut changed = 0;
    for item in items {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        for field in item.fields.iter_mut() {
            let function = match kind(&field.ty) {
                Some(Kind::Plain) => "serialize",
                Some(Kind::Optional) => "serialize_option",
                None => continue,
            };
            let path = format!("{MODULE}::{function}");
            field
                .attrs
                .push(syn::parse_quote!(#[serde(serialize_with = #path)]));
            changed += 1;
        }
    }
    changed
}

enum Kind {
    Plain,
    Optional,
}

const UTC: &str = "::chrono::DateTime<::chrono::offset::Utc>";

fn kind(ty: &syn::Type) -> Option<Kind> {
    let text: String = ty
        .to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if text == UTC {
        Some(Kind::Plain)
    } else if text == format!("::std::option::Option<{UTC}>") {
        Some(Kind::Optional)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_fields_and_only_they_are_pointed_at_the_module() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Session {
                    #[serde(rename = "startTime", skip_serializing_if = "::std::option::Option::is_none")]
                    pub start_time: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                    pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
                    pub day: ::std::option::Option<::chrono::naive::NaiveDate>,
                    pub name: ::std::string::String,
                }
            }
        };
        assert_eq!(serialize_in_one_piece(&mut file), 2);
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains("serialize_with = \"crate::timestamp::serialize_option\""),
            "{code}"
        );
        assert!(
            code.contains("serialize_with = \"crate::timestamp::serialize\""),
            "{code}"
        );
        assert_eq!(code.matches("serialize_with").count(), 2, "{code}");
    }
}
