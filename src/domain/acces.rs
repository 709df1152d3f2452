//! Who may read or change an entity's dossier. Every resolver that reaches an entity, at the
//! top or as a nested field, goes through [`verifier`].
//!
//! - A company reaches only its own entities; another's is `NOT_FOUND` (not `FORBIDDEN`: its
//!   existence is not revealed). It writes only while the workflow lets it (`brouillon`,
//!   `en_attente_complements`, `en_modification`); otherwise its dossier is read-only
//!   (`CONFLICT`).
//! - Staff read every entity; an `editeur`+ writes only the drafts ARTCI entered itself
//!   (`brouillon_artci`): a company's form is the company's to fill. A `lecteur` only reads.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::{roles, workflow};
use crate::error::{AppError, AppResult};
use crate::models::EntiteBase;
use crate::models::entites_base;
use crate::models::enums::{RoleUtilisateur, StatutWorkflow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acces {
    Lecture,
    Ecriture,
}

/// The rule alone, on what is known of the entity.
pub fn decider(
    principal: Principal,
    proprietaire: Option<Uuid>,
    statut: StatutWorkflow,
    acces: Acces,
) -> AppResult<()> {
    match principal {
        Principal::Anonyme => Err(AppError::unauthenticated()),
        Principal::Entreprise { compte_id } => {
            if proprietaire != Some(compte_id) {
                return Err(AppError::not_found("Entité"));
            }
            if acces == Acces::Ecriture && !workflow::modifiable_par_entreprise(statut) {
                return Err(AppError::conflict(
                    "Ce dossier est en lecture seule tant que l'ARTCI l'instruit.",
                ));
            }
            Ok(())
        }
        Principal::Agent { role, .. } => match acces {
            Acces::Lecture => Ok(()),
            Acces::Ecriture if !roles::au_moins(role, RoleUtilisateur::Editeur) => {
                Err(AppError::forbidden())
            }
            Acces::Ecriture if statut == StatutWorkflow::BrouillonArtci => Ok(()),
            Acces::Ecriture => Err(AppError::conflict(
                "Seuls les brouillons saisis par l'ARTCI se modifient côté ARTCI.",
            )),
        },
    }
}

/// Loads the entity and checks `acces` for `principal`; an unknown id is `NOT_FOUND`.
pub async fn verifier(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    acces: Acces,
) -> AppResult<(EntiteBase, StatutWorkflow)> {
    if principal == Principal::Anonyme {
        return Err(AppError::unauthenticated());
    }
    let (entite, statut) = entites_base::find_with_statut(conn, entite_id)
        .await?
        .ok_or_else(|| AppError::not_found("Entité"))?;
    let statut = statut.unwrap_or(StatutWorkflow::Brouillon);
    decider(principal, entite.compte_entreprise_id, statut, acces)?;
    Ok((entite, statut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    fn code(r: AppResult<()>) -> Option<Code> {
        r.err().map(|e| e.code())
    }

    #[test]
    fn une_entreprise_ne_voit_pas_l_entite_d_une_autre() {
        let moi = Uuid::new_v4();
        let autre = Uuid::new_v4();
        let p = Principal::Entreprise { compte_id: moi };
        assert_eq!(
            code(decider(
                p,
                Some(autre),
                StatutWorkflow::Brouillon,
                Acces::Lecture
            )),
            Some(Code::NotFound)
        );
        assert_eq!(
            code(decider(
                p,
                None,
                StatutWorkflow::BrouillonArtci,
                Acces::Lecture
            )),
            Some(Code::NotFound)
        );
        assert_eq!(
            code(decider(
                p,
                Some(moi),
                StatutWorkflow::Brouillon,
                Acces::Ecriture
            )),
            None
        );
    }

    #[test]
    fn un_dossier_soumis_est_en_lecture_seule_pour_son_entreprise() {
        let moi = Uuid::new_v4();
        let p = Principal::Entreprise { compte_id: moi };
        for statut in StatutWorkflow::ALL {
            let ecriture = code(decider(p, Some(moi), *statut, Acces::Ecriture));
            let attendu = if matches!(
                statut,
                StatutWorkflow::Brouillon
                    | StatutWorkflow::EnAttenteComplements
                    | StatutWorkflow::EnModification
            ) {
                None
            } else {
                Some(Code::Conflict)
            };
            assert_eq!(ecriture, attendu, "{statut:?}");
            assert_eq!(code(decider(p, Some(moi), *statut, Acces::Lecture)), None);
        }
    }

    #[test]
    fn un_lecteur_lit_et_un_editeur_ecrit_les_brouillons_artci() {
        let agent = |role| Principal::Agent {
            user_id: Uuid::new_v4(),
            role,
        };
        let lecteur = agent(RoleUtilisateur::Lecteur);
        assert_eq!(
            code(decider(
                lecteur,
                None,
                StatutWorkflow::BrouillonArtci,
                Acces::Lecture
            )),
            None
        );
        assert_eq!(
            code(decider(
                lecteur,
                None,
                StatutWorkflow::BrouillonArtci,
                Acces::Ecriture
            )),
            Some(Code::Forbidden)
        );
        let editeur = agent(RoleUtilisateur::Editeur);
        assert_eq!(
            code(decider(
                editeur,
                None,
                StatutWorkflow::BrouillonArtci,
                Acces::Ecriture
            )),
            None
        );
        assert_eq!(
            code(decider(
                editeur,
                Some(Uuid::new_v4()),
                StatutWorkflow::Brouillon,
                Acces::Ecriture
            )),
            Some(Code::Conflict)
        );
        assert_eq!(
            code(decider(
                Principal::Anonyme,
                None,
                StatutWorkflow::Publie,
                Acces::Lecture
            )),
            Some(Code::Unauthenticated)
        );
    }
}
