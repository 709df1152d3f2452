-- Avertissements d'expiration du mot de passe (J-15 et J-7) : chaque colonne garde l'échéance
-- (`password_expires_at`) pour laquelle l'avertissement a été envoyé. Un avertissement part
-- une fois par échéance ; un nouveau mot de passe donne une nouvelle échéance, et les
-- avertissements repartent d'eux-mêmes, sans que le changement de mot de passe ait à les
-- remettre à zéro.

ALTER TABLE users
    ADD COLUMN avertissement_j15_echeance timestamptz,
    ADD COLUMN avertissement_j7_echeance timestamptz;
COMMENT ON COLUMN users.avertissement_j15_echeance IS
    'Échéance du mot de passe pour laquelle l''avertissement à J-15 a été envoyé.';
COMMENT ON COLUMN users.avertissement_j7_echeance IS
    'Échéance du mot de passe pour laquelle l''avertissement à J-7 a été envoyé.';

ALTER TABLE comptes_entreprises
    ADD COLUMN avertissement_j15_echeance timestamptz,
    ADD COLUMN avertissement_j7_echeance timestamptz;
COMMENT ON COLUMN comptes_entreprises.avertissement_j15_echeance IS
    'Échéance du mot de passe pour laquelle l''avertissement à J-15 a été envoyé.';
COMMENT ON COLUMN comptes_entreprises.avertissement_j7_echeance IS
    'Échéance du mot de passe pour laquelle l''avertissement à J-7 a été envoyé.';

-- La tâche cherche les mots de passe qui expirent bientôt.
CREATE INDEX idx_users_password_expires_at ON users (password_expires_at)
    WHERE password_expires_at IS NOT NULL;
CREATE INDEX idx_comptes_entreprises_password_expires_at ON comptes_entreprises (password_expires_at)
    WHERE password_expires_at IS NOT NULL;
