//! `otp_codes`: one-time codes (sign-up, sensitive login, password reset), stored hashed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ipnet::IpNet;
use uuid::Uuid;

use crate::models::enums::TypeOtp;
use crate::schema::otp_codes;

/// A code belonging to exactly one company account or staff member.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = otp_codes, check_for_backend(diesel::pg::Pg))]
pub struct OtpCode {
    pub id: Uuid,
    pub compte_entreprise_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    /// Hash of the code; the code itself is never stored.
    pub code_hash: String,
    /// The column `type`.
    pub type_: TypeOtp,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub tentatives: i32,
    /// Requesting address, purged after the retention period.
    pub ip: Option<IpNet>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
