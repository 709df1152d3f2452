-- Défait les modifications v2.2.
ALTER TABLE entites_conformite DROP COLUMN delai_mise_en_conformite;

ALTER TABLE comptes_entreprises
    DROP COLUMN password_expires_at,
    DROP COLUMN password_last_changed;

-- PostgreSQL n'a pas de DROP VALUE : on recrée le type sans les trois valeurs, en ramenant
-- chaque ligne qui en porte une à la plus proche des anciennes. Le défaut de la colonne
-- dépend du type : il est retiré puis remis.
ALTER TYPE statut_conformite RENAME TO statut_conformite_v2_2;
CREATE TYPE statut_conformite AS ENUM ('conforme', 'partiellement_conforme', 'non_conforme');

ALTER TABLE entites_conformite ALTER COLUMN statut_conformite DROP DEFAULT;
ALTER TABLE entites_conformite
    ALTER COLUMN statut_conformite TYPE statut_conformite
    USING (CASE statut_conformite::text
               WHEN 'demarche_achevee' THEN 'partiellement_conforme'
               WHEN 'demarche_en_cours' THEN 'non_conforme'
               WHEN 'rejete' THEN 'non_conforme'
               ELSE statut_conformite::text
           END)::statut_conformite;
ALTER TABLE entites_conformite ALTER COLUMN statut_conformite SET DEFAULT 'non_conforme';

DROP TYPE statut_conformite_v2_2;
