//! `anam auth login|status|logout`: a key stored per profile (see `config`), and which key a
//! command would use and why (see `context`).

use std::io::{IsTerminal, Read};

use anam::ApiKey;
use clap::Subcommand;

use crate::config;
use crate::context::{self, Target};
use crate::output::{EXIT_FAILED, EXIT_OK, InputError, Io, Outcome};

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Store an API key for a profile (--profile, else `default`), with --base-url if given.
    ///
    /// The key is read from a hidden prompt on a terminal, else from standard input (`anam
    /// auth login < key.txt`), never from the command line. It is stored in
    /// $XDG_CONFIG_HOME/anam/credentials.json (else ~/.config/anam/), mode 0600 in a 0700
    /// directory.
    #[command(after_help = "Examples:
  anam auth login                                      # asks for the key
  anam auth login --check < key.txt
  anam auth login --profile staging --base-url https://staging.example < staging-key.txt")]
    Login {
        /// Check the key with one cheap call (GET /v1/sessions/concurrency) before storing
        /// it; a key the API refuses is not stored.
        #[arg(long)]
        check: bool,
    },
    /// Which key a command would use, where it comes from, masked, and the stored profiles.
    Status,
    /// Remove the stored key of the profile (--profile, else `default`).
    Logout,
}

/// Runs one `auth` command.
pub async fn run(command: AuthCommand, target: Target<'_>, io: Io) -> Outcome {
    match command {
        AuthCommand::Login { check } => login(check, target).await,
        AuthCommand::Status => status(target, io),
        AuthCommand::Logout => logout(target),
    }
}

async fn login(check: bool, target: Target<'_>) -> Outcome {
    let key = read_key()?;
    let profile = target.profile_name().to_string();
    if check {
        let client = context::client_for(key.clone(), target.base_url, &target)?;
        // Any 2xx accepts the key, even a body off the spec (`with_raw` keeps it undecoded).
        match client.sessions().concurrency().with_raw().await {
            Ok(_) => crate::output::note("note: the API accepted the key"),
            Err(error) => {
                crate::output::note("error: the key was not stored");
                return Err(error.into());
            }
        }
    }
    let path = config::path()?;
    let mut stored = config::load(&path, true)?;
    stored.profiles.insert(
        profile.clone(),
        config::Profile {
            api_key: key.expose().to_string(),
            base_url: target.base_url.map(str::to_owned),
        },
    );
    config::save(&path, &stored)?;
    crate::output::note(&format!(
        "stored the key ({}) of profile `{profile}` in {}",
        context::masked(&key),
        path.display()
    ));
    Ok(EXIT_OK)
}

/// The key: a hidden prompt on a terminal, else standard input, trimmed.
fn read_key() -> Result<ApiKey, Box<dyn std::error::Error + Send + Sync>> {
    let text = if std::io::stdin().is_terminal() {
        crate::secret::read_hidden_line("API key (input hidden): ")?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .take(64 * 1024)
            .read_to_string(&mut text)
            .map_err(|e| InputError(format!("cannot read the key from standard input: {e}")))?;
        text
    };
    let key = text.trim();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return Err(Box::new(InputError(
            "no key read (give it on standard input, one line); nothing was stored".into(),
        )));
    }
    Ok(ApiKey::new(key))
}

fn status(target: Target<'_>, io: Io) -> Outcome {
    let resolved = match target.mock {
        true => None,
        false => context::resolve(&target)?,
    };
    let path = config::path()?;
    let profiles: Vec<String> = config::load(&path, true)
        .map(|stored| stored.profiles.into_keys().collect())
        .unwrap_or_default();
    let (source, key, base_url) = match (&resolved, target.mock) {
        (_, true) => ("the built-in mock server (--mock)".to_string(), None, None),
        (Some(credentials), _) => (
            credentials.source.to_string(),
            Some(context::masked(&credentials.key)),
            credentials.base_url.clone(),
        ),
        (None, _) => ("none".to_string(), None, None),
    };
    let base_url = base_url.unwrap_or_else(|| anam::DEFAULT_BASE_URL.to_string());
    if io.machine() {
        io.print(&serde_json::json!({
            "source": source,
            "key": key,
            "baseUrl": base_url,
            "credentialsFile": path,
            "profiles": profiles,
        }))?;
    } else {
        io.line(&format!("key:      {}", key.as_deref().unwrap_or("none")))?;
        io.line(&format!("from:     {source}"))?;
        io.line(&format!("base URL: {base_url}"))?;
        io.line(&format!(
            "stored:   {} ({})",
            path.display(),
            match profiles.is_empty() {
                true => "no profiles".to_string(),
                false => format!("profiles: {}", profiles.join(", ")),
            }
        ))?;
    }
    if resolved.is_none() && !target.mock {
        crate::output::note(&format!("error: {}", context::no_key(&target)));
        return Ok(EXIT_FAILED);
    }
    Ok(EXIT_OK)
}

fn logout(target: Target<'_>) -> Outcome {
    let path = config::path()?;
    let mut stored = config::load(&path, true)?;
    let profile = target.profile_name();
    if stored.profiles.remove(profile).is_none() {
        return Err(Box::new(InputError(format!(
            "no profile `{profile}` is stored in {}",
            path.display()
        ))));
    }
    config::save(&path, &stored)?;
    crate::output::note(&format!(
        "removed the key of profile `{profile}` from {}",
        path.display()
    ));
    Ok(EXIT_OK)
}
