//! Tools from Rust types: a client tool or a webhook tool whose `parameters` (the JSON Schema
//! the LLM fills in when it calls the tool) is generated from a type deriving
//! `serde::Deserialize` and `schemars::JsonSchema` (schemars 1).
//!
//! The schema is generated once, when the tool is made, and checked there against Anam's
//! limit: serialised as UTF-8 JSON it must be at most [`PARAMETERS_LIMIT`] (10,000) bytes, or
//! the API rejects the request. A larger schema is a [`ToolError::SchemaTooLarge`] naming the
//! size, before anything can be sent. One tool converts into both places Anam takes tools:
//!
//! - a saved tool, `anam.tools().create(tool.into())` ([`CreateToolBody`]);
//! - an inline tool of an ephemeral persona's session token
//!   ([`EphemeralPersonaConfigToolsItem`], the items of `EphemeralPersonaConfig::tools`).
//!
//! Each field goes where Anam reads it, also where the spec does not declare it yet (sent
//! through the types' `extra` maps): a saved webhook tool's `config.parameters` and
//! `config.awaitResponse`; an inline tool's `subtype`, `url`, `method`, `headers`,
//! `awaitResponse`, `awaitResult` and `disableInterruptions`.
//!
//! ```no_run
//! # async fn run(anam: &anam::Client) -> anam::Result<()> {
//! use anam::tools::{ClientTool, WebhookTool};
//! use anam::types::{CreateSessionTokenBody, EphemeralPersonaConfig};
//!
//! /// Look an order up by its number.
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! struct OrderLookup {
//!     /// The order number, as printed on the receipt.
//!     order_number: String,
//! }
//!
//! let lookup = WebhookTool::new::<OrderLookup>(
//!     "lookup_order",
//!     "Finds an order's status by its number.",
//!     "https://backend.example.com/tools/lookup-order",
//! )?
//! .header("x-backend-key", "…")
//! .await_response(true);
//!
//! // Saved in Anam, for personas made in the Lab:
//! let saved = anam.tools().create(lookup.clone().into()).await?;
//!
//! // Or inline, in one session token:
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! struct Page {
//!     path: String,
//! }
//! let open_page = ClientTool::new::<Page>("open_page", "Opens a page of the shop.")?;
//! let persona = EphemeralPersonaConfig::builder()
//!     .avatar_id(Some("avatar-id".to_string()))
//!     .voice_id(Some("voice-id".to_string()))
//!     .llm_id(Some("llm-id".to_string()))
//!     .tools(Some(vec![lookup.into(), open_page.into()]));
//! let token = anam
//!     .sessions()
//!     .create_token(CreateSessionTokenBody::ephemeral_persona(persona.try_into()?))
//!     .await?;
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::types::{
    ClientToolConfig, CreateToolBody, CreateToolBodyConfig, CreateToolBodyDescription,
    CreateToolBodyName, CreateToolBodyType, EphemeralPersonaConfigToolsItem,
    EphemeralPersonaConfigToolsItemDescription, EphemeralPersonaConfigToolsItemType,
    ServerWebhookToolConfig, ServerWebhookToolConfigMethod,
};

/// The most bytes a tool's `parameters` schema may take, serialised as UTF-8 JSON (the spec:
/// "Must serialize to 10,000 bytes or less").
pub const PARAMETERS_LIMIT: usize = 10_000;

/// Why a tool could not be made. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ToolError {
    /// The parameters schema is larger than Anam accepts.
    #[error(
        "the parameters schema of tool `{tool}` is {size} bytes serialised; Anam accepts at most {limit}"
    )]
    SchemaTooLarge {
        /// The tool's name.
        tool: String,
        /// The schema's size, serialised as UTF-8 JSON, in bytes.
        size: usize,
        /// [`PARAMETERS_LIMIT`].
        limit: usize,
    },
    /// The argument type's schema does not describe a JSON object (the LLM passes a tool's
    /// arguments as one); `found` is the schema's `type`, if any.
    #[error(
        "the parameters of tool `{tool}` must be a JSON object, but the type's schema is {found}"
    )]
    NotAnObject {
        /// The tool's name.
        tool: String,
        /// What the schema describes instead.
        found: String,
    },
    /// A name, description or URL the API would refuse.
    #[error("invalid {field} for tool `{tool}`: {reason}")]
    Invalid {
        /// The tool's name.
        tool: String,
        /// `name`, `description` or `url`.
        field: &'static str,
        /// Why.
        reason: String,
    },
}

impl From<ToolError> for crate::Error {
    fn from(error: ToolError) -> Self {
        Self::InvalidInput(error.to_string())
    }
}

/// The JSON Schema of `T` as a tool's `parameters`: draft 2020-12 without the `$schema` key,
/// subschemas inlined (a recursive type keeps its `$defs`), describing what `T` deserialises
/// from; refused when it is not an object schema or is larger than [`PARAMETERS_LIMIT`].
/// `tool` names the tool in the error.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Args {
///     city: String,
/// }
/// let schema = anam::tools::parameters_for::<Args>("weather")?;
/// assert_eq!(schema["required"], serde_json::json!(["city"]));
/// # Ok::<(), anam::tools::ToolError>(())
/// ```
pub fn parameters_for<T: JsonSchema + DeserializeOwned>(
    tool: &str,
) -> Result<Map<String, Value>, ToolError> {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.meta_schema = None;
    settings.inline_subschemas = true;
    settings.contract = schemars::generate::Contract::Deserialize;
    let schema = settings.into_generator().into_root_schema_for::<T>();
    let Value::Object(schema) = schema.to_value() else {
        return Err(ToolError::NotAnObject {
            tool: tool.to_string(),
            found: "a boolean schema".to_string(),
        });
    };
    match schema.get("type") {
        Some(Value::String(kind)) if kind == "object" => {}
        other => {
            return Err(ToolError::NotAnObject {
                tool: tool.to_string(),
                found: other.map_or_else(|| "untyped".to_string(), |t| format!("of type {t}")),
            });
        }
    }
    // `to_vec` of a map cannot fail: every key is a string.
    let size = serde_json::to_vec(&schema).map_or(usize::MAX, |bytes| bytes.len());
    if size > PARAMETERS_LIMIT {
        return Err(ToolError::SchemaTooLarge {
            tool: tool.to_string(),
            size,
            limit: PARAMETERS_LIMIT,
        });
    }
    Ok(schema)
}

/// What every tool has: a name, a description for the LLM and its checked parameters.
#[derive(Clone, Debug, PartialEq)]
struct Common {
    name: CreateToolBodyName,
    description: CreateToolBodyDescription,
    inline_description: EphemeralPersonaConfigToolsItemDescription,
    parameters: Map<String, Value>,
    disable_interruptions: Option<bool>,
}

impl Common {
    fn new<T: JsonSchema + DeserializeOwned>(
        name: String,
        description: String,
    ) -> Result<Self, ToolError> {
        let invalid = |field, reason: String| ToolError::Invalid {
            tool: name.clone(),
            field,
            reason,
        };
        // The spec states the pattern in prose only, so the generated type checks the length.
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        {
            return Err(invalid(
                "name",
                format!("{bad:?} is not one of [a-zA-Z0-9_.-]"),
            ));
        }
        let typed_name = CreateToolBodyName::try_from(name.as_str())
            .map_err(|e| invalid("name", e.to_string()))?;
        let typed_description = CreateToolBodyDescription::try_from(description.as_str())
            .map_err(|e| invalid("description", e.to_string()))?;
        let inline_description =
            EphemeralPersonaConfigToolsItemDescription::try_from(description.as_str())
                .map_err(|e| invalid("description", e.to_string()))?;
        Ok(Self {
            parameters: parameters_for::<T>(&name)?,
            name: typed_name,
            description: typed_description,
            inline_description,
            disable_interruptions: None,
        })
    }
}

/// A tool the browser SDK runs: the engine sends the call to the client, which answers it
/// (when [`await_result`](Self::await_result) is set) or just acts on it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientTool {
    common: Common,
    await_result: Option<bool>,
    timeout_seconds: Option<f64>,
}

impl ClientTool {
    /// A client tool called `name` (1–64 of `[a-zA-Z0-9_.-]`), described to the LLM by
    /// `description`, whose arguments are a `T`. Example in the [module documentation](self).
    pub fn new<T: JsonSchema + DeserializeOwned>(
        name: impl Into<String>,
        description: impl Into<String>,
    ) -> Result<Self, ToolError> {
        Ok(Self {
            common: Common::new::<T>(name.into(), description.into())?,
            await_result: None,
            timeout_seconds: None,
        })
    }

    /// Whether the engine waits for the client's result (`awaitResult`; Anam's default is
    /// fire-and-forget).
    pub fn await_result(mut self, wait: bool) -> Self {
        self.await_result = Some(wait);
        self
    }

    /// How long the engine waits for the result, in seconds (`toolTimeoutSeconds`, 1–600;
    /// Anam's default 10).
    pub fn timeout_seconds(mut self, seconds: f64) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }

    /// Whether the persona cannot be interrupted while the tool runs (`disableInterruptions`;
    /// Anam's default `false`).
    pub fn disable_interruptions(mut self, disable: bool) -> Self {
        self.common.disable_interruptions = Some(disable);
        self
    }

    /// The tool's name.
    pub fn name(&self) -> &str {
        &self.common.name
    }

    /// The parameters schema, as it is sent.
    pub fn parameters(&self) -> &Map<String, Value> {
        &self.common.parameters
    }
}

/// A tool Anam's servers run by calling a URL of yours: with `POST` (the default) the body is
/// the arguments object. The call comes from Anam, not the user's browser: protect the URL
/// (a secret header, or a signed URL).
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookTool {
    common: Common,
    url: String,
    method: ServerWebhookToolConfigMethod,
    headers: BTreeMap<String, String>,
    await_response: Option<bool>,
}

impl WebhookTool {
    /// A webhook tool called `name` (1–64 of `[a-zA-Z0-9_.-]`), described to the LLM by
    /// `description`, whose arguments are a `T`, calling `url` (`http` or `https`) with `POST`.
    /// Example in the [module documentation](self).
    pub fn new<T: JsonSchema + DeserializeOwned>(
        name: impl Into<String>,
        description: impl Into<String>,
        url: impl Into<String>,
    ) -> Result<Self, ToolError> {
        let common = Common::new::<T>(name.into(), description.into())?;
        let url = url.into();
        match url::Url::parse(&url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
            Ok(parsed) => {
                return Err(ToolError::Invalid {
                    tool: common.name.to_string(),
                    field: "url",
                    reason: format!("the scheme is `{}`, not http or https", parsed.scheme()),
                });
            }
            Err(error) => {
                return Err(ToolError::Invalid {
                    tool: common.name.to_string(),
                    field: "url",
                    reason: error.to_string(),
                });
            }
        }
        Ok(Self {
            common,
            url,
            method: ServerWebhookToolConfigMethod::Post,
            headers: BTreeMap::new(),
            await_response: None,
        })
    }

    /// The HTTP method Anam calls the URL with (default `POST`).
    pub fn method(mut self, method: ServerWebhookToolConfigMethod) -> Self {
        self.method = method;
        self
    }

    /// A header Anam sends with every call (a later value for the same name replaces it).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Whether the persona waits for the webhook's answer and reads it (`awaitResponse`).
    pub fn await_response(mut self, wait: bool) -> Self {
        self.await_response = Some(wait);
        self
    }

    /// Whether the persona cannot be interrupted while the tool runs (`disableInterruptions`;
    /// Anam's default `false`).
    pub fn disable_interruptions(mut self, disable: bool) -> Self {
        self.common.disable_interruptions = Some(disable);
        self
    }

    /// The tool's name.
    pub fn name(&self) -> &str {
        &self.common.name
    }

    /// The URL Anam calls.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The parameters schema, as it is sent.
    pub fn parameters(&self) -> &Map<String, Value> {
        &self.common.parameters
    }
}

/// Puts `value` under `key` when it is set.
fn put(extra: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(value) = value {
        extra.insert(key.to_string(), value.into());
    }
}

/// `{"type": "CLIENT", "name", "description", "disableInterruptions"?, "config":
/// {"parameters", "awaitResult"?, "toolTimeoutSeconds"?}}`.
impl From<ClientTool> for CreateToolBody {
    fn from(tool: ClientTool) -> Self {
        let config = ClientToolConfig {
            await_result: tool.await_result,
            parameters: Some(tool.common.parameters),
            tool_timeout_seconds: tool.timeout_seconds,
            ..Default::default()
        };
        CreateToolBody {
            config: Some(CreateToolBodyConfig::ClientToolConfig(config)),
            description: tool.common.description,
            disable_interruptions: tool.common.disable_interruptions,
            name: tool.common.name,
            type_: CreateToolBodyType::Client,
            extra: Map::new(),
        }
    }
}

/// `{"type": "client", "name", "description", "parameters", "awaitResult"?,
/// "toolTimeoutSeconds"?, "disableInterruptions"?}`.
impl From<ClientTool> for EphemeralPersonaConfigToolsItem {
    fn from(tool: ClientTool) -> Self {
        let mut extra = Map::new();
        put(&mut extra, "awaitResult", tool.await_result);
        put(&mut extra, "toolTimeoutSeconds", tool.timeout_seconds);
        put(
            &mut extra,
            "disableInterruptions",
            tool.common.disable_interruptions,
        );
        EphemeralPersonaConfigToolsItem {
            description: Some(tool.common.inline_description),
            name: tool.common.name.to_string(),
            parameters: Some(tool.common.parameters),
            type_: EphemeralPersonaConfigToolsItemType::Client,
            extra,
        }
    }
}

/// `{"type": "SERVER_WEBHOOK", "name", "description", "disableInterruptions"?, "config":
/// {"url", "method", "headers"?, "parameters", "awaitResponse"?}}`: `parameters` and
/// `awaitResponse` are not in the spec's `ServerWebhookToolConfig` and go through its `extra`.
impl From<WebhookTool> for CreateToolBody {
    fn from(tool: WebhookTool) -> Self {
        let mut extra = Map::new();
        extra.insert(
            "parameters".to_string(),
            Value::Object(tool.common.parameters),
        );
        put(&mut extra, "awaitResponse", tool.await_response);
        let headers: HashMap<String, String> = tool.headers.into_iter().collect();
        let config = ServerWebhookToolConfig {
            body_template: None,
            headers: (!headers.is_empty()).then_some(headers),
            method: tool.method,
            url: tool.url,
            extra,
        };
        CreateToolBody {
            config: Some(CreateToolBodyConfig::ServerWebhookToolConfig(config)),
            description: tool.common.description,
            disable_interruptions: tool.common.disable_interruptions,
            name: tool.common.name,
            type_: CreateToolBodyType::ServerWebhook,
            extra: Map::new(),
        }
    }
}

/// `{"type": "server", "subtype": "webhook", "name", "description", "parameters", "url",
/// "method", "headers"?, "awaitResponse"?, "disableInterruptions"?}`: everything past
/// `parameters` goes through the item's `extra` (the spec does not declare it; Anam's cookbook
/// sends it).
impl From<WebhookTool> for EphemeralPersonaConfigToolsItem {
    fn from(tool: WebhookTool) -> Self {
        let mut extra = Map::new();
        extra.insert("subtype".to_string(), Value::from("webhook"));
        extra.insert("url".to_string(), Value::from(tool.url));
        extra.insert("method".to_string(), Value::from(tool.method.to_string()));
        if !tool.headers.is_empty() {
            let headers: Map<String, Value> = tool
                .headers
                .into_iter()
                .map(|(name, value)| (name, Value::from(value)))
                .collect();
            extra.insert("headers".to_string(), Value::Object(headers));
        }
        put(&mut extra, "awaitResponse", tool.await_response);
        put(
            &mut extra,
            "disableInterruptions",
            tool.common.disable_interruptions,
        );
        EphemeralPersonaConfigToolsItem {
            description: Some(tool.common.inline_description),
            name: tool.common.name.to_string(),
            parameters: Some(tool.common.parameters),
            type_: EphemeralPersonaConfigToolsItemType::Server,
            extra,
        }
    }
}

#[cfg(test)]
mod tests;
