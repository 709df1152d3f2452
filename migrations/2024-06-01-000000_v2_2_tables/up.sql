-- v2.2 : codes OTP, assignations des dossiers aux agents, retours de vérification.

CREATE TYPE type_otp AS ENUM ('inscription', 'connexion', 'reset_password');
CREATE TYPE statut_assignation AS ENUM (
    'en_cours', 'traite_attente_validation', 'valide', 'en_retard', 'renvoye', 'annule'
);
-- La décision proposée par l'agent, nommée comme les statuts cibles du workflow.
CREATE TYPE decision_traitement AS ENUM (
    'conforme', 'conforme_sous_reserve', 'en_attente_complements', 'rejete'
);
CREATE TYPE statut_feedback AS ENUM ('brouillon', 'valide_n1', 'envoye', 'traite');

-- Un code appartient à exactement un compte entreprise ou un agent ; seul son hachage est
-- stocké. Les codes expirés et les adresses IP sont purgés après la durée de rétention.
CREATE TABLE otp_codes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    compte_entreprise_id uuid REFERENCES comptes_entreprises (id) ON DELETE CASCADE,
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    code_hash text NOT NULL CHECK (code_hash <> ''),
    type type_otp NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    tentatives integer NOT NULL DEFAULT 0 CHECK (tentatives >= 0),
    ip inet,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT otp_codes_un_proprietaire CHECK (num_nonnulls(compte_entreprise_id, user_id) = 1),
    CONSTRAINT otp_codes_expire_apres_creation CHECK (expires_at > created_at)
);
CREATE INDEX idx_otp_codes_compte_entreprise_type ON otp_codes (compte_entreprise_id, type)
    WHERE compte_entreprise_id IS NOT NULL;
CREATE INDEX idx_otp_codes_user_type ON otp_codes (user_id, type) WHERE user_id IS NOT NULL;
CREATE INDEX idx_otp_codes_expires_at ON otp_codes (expires_at);
CREATE TRIGGER trg_otp_codes_updated_at BEFORE UPDATE ON otp_codes
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
COMMENT ON TABLE otp_codes IS 'Codes à usage unique (inscription, connexion sensible, réinitialisation), hachés.';

CREATE TABLE assignations_demandes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    agent_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    assigne_par uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    date_assignation timestamptz NOT NULL DEFAULT now(),
    echeance date NOT NULL,
    statut statut_assignation NOT NULL DEFAULT 'en_cours',
    decision_proposee decision_traitement,
    traite_le timestamptz,
    -- Le N+1 qui valide ; jamais l'agent qui a traité.
    valide_par uuid REFERENCES users (id) ON DELETE RESTRICT,
    valide_le timestamptz,
    commentaire_validation text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assignations_demandes_validateur_pas_agent CHECK (valide_par <> agent_id),
    CONSTRAINT assignations_demandes_traitement_propose CHECK (
        statut <> 'traite_attente_validation'
        OR (decision_proposee IS NOT NULL AND traite_le IS NOT NULL)
    ),
    CONSTRAINT assignations_demandes_validation_signee
        CHECK (statut <> 'valide' OR (valide_par IS NOT NULL AND valide_le IS NOT NULL))
);
-- Au plus une assignation ouverte (ni validée ni annulée) par entité.
CREATE UNIQUE INDEX uq_assignations_demandes_une_ouverte ON assignations_demandes (entite_id)
    WHERE statut NOT IN ('valide', 'annule');
CREATE INDEX idx_assignations_demandes_entite_id ON assignations_demandes (entite_id);
CREATE INDEX idx_assignations_demandes_agent_id ON assignations_demandes (agent_id);
CREATE INDEX idx_assignations_demandes_assigne_par ON assignations_demandes (assigne_par);
CREATE INDEX idx_assignations_demandes_valide_par ON assignations_demandes (valide_par);
CREATE INDEX idx_assignations_demandes_statut ON assignations_demandes (statut);
CREATE INDEX idx_assignations_demandes_echeance ON assignations_demandes (echeance);
CREATE TRIGGER trg_assignations_demandes_updated_at BEFORE UPDATE ON assignations_demandes
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
COMMENT ON TABLE assignations_demandes IS 'Assignation d''un dossier à un agent, sa proposition et la validation N+1.';

CREATE TABLE feedbacks_verification (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    -- NULL pour un retour sans assignation (retour formulaire du super_admin).
    assignation_id uuid REFERENCES assignations_demandes (id) ON DELETE SET NULL,
    agent_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    commentaires text,
    -- [{rubrique, libelle, obligatoire, fourni}], validé par le service.
    elements_manquants jsonb NOT NULL DEFAULT '[]'
        CHECK (jsonb_typeof(elements_manquants) = 'array'),
    delai_fourniture date,
    statut statut_feedback NOT NULL DEFAULT 'brouillon',
    visible_entreprise boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Rien n'atteint l'entreprise avant l'envoi, après validation par le N+1.
    CONSTRAINT feedbacks_verification_visible_si_envoye
        CHECK (NOT visible_entreprise OR statut IN ('envoye', 'traite'))
);
CREATE INDEX idx_feedbacks_verification_entite_id ON feedbacks_verification (entite_id);
CREATE INDEX idx_feedbacks_verification_assignation_id ON feedbacks_verification (assignation_id);
CREATE INDEX idx_feedbacks_verification_agent_id ON feedbacks_verification (agent_id);
CREATE INDEX idx_feedbacks_verification_statut ON feedbacks_verification (statut);
CREATE TRIGGER trg_feedbacks_verification_updated_at BEFORE UPDATE ON feedbacks_verification
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
COMMENT ON TABLE feedbacks_verification IS 'Retours de vérification de l''agent : commentaires et éléments manquants.';
