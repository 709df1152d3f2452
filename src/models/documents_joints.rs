//! `documents_joints`: metadata of the files attached to a dossier (the bytes live in storage).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::models::enums::{StatutVerificationDocument, TypeDocument};
use crate::schema::documents_joints;

/// An attached document, uploaded by exactly one account or staff member.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = documents_joints, check_for_backend(diesel::pg::Pg))]
pub struct DocumentJoint {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub type_document: TypeDocument,
    pub nom_fichier: String,
    pub cle_stockage: String,
    /// 1..=10 485 760 (10 MiB).
    pub taille_octets: i32,
    pub mime_type: String,
    /// Lower-case hex.
    pub sha256: String,
    pub depose_par_compte_id: Option<Uuid>,
    pub depose_par_user_id: Option<Uuid>,
    pub statut_verification: StatutVerificationDocument,
    pub verifie_par: Option<Uuid>,
    pub verifie_le: Option<DateTime<Utc>>,
    /// Required when the document is rejected.
    pub motif_rejet: Option<String>,
    pub est_public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The newer document that replaced this one (kept for the history).
    pub remplace_par_id: Option<Uuid>,
    pub remplace_le: Option<DateTime<Utc>>,
    /// False for an ARTCI document the company does not see.
    pub visible_entreprise: bool,
}

/// A document about to be recorded: its bytes are already in storage under `cle_stockage`.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = documents_joints, check_for_backend(diesel::pg::Pg))]
pub struct NouveauDocument {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub type_document: TypeDocument,
    pub nom_fichier: String,
    pub cle_stockage: String,
    pub taille_octets: i32,
    pub mime_type: String,
    pub sha256: String,
    pub depose_par_compte_id: Option<Uuid>,
    pub depose_par_user_id: Option<Uuid>,
    pub visible_entreprise: bool,
}

/// A document ARTCI issues itself (a certificate): public, already checked, by a staff
/// member.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = documents_joints, check_for_backend(diesel::pg::Pg))]
pub struct NouveauDocumentEmis {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub type_document: TypeDocument,
    pub nom_fichier: String,
    pub cle_stockage: String,
    pub taille_octets: i32,
    pub mime_type: String,
    pub sha256: String,
    pub depose_par_user_id: Uuid,
    pub verifie_par: Uuid,
    pub verifie_le: DateTime<Utc>,
}

/// Records an issued document: public and `valide` from the start.
pub async fn create_emis(
    conn: &mut AsyncPgConnection,
    nouveau: &NouveauDocumentEmis,
) -> QueryResult<DocumentJoint> {
    diesel::insert_into(documents_joints::table)
        .values((
            nouveau,
            documents_joints::est_public.eq(true),
            documents_joints::statut_verification.eq(StatutVerificationDocument::Valide),
        ))
        .returning(DocumentJoint::as_returning())
        .get_result(conn)
        .await
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    nouveau: &NouveauDocument,
) -> QueryResult<DocumentJoint> {
    diesel::insert_into(documents_joints::table)
        .values(nouveau)
        .returning(DocumentJoint::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_by_id(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<DocumentJoint>> {
    documents_joints::table
        .find(id)
        .select(DocumentJoint::as_select())
        .first(conn)
        .await
        .optional()
}

/// Of the documents `ids`, those attached to `entite_id`, with their type (one query).
pub async fn types_de_l_entite(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, TypeDocument)>> {
    documents_joints::table
        .filter(documents_joints::entite_id.eq(entite_id))
        .filter(documents_joints::id.eq_any(ids))
        .select((documents_joints::id, documents_joints::type_document))
        .load(conn)
        .await
}

/// The storage keys of an entity's documents (to remove the files with the entity).
pub async fn cles_de_l_entite(
    conn: &mut diesel_async::AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<Vec<String>> {
    diesel_async::RunQueryDsl::load(
        documents_joints::table
            .filter(documents_joints::entite_id.eq(entite_id))
            .select(documents_joints::cle_stockage),
        conn,
    )
    .await
}

/// The public documents of the entities `entite_ids` that the public register shows (a
/// claim's proof never is), oldest first.
pub async fn publics_des_entites(
    conn: &mut AsyncPgConnection,
    entite_ids: &[Uuid],
) -> QueryResult<Vec<DocumentJoint>> {
    use crate::schema::registre_public;
    documents_joints::table
        .filter(documents_joints::entite_id.eq_any(entite_ids))
        .filter(documents_joints::est_public.eq(true))
        .filter(documents_joints::type_document.ne(TypeDocument::PreuveRapprochement))
        .filter(
            documents_joints::entite_id
                .eq_any(registre_public::table.select(registre_public::entite_id)),
        )
        .order((documents_joints::created_at, documents_joints::id))
        .select(DocumentJoint::as_select())
        .load(conn)
        .await
}

/// Whether the entity `entite_id` is in the public register (its public documents may then
/// be read by anyone).
pub async fn entite_publique(conn: &mut AsyncPgConnection, entite_id: Uuid) -> QueryResult<bool> {
    use crate::schema::registre_public;
    diesel::select(diesel::dsl::exists(
        registre_public::table.filter(registre_public::entite_id.eq(entite_id)),
    ))
    .get_result(conn)
    .await
}

/// Every document of the entities `entite_ids`, superseded ones included, oldest first (one
/// query; the resolver filters what its caller may see).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    entite_ids: &[Uuid],
) -> QueryResult<Vec<DocumentJoint>> {
    documents_joints::table
        .filter(documents_joints::entite_id.eq_any(entite_ids))
        .order((documents_joints::created_at, documents_joints::id))
        .select(DocumentJoint::as_select())
        .load(conn)
        .await
}

/// The document, locked until the end of the transaction.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<DocumentJoint>> {
    documents_joints::table
        .find(id)
        .select(DocumentJoint::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Marks `ancien` superseded by `nouveau`; `false` when it already was.
pub async fn marquer_remplace(
    conn: &mut AsyncPgConnection,
    ancien: Uuid,
    nouveau: Uuid,
    maintenant: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        documents_joints::table
            .filter(documents_joints::id.eq(ancien))
            .filter(documents_joints::remplace_par_id.is_null()),
    )
    .set((
        documents_joints::remplace_par_id.eq(Some(nouveau)),
        documents_joints::remplace_le.eq(Some(maintenant)),
    ))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// Deletes the row; returns its storage key (`None`: already gone).
pub async fn supprimer(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<String>> {
    diesel::delete(documents_joints::table.filter(documents_joints::id.eq(id)))
        .returning(documents_joints::cle_stockage)
        .get_result(conn)
        .await
        .optional()
}

/// The storage key of every document, in key order (what a backup must carry).
pub async fn toutes_les_cles(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
    documents_joints::table
        .select(documents_joints::cle_stockage)
        .order(documents_joints::cle_stockage)
        .load(conn)
        .await
}

/// Deletes the rows of these storage keys at once; returns how many went.
pub async fn supprimer_par_cles(
    conn: &mut AsyncPgConnection,
    cles: &[String],
) -> QueryResult<usize> {
    diesel::delete(documents_joints::table.filter(documents_joints::cle_stockage.eq_any(cles)))
        .execute(conn)
        .await
}

/// Records a review of a document still awaiting one; `None` when another review came first.
pub async fn examiner(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    statut: StatutVerificationDocument,
    motif: Option<&str>,
    par: Uuid,
    maintenant: DateTime<Utc>,
) -> QueryResult<Option<DocumentJoint>> {
    diesel::update(
        documents_joints::table
            .filter(documents_joints::id.eq(id))
            .filter(
                documents_joints::statut_verification.eq(StatutVerificationDocument::EnAttente),
            ),
    )
    .set((
        documents_joints::statut_verification.eq(statut),
        documents_joints::motif_rejet.eq(motif),
        documents_joints::verifie_par.eq(Some(par)),
        documents_joints::verifie_le.eq(Some(maintenant)),
    ))
    .returning(DocumentJoint::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// The current (not superseded) documents of `entite_id`: their type and review status.
pub async fn courants(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<Vec<(TypeDocument, StatutVerificationDocument)>> {
    documents_joints::table
        .filter(documents_joints::entite_id.eq(entite_id))
        .filter(documents_joints::remplace_par_id.is_null())
        .select((
            documents_joints::type_document,
            documents_joints::statut_verification,
        ))
        .load(conn)
        .await
}

/// What companies already stored: the documents and bytes they uploaded to `entite_id`, and
/// the bytes `compte_id` uploaded to every dossier (one statement).
pub async fn occupation(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    compte_id: Uuid,
) -> QueryResult<(i64, i64, i64)> {
    use diesel::sql_types::{BigInt, Uuid as SqlUuid};
    #[derive(QueryableByName)]
    struct Ligne {
        #[diesel(sql_type = BigInt)]
        documents: i64,
        #[diesel(sql_type = BigInt)]
        octets_entite: i64,
        #[diesel(sql_type = BigInt)]
        octets_compte: i64,
    }
    let l: Ligne = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE entite_id = $1 AND depose_par_compte_id IS NOT NULL)
                    AS documents,
                coalesce(sum(taille_octets)
                    FILTER (WHERE entite_id = $1 AND depose_par_compte_id IS NOT NULL), 0)::bigint
                    AS octets_entite,
                coalesce(sum(taille_octets) FILTER (WHERE depose_par_compte_id = $2), 0)::bigint
                    AS octets_compte
           FROM documents_joints
          WHERE entite_id = $1 OR depose_par_compte_id = $2",
    )
    .bind::<SqlUuid, _>(entite_id)
    .bind::<SqlUuid, _>(compte_id)
    .get_result(conn)
    .await?;
    Ok((l.documents, l.octets_entite, l.octets_compte))
}
