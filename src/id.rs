//! Path ids: anything that names a resource's UUID, checked before a request is built.

use uuid::Uuid;

use crate::{Error, Result};

/// A value usable as a resource id: a [`Uuid`] or its text form. Text that is not a UUID is
/// rejected with [`Error::InvalidInput`] before any request is sent.
pub trait IntoId {
    /// The id as a UUID.
    fn into_id(self) -> Result<Uuid>;
}

impl IntoId for Uuid {
    fn into_id(self) -> Result<Uuid> {
        Ok(self)
    }
}

impl IntoId for &Uuid {
    fn into_id(self) -> Result<Uuid> {
        Ok(*self)
    }
}

impl IntoId for &str {
    fn into_id(self) -> Result<Uuid> {
        Uuid::parse_str(self.trim()).map_err(|e| {
            Error::InvalidInput(format!(
                "`{}` is not a valid UUID id: {e}",
                self.escape_debug()
            ))
        })
    }
}

impl IntoId for String {
    fn into_id(self) -> Result<Uuid> {
        self.as_str().into_id()
    }
}

impl IntoId for &String {
    fn into_id(self) -> Result<Uuid> {
        self.as_str().into_id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_ids_are_checked() {
        let id = "00000000-0000-0000-0000-000000000001";
        assert_eq!(id.into_id().unwrap(), Uuid::from_u128(1));
        assert_eq!(id.to_string().into_id().unwrap(), Uuid::from_u128(1));
        let error = "session-1".into_id().unwrap_err();
        assert!(
            matches!(&error, Error::InvalidInput(m) if m.contains("session-1")),
            "{error}"
        );
    }
}
