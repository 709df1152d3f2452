//! The application error: every failure a client may see, with its stable `extensions.code`.
//!
//! `AppError` deliberately does not implement `Display`: async-graphql turns any `Display`
//! into a client-visible message, so the only way an `AppError` reaches a client is the
//! explicit `From<AppError> for async_graphql::Error` below, which never carries internal text.
//! Database and pool errors convert into `AppError` explicitly: `NotFound` becomes
//! `NOT_FOUND`, an unreachable, lost or restarting database (or a statement over its
//! `statement_timeout`) `UNAVAILABLE`, anything else is logged and answered with a generic
//! `INTERNAL_SERVER_ERROR`.

use async_graphql::ErrorExtensions;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// Stable error codes carried in `extensions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    RateLimited,
    PasswordExpired,
    EmailNotVerified,
    AccountRejected,
    AccountDisabled,
    AccountLocked,
    DossierIncomplet,
    Unavailable,
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::Conflict => "CONFLICT",
            Code::RateLimited => "RATE_LIMITED",
            Code::PasswordExpired => "PASSWORD_EXPIRED",
            Code::EmailNotVerified => "EMAIL_NOT_VERIFIED",
            Code::AccountRejected => "ACCOUNT_REJECTED",
            Code::AccountDisabled => "ACCOUNT_DISABLED",
            Code::AccountLocked => "ACCOUNT_LOCKED",
            Code::DossierIncomplet => "DOSSIER_INCOMPLET",
            Code::Unavailable => "UNAVAILABLE",
            Code::Internal => "INTERNAL_SERVER_ERROR",
        }
    }
}

/// An error answered to a client: a code, a French message a person can read and, for
/// `BAD_USER_INPUT`, the offending field.
#[derive(Debug, Clone)]
pub struct AppError {
    code: Code,
    message: String,
    field: Option<String>,
    /// For `DOSSIER_INCOMPLET`: what is missing, as (field of the form, French label).
    manquants: Vec<(String, String)>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            manquants: Vec::new(),
        }
    }

    /// A dossier submitted before its required items are all answered: the list goes to
    /// `extensions.manquants` (`[{ champ, libelle }]`) for the client to point at them.
    pub fn dossier_incomplet(manquants: Vec<(String, String)>) -> Self {
        Self {
            manquants,
            ..Self::new(
                Code::DossierIncomplet,
                "Le dossier est incomplet : complétez les éléments manquants avant de le soumettre.",
            )
        }
    }

    pub fn unauthenticated() -> Self {
        Self::new(Code::Unauthenticated, "Authentification requise.")
    }

    pub fn unauthenticated_because(message: impl Into<String>) -> Self {
        Self::new(Code::Unauthenticated, message)
    }

    pub fn forbidden() -> Self {
        Self::new(Code::Forbidden, "Vous n'avez pas accès à cette ressource.")
    }

    /// A refusal whose reason the caller can act on (an account not yet vetted, …).
    pub fn forbidden_because(message: impl Into<String>) -> Self {
        Self::new(Code::Forbidden, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(Code::NotFound, format!("{what} introuvable."))
    }

    /// Invalid input: `field` is the input path (`input.email`), `message` says what is wrong.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(Code::BadUserInput, message)
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(Code::Conflict, message)
    }

    /// A conflict caused by one input field (a taken identifier).
    pub fn conflict_on(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(Code::Conflict, message)
        }
    }

    pub fn rate_limited() -> Self {
        Self::new(
            Code::RateLimited,
            "Trop de tentatives. Réessayez dans quelques minutes.",
        )
    }

    /// A limit of the service (its name and value in `message`) was reached.
    pub fn rate_limited_because(message: impl Into<String>) -> Self {
        Self::new(Code::RateLimited, message)
    }

    /// The request ran past its deadline and was abandoned.
    pub fn deadline_exceeded(secs: u64) -> Self {
        Self::new(
            Code::Unavailable,
            format!(
                "La requête a dépassé {secs} s et a été abandonnée (rien n'a été enregistré) : \
                 réessayez dans quelques instants."
            ),
        )
    }

    pub fn password_expired() -> Self {
        Self::new(
            Code::PasswordExpired,
            "Votre mot de passe a expiré : changez-le pour continuer.",
        )
    }

    /// A wrong e-mail or password: one answer for both, so that it reveals no account.
    pub fn wrong_credentials() -> Self {
        Self::new(Code::Unauthenticated, "E-mail ou mot de passe incorrect.")
    }

    pub fn email_not_verified() -> Self {
        Self::new(
            Code::EmailNotVerified,
            "Votre adresse e-mail n'est pas encore vérifiée : saisissez le code reçu par e-mail.",
        )
    }

    pub fn account_rejected() -> Self {
        Self::new(
            Code::AccountRejected,
            "Votre inscription a été rejetée par l'ARTCI : ce compte ne peut pas se connecter.",
        )
    }

    pub fn account_disabled() -> Self {
        Self::new(Code::AccountDisabled, "Ce compte est désactivé.")
    }

    pub fn account_locked() -> Self {
        Self::new(
            Code::AccountLocked,
            "Trop de mots de passe erronés pour cette adresse depuis ce poste : réessayez dans quelques minutes, ou réinitialisez votre mot de passe (« Mot de passe oublié »).",
        )
    }

    pub fn unavailable() -> Self {
        Self::new(
            Code::Unavailable,
            "Service momentanément indisponible. Réessayez dans quelques instants.",
        )
    }

    /// An unexpected failure: `detail` goes to the log, never to the client.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "erreur interne");
        Self::new(Code::Internal, "Une erreur interne est survenue.")
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        async_graphql::Error::new(err.message).extend_with(|_, ext| {
            ext.set("code", err.code.as_str());
            if let Some(field) = err.field {
                ext.set("field", field);
            }
            if !err.manquants.is_empty() {
                let liste: Vec<async_graphql::Value> = err
                    .manquants
                    .into_iter()
                    .map(|(champ, libelle)| {
                        let mut element = async_graphql::indexmap::IndexMap::new();
                        element.insert(async_graphql::Name::new("champ"), champ.into());
                        element.insert(async_graphql::Name::new("libelle"), libelle.into());
                        async_graphql::Value::Object(element)
                    })
                    .collect();
                ext.set("manquants", liste);
            }
        })
    }
}

impl From<DieselError> for AppError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => AppError::not_found("Ressource"),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::info!(constraint = ?info.constraint_name(), "violation d'unicité");
                AppError::conflict("Cette ressource existe déjà.")
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                AppError::conflict("Modification concurrente : réessayez.")
            }
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => {
                tracing::warn!(error = info.message(), "connexion à la base perdue");
                AppError::unavailable()
            }
            DieselError::DatabaseError(_, info) if interrompue_par_le_serveur(info.message()) => {
                tracing::warn!(error = info.message(), "requête interrompue par la base");
                AppError::unavailable()
            }
            // A connection lost in a transaction: its rollback failed too, and the pool
            // discards the connection.
            DieselError::BrokenTransactionManager => {
                tracing::warn!("transaction interrompue : connexion à la base perdue");
                AppError::unavailable()
            }
            DieselError::RollbackErrorOnCommit { commit_error, .. } => Self::from(*commit_error),
            other => AppError::internal(other),
        }
    }
}

/// Messages of the errors by which PostgreSQL ends a statement because of its own state, not
/// of the statement: a shutdown or restart (SQLSTATE class 57), a statement over
/// `statement_timeout` (57014). Diesel does not expose the SQLSTATE, so the message tells,
/// as long as the server's `lc_messages` is English (its default, `C`); in another language
/// these stay `INTERNAL_SERVER_ERROR`, still without their text.
fn interrompue_par_le_serveur(message: &str) -> bool {
    const DEBUTS: &[&str] = &[
        // 57P01 admin_shutdown: `pg_ctl stop -m fast`, `pg_terminate_backend`.
        "terminating connection due to administrator command",
        // 57P02 crash_shutdown.
        "terminating connection because of crash of another server process",
        // 57P03 cannot_connect_now: shutting down, starting up, in recovery.
        "the database system is ",
        // 57014 query_canceled by `statement_timeout`.
        "canceling statement due to statement timeout",
    ];
    DEBUTS.iter().any(|debut| message.starts_with(debut))
}

impl<E: std::error::Error + 'static> From<bb8::RunError<E>> for AppError {
    fn from(err: bb8::RunError<E>) -> Self {
        tracing::warn!(error = %err, "pool de connexions indisponible");
        AppError::unavailable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(err: AppError) -> String {
        let gql: async_graphql::Error = err.into();
        let ext = gql.extensions.expect("extensions");
        match ext.get("code") {
            Some(async_graphql::Value::String(s)) => s.clone(),
            other => panic!("code absent: {other:?}"),
        }
    }

    #[test]
    fn chaque_erreur_porte_son_code() {
        assert_eq!(code_of(AppError::unauthenticated()), "UNAUTHENTICATED");
        assert_eq!(code_of(AppError::forbidden()), "FORBIDDEN");
        assert_eq!(code_of(AppError::not_found("Entité")), "NOT_FOUND");
        assert_eq!(
            code_of(AppError::bad_input("input.email", "x")),
            "BAD_USER_INPUT"
        );
        assert_eq!(code_of(AppError::conflict("x")), "CONFLICT");
        assert_eq!(code_of(AppError::rate_limited()), "RATE_LIMITED");
        assert_eq!(code_of(AppError::password_expired()), "PASSWORD_EXPIRED");
        assert_eq!(code_of(AppError::unavailable()), "UNAVAILABLE");
        assert_eq!(code_of(AppError::internal("boom")), "INTERNAL_SERVER_ERROR");
    }

    #[test]
    fn une_erreur_de_saisie_nomme_le_champ() {
        let gql: async_graphql::Error =
            AppError::bad_input("input.numeroCc", "NCC invalide").into();
        let ext = gql.extensions.unwrap();
        assert_eq!(
            ext.get("field"),
            Some(&async_graphql::Value::String("input.numeroCc".into()))
        );
    }

    #[test]
    fn une_erreur_interne_ne_montre_pas_son_detail() {
        let err = AppError::from(DieselError::QueryBuilderError(
            "SELECT secret FROM x".into(),
        ));
        let gql: async_graphql::Error = err.into();
        assert!(!gql.message.contains("SELECT"));
        assert_eq!(gql.message, "Une erreur interne est survenue.");
    }

    fn erreur_de_base(kind: DatabaseErrorKind, message: &str) -> DieselError {
        DieselError::DatabaseError(kind, Box::new(message.to_owned()))
    }

    #[test]
    fn une_base_perdue_ou_redemarree_devient_unavailable() {
        for erreur in [
            erreur_de_base(DatabaseErrorKind::UnableToSendCommand, "connection closed"),
            erreur_de_base(
                DatabaseErrorKind::UnableToSendCommand,
                "error communicating with the server: Broken pipe (os error 32)",
            ),
            erreur_de_base(DatabaseErrorKind::ClosedConnection, "server closed"),
            erreur_de_base(
                DatabaseErrorKind::Unknown,
                "terminating connection due to administrator command",
            ),
            erreur_de_base(
                DatabaseErrorKind::Unknown,
                "the database system is shutting down",
            ),
            erreur_de_base(
                DatabaseErrorKind::Unknown,
                "canceling statement due to statement timeout",
            ),
            DieselError::BrokenTransactionManager,
            DieselError::RollbackErrorOnCommit {
                commit_error: Box::new(erreur_de_base(
                    DatabaseErrorKind::UnableToSendCommand,
                    "connection closed",
                )),
                rollback_error: Box::new(erreur_de_base(
                    DatabaseErrorKind::UnableToSendCommand,
                    "connection closed",
                )),
            },
        ] {
            let err = AppError::from(erreur);
            assert_eq!(err.code(), Code::Unavailable);
            assert_eq!(err.message(), AppError::unavailable().message());
        }
    }

    #[test]
    fn une_autre_erreur_de_base_reste_interne() {
        let err = AppError::from(erreur_de_base(
            DatabaseErrorKind::Unknown,
            "column \"secret\" does not exist",
        ));
        assert_eq!(err.code(), Code::Internal);
        assert!(!err.message().contains("secret"));
    }

    #[test]
    fn introuvable_en_base_devient_not_found() {
        assert_eq!(code_of(AppError::from(DieselError::NotFound)), "NOT_FOUND");
    }
}
