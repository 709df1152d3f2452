//! Relay connections (`first`/`after`, `edges`, `pageInfo`, `totalCount`) over keyset
//! pagination: the cursor is an opaque encoding of the sort key of the last row seen, so a
//! page never skips or repeats a row when rows are added meanwhile.

use async_graphql::OutputType;
use async_graphql::SimpleObject;
use async_graphql::connection::{Connection, CursorType, Edge, EmptyFields, OpaqueCursor};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
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

/// Longest `after` decoded: a key holds at most a denomination and an id, so anything
/// longer was not issued here and is refused before it is decoded.
const CURSEUR_MAX: usize = 2_048;

/// The connection's own fields beside `edges` and `pageInfo`.
#[derive(SimpleObject)]
pub struct Totaux {
    /// Nombre total d'éléments de la liste, toutes pages confondues.
    pub total_count: i64,
}

/// A page of `Node`s, named `<Node>Connection` / `<Node>Edge` in the schema. Cursors are
/// opaque to clients (base64 of the JSON of the sort key, `OpaqueCursor`); the edges hold
/// them already encoded, so that one node type has one connection type whatever
/// the key its lists are sorted on (`mesEntites` and `entites` both answer an
/// `EntiteConnection`).
pub type Page<Node> = Connection<String, Node, Totaux, EmptyFields>;

/// What a list resolver asked for, validated: how many rows, after which key `K` (the sort
/// key of the last row seen; chronological unless the list says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demande<K = CleChronologique> {
    pub taille: i64,
    pub apres: Option<K>,
}

impl Demande {
    /// [`Demande::avec_cle`] for a chronological list.
    pub fn depuis(first: Option<i32>, after: Option<&str>) -> AppResult<Self> {
        Self::avec_cle(first, after)
    }
}

impl<K: Serialize + DeserializeOwned> Demande<K> {
    /// Validates `first` (absent: the default; negative: refused; above the cap: capped) and
    /// decodes `after` (a cursor this service did not issue is `BAD_USER_INPUT` on `after`).
    pub fn avec_cle(first: Option<i32>, after: Option<&str>) -> AppResult<Self> {
        let first = first.unwrap_or(PAGE_PAR_DEFAUT);
        if first < 0 {
            return Err(AppError::bad_input(
                "first",
                "`first` doit être positif ou nul.",
            ));
        }
        let apres = after
            .map(|s| {
                if s.len() > CURSEUR_MAX {
                    return Err(curseur_invalide());
                }
                OpaqueCursor::<K>::decode_cursor(s)
                    .map(|c| c.0)
                    .map_err(|_| curseur_invalide())
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

/// The error of an `after` this service did not issue (or issued for another order).
pub fn curseur_invalide() -> AppError {
    AppError::bad_input("after", "Curseur de pagination invalide.")
}

/// Builds the page from rows read with [`Demande::limite_lecture`], in key order.
pub fn page<Row, Node, K>(
    demande: &Demande<K>,
    mut rows: Vec<Row>,
    total_count: i64,
    cle: impl Fn(&Row) -> K,
    node: impl Fn(Row) -> Node,
) -> Page<Node>
where
    Node: OutputType,
    K: Serialize + DeserializeOwned,
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
        .map(|row| Edge::new(OpaqueCursor(cle(&row)).encode_cursor(), node(row)))
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
    fn un_curseur_demesure_est_refuse_sans_etre_decode() {
        let err = Demande::depuis(None, Some(&"A".repeat(CURSEUR_MAX + 1))).unwrap_err();
        assert_eq!(err.field(), Some("after"));
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
