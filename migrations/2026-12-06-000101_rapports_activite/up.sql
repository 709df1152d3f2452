-- The correspondant's annual activity report (law Art. 41-42; arrêté 511/MPTIC/CAB,
-- Art. 13): an approved entity files its report on year N by 31 March of N+1, ARTCI accepts
-- it or asks for a corrected one. The reminders before the deadline and the late notice
-- after it are sent once per entity and year (the deadline job notes them here).

CREATE TYPE statut_rapport_activite AS ENUM ('soumis', 'accepte', 'a_corriger');

CREATE TABLE rapports_activite (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE RESTRICT,
    -- The year the report is about (filed during the next one).
    annee integer NOT NULL CHECK (annee BETWEEN 2013 AND 9999),
    -- The file, a `rapport_activite` document of the entity; one report per document.
    document_id uuid NOT NULL UNIQUE REFERENCES documents_joints (id) ON DELETE RESTRICT,
    statut statut_rapport_activite NOT NULL DEFAULT 'soumis',
    depose_par_compte_id uuid REFERENCES comptes_entreprises (id) ON DELETE SET NULL,
    date_depot timestamptz NOT NULL,
    date_examen timestamptz,
    examine_par uuid REFERENCES users (id) ON DELETE RESTRICT,
    commentaire text CHECK (btrim(commentaire) <> '' AND char_length(commentaire) <= 5000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT rapports_activite_examen_date
        CHECK ((statut = 'soumis') = (date_examen IS NULL)),
    CONSTRAINT rapports_activite_a_corriger_motive
        CHECK (statut <> 'a_corriger' OR commentaire IS NOT NULL)
);
COMMENT ON TABLE rapports_activite IS
    'Rapports annuels d''activité du correspondant (un accepté ou un en attente par entité et année).';
-- Per entity and year, at most one report waiting or accepted: one accepted report, one
-- waiting for review, and none filed once one is accepted.
CREATE UNIQUE INDEX uq_rapports_activite_un_soumis_ou_accepte
    ON rapports_activite (entite_id, annee) WHERE statut IN ('soumis', 'accepte');
CREATE INDEX idx_rapports_activite_entite_annee ON rapports_activite (entite_id, annee);
CREATE INDEX idx_rapports_activite_annee_statut ON rapports_activite (annee, statut, created_at);
CREATE INDEX idx_rapports_activite_depose_par ON rapports_activite (depose_par_compte_id);
CREATE INDEX idx_rapports_activite_examine_par ON rapports_activite (examine_par);
CREATE TRIGGER trg_rapports_activite_updated_at BEFORE UPDATE ON rapports_activite
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Which report mails an entity received for a year: each is sent once.
CREATE TABLE rappels_rapport_activite (
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    annee integer NOT NULL CHECK (annee BETWEEN 2013 AND 9999),
    premier_rappel_le timestamptz,
    second_rappel_le timestamptz,
    avis_retard_le timestamptz,
    PRIMARY KEY (entite_id, annee)
);
COMMENT ON TABLE rappels_rapport_activite IS
    'Rappels (1er et 2nd) et avis de retard du rapport annuel envoyés, par entité et année.';
