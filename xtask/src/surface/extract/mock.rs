//! The httpmock helpers: the `MockServerExt` trait and its method per operation.

use std::collections::BTreeMap;

use crate::codegen::httpmock;
use crate::surface::rust_type::{bounds, is_pub, render};
use crate::surface::{MockHelper, MockTrait};

/// The methods of the mock helper trait by the request builder of their operation (the name
/// of their `When` wrapper without `When`), and the trait itself.
pub(super) fn mock_helpers(
    items: &[syn::Item],
) -> (BTreeMap<String, MockHelper>, Option<MockTrait>) {
    let Some(trait_item) = items.iter().find_map(|item| match item {
        syn::Item::Trait(item) if item.ident == httpmock::TRAIT_NAME && is_pub(&item.vis) => {
            Some(item)
        }
        _ => None,
    }) else {
        return (BTreeMap::new(), None);
    };
    let sealed = trait_item.supertraits.iter().any(|bound| {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return false;
        };
        let mut segments = bound.path.segments.iter();
        let (Some(module), Some(_)) = (segments.next(), segments.next()) else {
            return false;
        };
        items.iter().any(|item| {
            matches!(item, syn::Item::Mod(found)
                if found.ident == module.ident && matches!(found.vis, syn::Visibility::Inherited))
        })
    });
    let mut helpers = BTreeMap::new();
    for member in &trait_item.items {
        let syn::TraitItem::Fn(function) = member else {
            continue;
        };
        let Some((when, then)) = closure_inputs(&function.sig.generics) else {
            continue;
        };
        let Some(builder) = when
            .rsplit("::")
            .next()
            .and_then(|name| name.strip_suffix("When"))
            .map(str::to_string)
        else {
            continue;
        };
        let helper = MockHelper {
            method: function.sig.ident.to_string(),
            when,
            then,
        };
        helpers.insert(builder, helper);
    }
    let mock_trait = MockTrait {
        name: trait_item.ident.to_string(),
        sealed,
    };
    (helpers, Some(mock_trait))
}

/// The two argument types of the `F: FnOnce(When, Then)` bound of a mock helper, rendered.
fn closure_inputs(generics: &syn::Generics) -> Option<(String, String)> {
    bounds(generics).find_map(|bound| {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let segment = bound.path.segments.last()?;
        let syn::PathArguments::Parenthesized(arguments) = &segment.arguments else {
            return None;
        };
        let mut inputs = arguments.inputs.iter();
        match (inputs.next(), inputs.next(), inputs.next()) {
            (Some(when), Some(then), None) => Some((render(&when.ty), render(&then.ty))),
            _ => None,
        }
    })
}
