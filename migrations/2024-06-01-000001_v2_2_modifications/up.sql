-- v2.2 : trois statuts de conformité de plus, expiration des mots de passe des comptes,
-- délai de mise en conformité.
--
-- ADD VALUE passe dans la transaction de la migration, mais les nouvelles valeurs ne sont
-- utilisables qu'après sa validation : rien ici ne s'en sert.
ALTER TYPE statut_conformite ADD VALUE 'demarche_achevee';
ALTER TYPE statut_conformite ADD VALUE 'demarche_en_cours';
ALTER TYPE statut_conformite ADD VALUE 'rejete';

ALTER TABLE comptes_entreprises
    ADD COLUMN password_last_changed timestamptz,
    ADD COLUMN password_expires_at timestamptz;

-- Échéance fixée à un dossier conforme_sous_reserve ; passée, il est rejeté.
ALTER TABLE entites_conformite ADD COLUMN delai_mise_en_conformite date;
