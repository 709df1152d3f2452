//! The table of the dossier's allowed transitions (DOMAIN, "The dossier's life"), as data.
//!
//! Each `NomTransition` variant documents the guards the table cannot check, because they
//! need data it does not have (the account, the assignation, dates): the caller checks them
//! in the same transaction as the change.

use crate::models::enums::RoleUtilisateur::{self, Admin, Editeur, SuperAdmin};
use crate::models::enums::StatutWorkflow::{self, *};
use NomTransition as N;

/// What a user or job asks of a dossier. One name may have several rows (several sources,
/// or several targets for `Decider`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NomTransition {
    /// brouillon → soumis, by the owner company.
    /// Caller: the actor owns the entity; the account is vetted (`approuvee`, active) and its
    /// e-mail verified; the required parts of the form are present. Sets date_soumission,
    /// date_limite_decision (+1 month) and type_formalite (`domain::formalites`).
    Soumettre,
    /// brouillon_artci → soumis, by an editeur or above, for an entity ARTCI entered.
    /// Caller: the entity has no company account yet; required parts present; same dates as
    /// `Soumettre`.
    SoumettreArtci,
    /// soumis → brouillon, by the owner company withdrawing its submission.
    /// Caller: the actor owns the entity; no assignation was ever opened for this submission
    /// ("before assignment": `assigned_to` is null).
    Retirer,
    /// soumis → en_verification, by an admin or above assigning the dossier to an agent.
    /// The system may fire it too, only for the re-assignment DOMAIN makes at once when a
    /// company answers a request for complements and its agent is still active.
    /// Caller: the agent is an active editeur or above; creates the assignation (with its
    /// echeance) and sets assigned_to; the database allows one open assignation per entity.
    Assigner,
    /// en_verification → en_attente_complements | conforme | conforme_sous_reserve | rejete,
    /// by an admin or above acting as N+1 on the agent's proposal.
    /// Caller: the open assignation is `traite_attente_validation`; the target is its
    /// decision_proposee unless the N+1 takes another (API's `decision`); the actor is not
    /// the agent who treated it. Assignation → valide,
    /// feedback → envoye (the company is told). `rejete` needs a motif (date_rejet,
    /// motif_rejet); `conforme_sous_reserve` needs delai_mise_en_conformite, after today.
    /// Sending the proposal back to the agent changes no status and is not a transition.
    Decider,
    /// en_attente_complements → soumis, by the owner company once it gave the complements.
    /// Caller: the actor owns the entity; then `Assigner` (by the system) to the same agent if
    /// still active, else the dossier waits in the queue.
    Completer,
    /// conforme | conforme_sous_reserve → valide, by an admin or above.
    /// Caller: for conforme_sous_reserve, delai_mise_en_conformite not passed. Issues
    /// numero_recepisse (declaration, dispense) or numero_autorisation_artci (authorisation);
    /// sets date_validation and date_expiration (validity configurable, default 2 years).
    Valider,
    /// conforme_sous_reserve → rejete, by an admin or above, or by the system's daily job.
    /// Caller: delai_mise_en_conformite is before today (the service clock, never SQL
    /// `now()`). Records date_rejet and a standard motif_rejet, so no motif is asked for.
    RejeterHorsDelai,
    /// valide → publie, by an admin or above. Caller: date_expiration not passed. Sets
    /// date_publication; publie_sur_carte follows the target (`publie_sur_carte`).
    Publier,
    /// publie → valide, by an admin or above: off the public map, approval unchanged.
    Depublier,
    /// valide | publie → expire, by the system only; also from the statuses of an amendment,
    /// once `AnnulerModification` closed it (the approval it amended expired).
    /// Caller: date_expiration before today and no approved renewal. Unpublishes.
    Expirer,
    /// rejete | expire → brouillon, by the owner company: a new application for the same
    /// entity. Caller: the actor owns the entity; history is kept, the decision fields of the
    /// previous application are cleared.
    Recommencer,
    /// soumis … publie → en_attente_complements, by a super_admin only, with a reason shown
    /// to the company ("retour formulaire"). Unpublishes. Caller: cancels (`annule`) any open
    /// assignation, so `Completer` can open a new one.
    RetourFormulaire,
    /// brouillon_artci → brouillon, by the system when an admin approves a claim
    /// (rapprochement). Caller: the claim is `approuve`; links the entity to the claiming
    /// account and rejects the other pending claims on it.
    Rapprocher,
    /// valide | publie → en_modification, by the owner company, with a reason: it opens an
    /// amendment (déclaration modificative) of its approved dossier.
    /// Caller: the actor owns the entity; the approval has not expired; no amendment is
    /// open (the database allows one per entity); records the amendment with the version in
    /// force and the status to return to. The public register keeps showing that version.
    OuvrirModification,
    /// en_modification → soumis, by the owner company: the amendment is submitted and
    /// verified as a first submission is (`Assigner`, `Decider`, `Completer`, `Valider`).
    /// Caller: the same guards and dates as `Soumettre`; the formality is recomputed.
    SoumettreModification,
    /// en_modification | soumis | en_attente_complements → valide | publie, by the owner
    /// company withdrawing its amendment before it is under verification.
    /// Caller: an amendment is open and the target is its `statut_precedent`; the dossier is
    /// restored exactly to the version the amendment started from.
    AnnulerModification,
    /// Any status of an amendment → valide | publie, by the system when the approval expires
    /// during the amendment (`Expirer` follows at once). Caller: as `AnnulerModification`.
    AbandonnerModification,
    /// en_verification | conforme_sous_reserve → valide | publie, by an admin or above as
    /// N+1 rejecting an amendment (the decision `rejete` on an amendment), or by the system
    /// when an amendment's compliance deadline passed.
    /// Caller: an amendment is open and the target is its `statut_precedent`; the dossier is
    /// restored exactly to the version the amendment started from.
    RefuserModification,
}

impl NomTransition {
    pub const ALL: &'static [Self] = &[
        Self::Soumettre,
        Self::SoumettreArtci,
        Self::Retirer,
        Self::Assigner,
        Self::Decider,
        Self::Completer,
        Self::Valider,
        Self::RejeterHorsDelai,
        Self::Publier,
        Self::Depublier,
        Self::Expirer,
        Self::Recommencer,
        Self::RetourFormulaire,
        Self::Rapprocher,
        Self::OuvrirModification,
        Self::SoumettreModification,
        Self::AnnulerModification,
        Self::AbandonnerModification,
        Self::RefuserModification,
    ];
}

/// Who may fire a row. Staff roles are ordered (lecteur < editeur < admin < super_admin):
/// a role may do what the roles below it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuiPeut {
    /// The company owning the entity (ownership is the caller's check).
    pub entreprise: bool,
    /// The lowest staff role allowed, if staff may fire it.
    pub personnel_des: Option<RoleUtilisateur>,
    /// A scheduled job or the consequence of another decision, not a person.
    pub systeme: bool,
}

impl QuiPeut {
    pub const ENTREPRISE: Self = Self {
        entreprise: true,
        personnel_des: None,
        systeme: false,
    };
    pub const SYSTEME: Self = Self {
        entreprise: false,
        personnel_des: None,
        systeme: true,
    };

    pub const fn personnel(minimum: RoleUtilisateur) -> Self {
        Self {
            entreprise: false,
            personnel_des: Some(minimum),
            systeme: false,
        }
    }

    pub const fn ou_systeme(self) -> Self {
        Self {
            systeme: true,
            ..self
        }
    }
}

/// One row: `nom` takes a dossier from any status of `de` to `vers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub nom: NomTransition,
    pub de: &'static [StatutWorkflow],
    pub vers: StatutWorkflow,
    pub qui: QuiPeut,
    /// A non-blank reason must come with it (recorded in the history, shown to the company).
    pub motif_requis: bool,
    /// delai_mise_en_conformite must come with it.
    pub delai_requis: bool,
}

const fn ligne(
    nom: NomTransition,
    de: &'static [StatutWorkflow],
    vers: StatutWorkflow,
    qui: QuiPeut,
) -> Transition {
    Transition {
        nom,
        de,
        vers,
        qui,
        motif_requis: false,
        delai_requis: false,
    }
}

const fn avec_motif(t: Transition) -> Transition {
    Transition {
        motif_requis: true,
        ..t
    }
}

const fn avec_delai(t: Transition) -> Transition {
    Transition {
        delai_requis: true,
        ..t
    }
}

// Short names so each row of the table fits on one line.
const ENTREPRISE: QuiPeut = QuiPeut::ENTREPRISE;
const SYSTEME: QuiPeut = QuiPeut::SYSTEME;
const EDITEUR_ET_PLUS: QuiPeut = QuiPeut::personnel(Editeur);
const ADMIN_ET_PLUS: QuiPeut = QuiPeut::personnel(Admin);
const SUPER_ADMIN: QuiPeut = QuiPeut::personnel(SuperAdmin);

/// The statuses a super_admin may send back to the company: submitted, up to published.
const RETOURNABLES: &[StatutWorkflow] = &[
    Soumis,
    EnVerification,
    EnAttenteComplements,
    Conforme,
    ConformeSousReserve,
    Valide,
    Publie,
];

/// The statuses an amendment goes through: edited, then verified as a first submission.
pub const EN_COURS_DE_MODIFICATION: &[StatutWorkflow] = &[
    EnModification,
    Soumis,
    EnVerification,
    EnAttenteComplements,
    Conforme,
    ConformeSousReserve,
];

/// Where an amendment may be withdrawn by the company: before it is under verification.
const MODIFICATION_RETIRABLE: &[StatutWorkflow] = &[EnModification, Soumis, EnAttenteComplements];
/// Where an amendment is refused.
const MODIFICATION_REFUSABLE: &[StatutWorkflow] = &[EnVerification, ConformeSousReserve];
/// Where an approval expires: approved, or being amended.
const EXPIRABLES: &[StatutWorkflow] = &[
    Valide,
    Publie,
    EnModification,
    Soumis,
    EnVerification,
    EnAttenteComplements,
    Conforme,
    ConformeSousReserve,
];

/// Every allowed change of `entites_workflow.statut`; nothing else may change it.
// Laid out as a table, one row per line: rustfmt would break the rows into blocks.
#[rustfmt::skip]
pub const TRANSITIONS: &[Transition] = &[
    ligne(N::Soumettre,        &[Brouillon],            Soumis,         ENTREPRISE),
    ligne(N::SoumettreArtci,   &[BrouillonArtci],       Soumis,         EDITEUR_ET_PLUS),
    ligne(N::Retirer,          &[Soumis],               Brouillon,      ENTREPRISE),
    ligne(N::Assigner,         &[Soumis],               EnVerification, ADMIN_ET_PLUS.ou_systeme()),
    ligne(N::Decider,          &[EnVerification],       EnAttenteComplements, ADMIN_ET_PLUS),
    ligne(N::Decider,          &[EnVerification],       Conforme,       ADMIN_ET_PLUS),
    avec_delai(ligne(N::Decider, &[EnVerification],     ConformeSousReserve, ADMIN_ET_PLUS)),
    avec_motif(ligne(N::Decider, &[EnVerification],     Rejete,         ADMIN_ET_PLUS)),
    ligne(N::Completer,        &[EnAttenteComplements], Soumis,         ENTREPRISE),
    ligne(N::Valider,          &[Conforme, ConformeSousReserve], Valide, ADMIN_ET_PLUS),
    ligne(N::RejeterHorsDelai, &[ConformeSousReserve],  Rejete,         ADMIN_ET_PLUS.ou_systeme()),
    ligne(N::Publier,          &[Valide],               Publie,         ADMIN_ET_PLUS),
    ligne(N::Depublier,        &[Publie],               Valide,         ADMIN_ET_PLUS),
    ligne(N::Expirer,          EXPIRABLES,              Expire,         SYSTEME),
    ligne(N::Recommencer,      &[Rejete, Expire],       Brouillon,      ENTREPRISE),
    avec_motif(ligne(N::RetourFormulaire, RETOURNABLES, EnAttenteComplements, SUPER_ADMIN)),
    ligne(N::Rapprocher,       &[BrouillonArtci],       Brouillon,      SYSTEME),
    avec_motif(ligne(N::OuvrirModification, &[Valide, Publie], EnModification, ENTREPRISE)),
    ligne(N::SoumettreModification, &[EnModification],  Soumis,         ENTREPRISE),
    ligne(N::AnnulerModification, MODIFICATION_RETIRABLE, Valide,       ENTREPRISE),
    ligne(N::AnnulerModification, MODIFICATION_RETIRABLE, Publie,       ENTREPRISE),
    ligne(N::AbandonnerModification, EN_COURS_DE_MODIFICATION, Valide,  SYSTEME),
    ligne(N::AbandonnerModification, EN_COURS_DE_MODIFICATION, Publie,  SYSTEME),
    avec_motif(ligne(N::RefuserModification, MODIFICATION_REFUSABLE, Valide, ADMIN_ET_PLUS.ou_systeme())),
    avec_motif(ligne(N::RefuserModification, MODIFICATION_REFUSABLE, Publie, ADMIN_ET_PLUS.ou_systeme())),
];
