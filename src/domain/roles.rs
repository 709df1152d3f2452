//! The order of ARTCI's staff roles: a role may do everything the roles below it may.

use crate::models::enums::RoleUtilisateur;

/// Rank of a staff role: lecteur < editeur < admin < super_admin.
pub fn rang(role: RoleUtilisateur) -> u8 {
    match role {
        RoleUtilisateur::Lecteur => 0,
        RoleUtilisateur::Editeur => 1,
        RoleUtilisateur::Admin => 2,
        RoleUtilisateur::SuperAdmin => 3,
    }
}

/// Whether `role` is at least `minimum`.
pub fn au_moins(role: RoleUtilisateur, minimum: RoleUtilisateur) -> bool {
    rang(role) >= rang(minimum)
}
