//! Saving the administrative-compliance part of a dossier: formalities, legal
//! representatives, correspondants.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::NaiveDate;

use crate::domain::entites::{
    self, SaisieConformite, SaisieConformiteAdministrative, SaisieDpo, SaisieResponsable,
};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::mutation::elements;
use crate::graphql::types::{Date, Entite, uuid_de};
use crate::models::enums::{TypeDpo, TypeResponsableLegal};

/// Le questionnaire des formalités. Champ absent : inchangé ; null : effacé (« non » pour une
/// case). Décocher une déclaration (une autorisation) efface son numéro et sa date.
#[derive(InputObject)]
pub struct ConformiteAdministrativeInput {
    pub connaissance_loi: MaybeUndefined<bool>,
    pub declaration_artci: MaybeUndefined<bool>,
    pub numero_declaration: MaybeUndefined<String>,
    pub date_declaration: MaybeUndefined<Date>,
    pub autorisation_artci: MaybeUndefined<bool>,
    pub numero_autorisation: MaybeUndefined<String>,
    pub date_autorisation: MaybeUndefined<Date>,
    pub registre_tenu: MaybeUndefined<bool>,
    pub information_personnes: MaybeUndefined<bool>,
    pub procedure_droits: MaybeUndefined<bool>,
    pub dernier_rapport_annuel: MaybeUndefined<Date>,
}

/// Un représentant légal, demandeur mandaté ou référent. Sans `id`, il est créé ; avec, il
/// remplace celui qui porte cet `id`.
#[derive(InputObject)]
pub struct ResponsableLegalInput {
    pub id: Option<ID>,
    pub nom: String,
    pub prenom: Option<String>,
    pub fonction: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    #[graphql(name = "type")]
    pub type_: TypeResponsableLegal,
}

/// Un correspondant (DPO). Sans `id`, il est créé ; avec, il remplace celui qui porte cet
/// `id` (la décision de l'ARTCI sur sa désignation est conservée).
#[derive(InputObject)]
pub struct CorrespondantInput {
    pub id: Option<ID>,
    pub nom: String,
    pub prenom: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    #[graphql(name = "type")]
    pub type_: TypeDpo,
    /// Seulement pour un correspondant externe.
    pub organisme: Option<String>,
    pub date_designation: Option<Date>,
    pub date_fin: Option<Date>,
    #[graphql(default = true)]
    pub est_actif: bool,
}

/// Ce que l'entreprise dit de sa taille (le reste de `EntiteConformite`, score et statut,
/// est calculé). Champ absent : inchangé ; null : effacé.
#[derive(InputObject)]
pub struct EntiteConformiteInput {
    /// Nombre de salariés.
    pub effectif_entreprise: MaybeUndefined<i32>,
    /// Nombre approximatif de personnes dont les données sont traitées.
    pub volume_donnees_traitees: MaybeUndefined<i64>,
}

#[derive(InputObject)]
pub struct EnregistrerConformiteInput {
    pub entite_id: ID,
    /// La version du dossier lue (`workflow.version`).
    pub version: i32,
    /// La taille de l'entité, lue dans `Entite.conformite`.
    pub conformite: Option<EntiteConformiteInput>,
    /// Lue dans `Entite.conformiteAdministrative`.
    pub conformite_administrative: Option<ConformiteAdministrativeInput>,
    /// La liste complète, 100 éléments au plus : remplace la liste enregistrée.
    pub responsables: Option<Vec<ResponsableLegalInput>>,
    /// La liste complète, 100 éléments au plus : remplace la liste enregistrée ; un seul actif.
    pub correspondants: Option<Vec<CorrespondantInput>>,
}

#[derive(Default)]
pub struct ConformiteMutation;

#[Object]
impl ConformiteMutation {
    /// Enregistre la conformité administrative (formalités, responsables, correspondants) du
    /// dossier lu à `version` ; renvoie l'entité et sa nouvelle version. Une version périmée
    /// est un `CONFLICT` et n'enregistre rien.
    async fn enregistrer_conformite(
        &self,
        ctx: &Context<'_>,
        input: EnregistrerConformiteInput,
    ) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let responsables = elements(
            "input.responsables",
            input.responsables,
            |e| &e.id,
            |_, r, id| {
                Ok(SaisieResponsable {
                    id,
                    nom: r.nom,
                    prenom: r.prenom,
                    fonction: r.fonction,
                    email: r.email,
                    telephone: r.telephone,
                    type_: r.type_,
                })
            },
        )?;
        let correspondants = elements(
            "input.correspondants",
            input.correspondants,
            |e| &e.id,
            |_, d, id| {
                Ok(SaisieDpo {
                    id,
                    nom: d.nom,
                    prenom: d.prenom,
                    email: d.email,
                    telephone: d.telephone,
                    type_: d.type_,
                    organisme: d.organisme,
                    date_designation: d.date_designation.map(NaiveDate::from),
                    date_fin: d.date_fin.map(NaiveDate::from),
                    est_actif: d.est_actif,
                })
            },
        )?;
        let (effectif_entreprise, volume_donnees_traitees) = match input.conformite {
            Some(c) => (
                c.effectif_entreprise.into(),
                c.volume_donnees_traitees.into(),
            ),
            None => (None, None),
        };
        let saisie = SaisieConformite {
            effectif_entreprise,
            volume_donnees_traitees,
            administrative: input.conformite_administrative.map(|a| {
                SaisieConformiteAdministrative {
                    connaissance_loi: a.connaissance_loi.into(),
                    declaration_artci: a.declaration_artci.into(),
                    numero_declaration: a.numero_declaration.into(),
                    date_declaration: a.date_declaration.map_value(NaiveDate::from).into(),
                    autorisation_artci: a.autorisation_artci.into(),
                    numero_autorisation: a.numero_autorisation.into(),
                    date_autorisation: a.date_autorisation.map_value(NaiveDate::from).into(),
                    registre_tenu: a.registre_tenu.into(),
                    information_personnes: a.information_personnes.into(),
                    procedure_droits: a.procedure_droits.into(),
                    dernier_rapport_annuel: a
                        .dernier_rapport_annuel
                        .map_value(NaiveDate::from)
                        .into(),
                }
            }),
            responsables,
            correspondants,
        };
        let app = ctx.app();
        let aujourd_hui = app.clock.now().date_naive();
        let mut conn = app.pool.get().await?;
        let entite = entites::enregistrer_conformite(
            &mut conn,
            principal,
            entite_id,
            input.version,
            aujourd_hui,
            saisie,
        )
        .await?;
        // `enregistrer_conformite` passed `acces::verifier` (Ecriture).
        Ok(Entite::autorisee(entite))
    }
}
