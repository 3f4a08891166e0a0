//! Code for open enums: a variant per documented value plus `Unknown(String)` that keeps any
//! other value, with string (de)serialisation, `Display`, `FromStr` and a JSON Schema.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::decoding::OpenEnum;

/// Name of the catch-all variant.
const UNKNOWN: &str = "Unknown";

/// Rust variant names for `values`: PascalCase, unique, never `Unknown`, never starting with a
/// digit, `Empty` for the empty string.
pub fn variant_names(values: &[String]) -> Vec<String> {
    let mut taken = BTreeSet::from([UNKNOWN.to_string()]);
    values
        .iter()
        .map(|value| {
            let mut base = heck::ToPascalCase::to_pascal_case(value.as_str());
            if base.is_empty() {
                base = "Empty".into();
            }
            if base.starts_with(|c: char| c.is_ascii_digit()) {
                base = format!("V{base}");
            }
            if base == UNKNOWN {
                base = "UnknownValue".into();
            }
            let mut name = base.clone();
            let mut suffix = 1;
            while !taken.insert(name.clone()) {
                suffix += 1;
                name = format!("{base}{suffix}");
            }
            name
        })
        .collect()
}

/// The items (type and impls) of one open enum.
pub fn tokens(open: &OpenEnum) -> TokenStream {
    let name = format_ident!("{}", open.name);
    let variants: Vec<_> = variant_names(&open.values)
        .iter()
        .map(|v| format_ident!("{v}"))
        .collect();
    let values = &open.values;
    let summary = open
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}` values.", open.name));
    let open_doc = format!(
        " Open enum: values the spec lists have variants; any other value the server sends is kept \
         in [`{}::Unknown`], so a new value never fails a response.",
        open.name
    );
    let variant_docs = values.iter().map(|v| format!(" `{v}`"));
    let schema_description = summary.clone();
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = #open_doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            /// A value this version of the crate does not know, kept verbatim.
            Unknown(::std::string::String),
        }

        impl #name {
            /// Every value the spec lists, in the spec's order.
            pub const KNOWN: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// True for a value the spec does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::open_enum::deserialize(deserializer)
            }
        }

        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!(#name))
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    "description": #schema_description,
                    "anyOf": [
                        { "type": "string", "enum": [#(#values),*] },
                        { "type": "string" }
                    ]
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(values: &[&str]) -> Vec<String> {
        variant_names(&values.iter().map(|v| v.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn variant_names_are_pascal_case_and_unique() {
        assert_eq!(
            names(&["user", "us-east", "SERVER_RAG", "end_call"]),
            ["User", "UsEast", "ServerRag", "EndCall"]
        );
        assert_eq!(
            names(&["a-b", "a_b", "unknown", "", "3d"]),
            ["AB", "AB2", "UnknownValue", "Empty", "V3d"]
        );
    }

    #[test]
    fn tokens_contain_the_catch_all_and_every_value() {
        let code = tokens(&OpenEnum {
            name: "Role".into(),
            values: vec!["user".into()],
            description: None,
        })
        .to_string();
        assert!(
            code.contains("Unknown (:: std :: string :: String)"),
            "{code}"
        );
        assert!(code.contains("\"user\" => Self :: User"), "{code}");
        assert!(code.contains("non_exhaustive"));
    }
}
