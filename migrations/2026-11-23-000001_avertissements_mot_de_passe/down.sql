DROP INDEX idx_comptes_entreprises_password_expires_at;
DROP INDEX idx_users_password_expires_at;

ALTER TABLE comptes_entreprises
    DROP COLUMN avertissement_j7_echeance,
    DROP COLUMN avertissement_j15_echeance;

ALTER TABLE users
    DROP COLUMN avertissement_j7_echeance,
    DROP COLUMN avertissement_j15_echeance;
