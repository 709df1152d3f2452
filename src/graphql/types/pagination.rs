//! Relay connections (`first`/`after`, `edges`, `pageInfo`, `totalCount`) over keyset
//! pagination: the cursor is an opaque encoding of the sort key of the last row seen, so a
//! page never skips or repeats a row when rows are added meanwhile.

use async_graphql::OutputType;
use async_graphql::SimpleObject;
use async_graphql::connection::{Connection, CursorType, Edge, EmptyFields, OpaqueCursor};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Page size when `first` is not given.
pub const PAGE_PAR_DEFAUT: i32 = 20;
/// Largest page served: a larger `first` is capped.
pub const PAGE_MAX: i32 = 100;

/// The sort key of a row in a chronological list: creation instant, then id to break ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleChronologique {
    #[serde(rename = "t")]
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

/// The cursor as clients see it: opaque (base64 of the key).
pub type Curseur = OpaqueCursor<CleChronologique>;

/// The connection's own fields beside `edges` and `pageInfo`.
#[derive(SimpleObject)]
pub struct Totaux {
    /// Nombre total d'éléments de la liste, toutes pages confondues.
    pub total_count: i64,
}

/// A page of `Node`s, named `<Node>Connection` / `<Node>Edge` in the schema.
pub type Page<Node> = Connection<Curseur, Node, Totaux, EmptyFields>;

/// What a list resolver asked for, validated: how many rows, after which key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demande {
    pub taille: i64,
    pub apres: Option<CleChronologique>,
}

impl Demande {
    /// Validates `first` (absent: the default; negative: refused; above the cap: capped) and
    /// decodes `after` (a cursor this service did not issue is `BAD_USER_INPUT` on `after`).
    pub fn depuis(first: Option<i32>, after: Option<&str>) -> AppResult<Self> {
        let first = first.unwrap_or(PAGE_PAR_DEFAUT);
        if first < 0 {
            return Err(AppError::bad_input(
                "first",
                "`first` doit être positif ou nul.",
            ));
        }
        let apres = after
            .map(|s| {
                Curseur::decode_cursor(s)
                    .map(|c| c.0)
                    .map_err(|_| AppError::bad_input("after", "Curseur de pagination invalide."))
            })
            .transpose()?;
        Ok(Self {
            taille: i64::from(first.min(PAGE_MAX)),
            apres,
        })
    }

    /// How many rows to read: one more than the page, to know whether another page follows.
    pub fn limite_lecture(&self) -> i64 {
        self.taille + 1
    }
}

/// Builds the page from rows read with [`Demande::limite_lecture`], in key order.
pub fn page<Row, Node>(
    demande: &Demande,
    mut rows: Vec<Row>,
    total_count: i64,
    cle: impl Fn(&Row) -> CleChronologique,
    node: impl Fn(Row) -> Node,
) -> Page<Node>
where
    Node: OutputType,
{
    let taille = usize::try_from(demande.taille).unwrap_or(usize::MAX);
    let has_next_page = rows.len() > taille;
    rows.truncate(taille);
    let mut connection = Connection::with_additional_fields(
        demande.apres.is_some(),
        has_next_page,
        Totaux { total_count },
    );
    connection.edges = rows
        .into_iter()
        .map(|row| Edge::new(OpaqueCursor(cle(&row)), node(row)))
        .collect();
    connection
}

/// Complexity of a list field: its children once per requested row.
pub fn complexite(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.unwrap_or(PAGE_PAR_DEFAUT).clamp(1, PAGE_MAX);
    usize::try_from(rows).unwrap_or(1) * child_complexity + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn un_curseur_emis_se_relit() {
        let cle = CleChronologique {
            created_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
                + chrono::Duration::microseconds(123_456),
            id: Uuid::new_v4(),
        };
        let encoded = OpaqueCursor(cle).encode_cursor();
        let demande = Demande::depuis(Some(2), Some(&encoded)).unwrap();
        assert_eq!(demande.apres, Some(cle));
        assert_eq!(demande.taille, 2);
    }

    #[test]
    fn un_curseur_invalide_nomme_after() {
        for bad in ["pas-un-curseur", "e30", ""] {
            let err = Demande::depuis(None, Some(bad)).unwrap_err();
            assert_eq!(err.field(), Some("after"), "{bad}");
        }
    }

    #[test]
    fn first_est_borne() {
        assert_eq!(Demande::depuis(None, None).unwrap().taille, 20);
        assert_eq!(Demande::depuis(Some(1000), None).unwrap().taille, 100);
        assert_eq!(Demande::depuis(Some(0), None).unwrap().taille, 0);
        assert_eq!(
            Demande::depuis(Some(-1), None).unwrap_err().field(),
            Some("first")
        );
    }
}
