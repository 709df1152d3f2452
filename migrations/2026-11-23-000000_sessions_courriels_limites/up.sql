-- Comptes et sessions : tables de service à côté des 25 tables du registre.
--   sessions                  une connexion (compte entreprise ou agent), révocable
--   jetons_rafraichissement   les jetons de rafraîchissement d'une session, hachés, à usage unique
--   courriels_sortants        la file d'envoi des courriels (écrite dans la transaction qui les cause)
--   limites_debit             compteurs de limitation de débit par fenêtre, partagés entre répliques

CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    compte_entreprise_id uuid REFERENCES comptes_entreprises (id) ON DELETE CASCADE,
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    -- Session ouverte avec un mot de passe expiré ou à changer : seuls changerMotDePasse et
    -- moi y sont permis.
    restreinte boolean NOT NULL DEFAULT false,
    ip inet,
    user_agent text,
    expires_at timestamptz NOT NULL,
    revoquee_le timestamptz,
    motif_revocation text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sessions_un_seul_titulaire CHECK (num_nonnulls(compte_entreprise_id, user_id) = 1),
    CONSTRAINT sessions_revocation_motivee CHECK (revoquee_le IS NULL OR motif_revocation IS NOT NULL)
);
CREATE INDEX idx_sessions_compte_entreprise_id ON sessions (compte_entreprise_id);
CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE TRIGGER trg_sessions_updated_at BEFORE UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
COMMENT ON TABLE sessions IS 'Sessions de connexion (comptes entreprises et agents), révocables.';

CREATE TABLE jetons_rafraichissement (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- SHA-256 du jeton opaque ; le jeton lui-même n'est jamais stocké.
    jeton_hash text NOT NULL UNIQUE CHECK (jeton_hash ~ '^[0-9a-f]{64}$'),
    expires_at timestamptz NOT NULL,
    utilise_le timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT jetons_rafraichissement_expiration CHECK (expires_at > created_at)
);
CREATE INDEX idx_jetons_rafraichissement_session_id ON jetons_rafraichissement (session_id);
COMMENT ON TABLE jetons_rafraichissement IS 'Jetons de rafraîchissement hachés, à usage unique (rotation).';

CREATE TABLE courriels_sortants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    destinataire text NOT NULL CHECK (destinataire = lower(btrim(destinataire)) AND destinataire <> ''),
    modele text NOT NULL CHECK (btrim(modele) <> ''),
    sujet text NOT NULL,
    -- Effacé après l'envoi : la file ne garde pas les codes à usage unique ni le texte.
    corps text,
    tentatives integer NOT NULL DEFAULT 0 CHECK (tentatives >= 0),
    prochain_essai_le timestamptz NOT NULL DEFAULT now(),
    envoye_le timestamptz,
    derniere_erreur text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT courriels_sortants_corps_avant_envoi CHECK (envoye_le IS NOT NULL OR corps IS NOT NULL)
);
CREATE INDEX idx_courriels_sortants_a_envoyer ON courriels_sortants (prochain_essai_le)
    WHERE envoye_le IS NULL;
CREATE TRIGGER trg_courriels_sortants_updated_at BEFORE UPDATE ON courriels_sortants
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
COMMENT ON TABLE courriels_sortants IS 'File d''envoi des courriels, avec reprises.';

CREATE TABLE limites_debit (
    cle text NOT NULL CHECK (btrim(cle) <> ''),
    fenetre timestamptz NOT NULL,
    compteur integer NOT NULL DEFAULT 0 CHECK (compteur >= 0),
    PRIMARY KEY (cle, fenetre)
);
CREATE INDEX idx_limites_debit_fenetre ON limites_debit (fenetre);
COMMENT ON TABLE limites_debit IS 'Compteurs de limitation de débit par clé et fenêtre de temps.';
