//! GraphQL `ID`s: every id this API hands out is a UUID.

use async_graphql::ID;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// The UUID behind an `ID` argument; anything else is `BAD_USER_INPUT` naming `field`
/// (`compteId`, `input.agentId`).
pub fn uuid_de(id: &ID, field: &str) -> AppResult<Uuid> {
    Uuid::parse_str(id.as_str().trim())
        .map_err(|_| AppError::bad_input(field, "Identifiant invalide."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_id_mal_forme_nomme_son_champ() {
        let err = uuid_de(&ID::from("42"), "compteId").unwrap_err();
        assert_eq!(err.field(), Some("compteId"));
        let id = Uuid::new_v4();
        assert_eq!(uuid_de(&ID::from(id.to_string()), "x").unwrap(), id);
    }
}
