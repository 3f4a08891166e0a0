//! The four sub-clients whose tags are plain CRUD over one resource (list, create, get,
//! update, delete): personas, LLM configurations, tools and share links. One macro writes
//! them, so they cannot drift apart.

use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types;

use super::with_id;

macro_rules! crud_sub_client {
    (
        $(#[$doc:meta])*
        $name:ident at $path:literal, items $item:ident {
            list: $list:ident / $List:ident,
            create: $create:ident / $Create:ident ($CreateBody:ident),
            get: $get:ident / $Get:ident,
            update: $update:ident / $Update:ident ($UpdateBody:ident),
            delete: $delete:ident / $Delete:ident,
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name<'a> {
            raw: &'a crate::raw::Client,
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { raw: client.raw() }
            }

            #[doc = concat!("`GET ", $path, "`: one page, with its `meta`.")]
            pub fn list(&self) -> Request<'a, builder::$List<'a>> {
                Request::new(self.raw.$list())
            }

            /// Every item, page after page.
            pub fn list_all(&self) -> crate::pagination::ItemStream<'a, types::$item> {
                self.list().into_stream()
            }

            #[doc = concat!("`POST ", $path, "`.")]
            pub fn create(&self, body: types::$CreateBody) -> Request<'a, builder::$Create<'a>> {
                Request::new(self.raw.$create().body(body))
            }

            #[doc = concat!("`GET ", $path, "/{id}`.")]
            pub fn get(&self, id: impl IntoId) -> Request<'a, builder::$Get<'a>> {
                with_id(id, |id| self.raw.$get().id(id))
            }

            #[doc = concat!("`PUT ", $path, "/{id}`.")]
            pub fn update(
                &self,
                id: impl IntoId,
                body: types::$UpdateBody,
            ) -> Request<'a, builder::$Update<'a>> {
                with_id(id, |id| self.raw.$update().id(id).body(body))
            }

            #[doc = concat!("`DELETE ", $path, "/{id}`.")]
            pub fn delete(&self, id: impl IntoId) -> Request<'a, builder::$Delete<'a>> {
                with_id(id, |id| self.raw.$delete().id(id))
            }
        }
    };
}

crud_sub_client! {
    /// Personas: `client.personas()`.
    Personas at "/v1/personas", items PersonaSummary {
        list: list_personas / ListPersonas,
        create: create_persona / CreatePersona (CreatePersonaBody),
        get: get_persona / GetPersona,
        update: update_persona / UpdatePersona (UpdatePersonaBody),
        delete: delete_persona / DeletePersona,
    }
}

crud_sub_client! {
    /// LLM configurations: `client.llms()`.
    Llms at "/v1/llms", items Llm {
        list: list_llms / ListLlms,
        create: create_llm / CreateLlm (CreateLlmBody),
        get: get_llm / GetLlm,
        update: update_llm / UpdateLlm (UpdateLlmBody),
        delete: delete_llm / DeleteLlm,
    }
}

crud_sub_client! {
    /// Tools personas can call: `client.tools()`.
    Tools at "/v1/tools", items Tool {
        list: list_tools / ListTools,
        create: create_tool / CreateTool (CreateToolBody),
        get: get_tool / GetTool,
        update: update_tool / UpdateTool (UpdateToolBody),
        delete: delete_tool / DeleteTool,
    }
}

crud_sub_client! {
    /// Share links: `client.share_links()`.
    ShareLinks at "/v1/share-links", items PersonaShareLink {
        list: list_share_links / ListShareLinks,
        create: create_share_link / CreateShareLink (CreateShareLinkBody),
        get: get_share_link / GetShareLink,
        update: update_share_link / UpdateShareLink (UpdateShareLinkBody),
        delete: delete_share_link / DeleteShareLink,
    }
}
