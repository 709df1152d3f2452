//! `creerEntite`: a company records its entity, or an editeur one for ARTCI.

use super::*;

/// What `creerEntite` receives.
#[derive(Debug, Clone)]
pub struct SaisieEntite {
    pub numero_cc: String,
    pub denomination: String,
    pub secteur_activite: SecteurActivite,
    pub region: Region,
    pub sigle: Option<String>,
    pub forme_juridique: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub commune: Option<String>,
    pub telephone: Option<String>,
    pub email: Option<String>,
}

/// Entities a company account may create before ARTCI vetted its sign-up: enough for a group
/// with a few subsidiaries; beyond, it waits for the vetting (an unvetted account cannot
/// fill the registry, nor the database, with drafts).
pub const ENTITES_AVANT_VALIDATION: i64 = 5;

/// Creates an entity with its workflow (version 1) and compliance rows, in one transaction.
///
/// A company creates it for itself (`auto_recensement`, `brouillon`): its account must exist,
/// be active and not rejected; drafts need no vetting (only submission does), but an account
/// not yet vetted creates at most [`ENTITES_AVANT_VALIDATION`]. An `editeur`+
/// enters it for ARTCI (`saisie_artci`, `brouillon_artci`, no owner until a claim).
pub async fn creer(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    saisie: SaisieEntite,
) -> AppResult<EntiteBase> {
    let (compte_entreprise_id, created_by, origine_saisie, statut) = match principal {
        Principal::Anonyme => return Err(AppError::unauthenticated()),
        Principal::Entreprise { compte_id } => {
            let compte = comptes_entreprises::find_by_id(conn, compte_id)
                .await?
                .ok_or_else(AppError::unauthenticated)?;
            if compte.statut_inscription == StatutInscription::Rejetee {
                return Err(AppError::account_rejected());
            }
            if !compte.est_actif {
                return Err(AppError::account_disabled());
            }
            (
                Some(compte_id),
                None,
                OrigineSaisie::AutoRecensement,
                StatutWorkflow::Brouillon,
            )
        }
        Principal::Agent { user_id, role } => {
            if !roles::au_moins(role, RoleUtilisateur::Editeur) {
                return Err(AppError::forbidden());
            }
            (
                None,
                Some(user_id),
                OrigineSaisie::SaisieArtci,
                StatutWorkflow::BrouillonArtci,
            )
        }
    };
    let nouvelle = NouvelleEntite {
        compte_entreprise_id,
        numero_cc: champ(
            "input.numeroCc",
            validation::normalize_ncc(&saisie.numero_cc),
        )?,
        denomination: champ(
            "input.denomination",
            validation::required_text(&saisie.denomination, LONGUEUR_NOM),
        )?,
        sigle: texte("input.sigle", saisie.sigle, LONGUEUR_NOM)?,
        forme_juridique: texte("input.formeJuridique", saisie.forme_juridique, LONGUEUR_NOM)?,
        secteur_activite: saisie.secteur_activite,
        adresse: texte("input.adresse", saisie.adresse, LONGUEUR_TEXTE)?,
        ville: texte("input.ville", saisie.ville, LONGUEUR_NOM)?,
        commune: texte("input.commune", saisie.commune, LONGUEUR_NOM)?,
        region: saisie.region,
        telephone: telephone("input.telephone", saisie.telephone)?,
        email: email("input.email", saisie.email)?,
        origine_saisie,
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        if let Some(compte_id) = compte_entreprise_id {
            let compte = comptes_entreprises::find_for_update(conn, compte_id)
                .await?
                .ok_or_else(AppError::unauthenticated)?;
            if compte.statut_inscription != StatutInscription::Approuvee
                && entites_base::count_du_compte(conn, compte_id).await? >= ENTITES_AVANT_VALIDATION
            {
                return Err(AppError::forbidden_because(format!(
                    "Tant que l'ARTCI n'a pas validé votre inscription, un compte crée au plus \
                     {ENTITES_AVANT_VALIDATION} entités."
                )));
            }
        }
        if entites_base::ncc_taken(conn, &nouvelle.numero_cc).await? {
            return Err(ncc_pris());
        }
        let entite = entites_base::insert(conn, &nouvelle)
            .await
            .map_err(|e| match e {
                // Two creations of the same NCC at once: the loser gets the same answer.
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ncc_pris(),
                other => other.into(),
            })?;
        let workflow_row = NouveauWorkflow {
            entite_id: entite.id,
            statut,
            created_by,
        };
        entites_workflow::insert(conn, &workflow_row).await?;
        entites_conformite::insert_initial(conn, entite.id, workflow::statut_conformite(statut))
            .await?;
        Ok(entite)
    })
    .await
}

pub(super) fn ncc_pris() -> AppError {
    AppError::conflict_on(
        "input.numeroCc",
        "Une entité existe déjà pour ce NCC : si elle est la vôtre, demandez son rapprochement.",
    )
}
