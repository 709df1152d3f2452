-- A dossier's documents over time: a document replaced by a newer one is kept, superseded
-- (for the history); a document ARTCI uploads may be hidden from the company (an inspection
-- report, an internal note).
ALTER TABLE documents_joints
    ADD COLUMN remplace_par_id uuid REFERENCES documents_joints (id) ON DELETE SET NULL,
    ADD COLUMN remplace_le timestamptz,
    ADD COLUMN visible_entreprise boolean NOT NULL DEFAULT true,
    ADD CONSTRAINT documents_joints_remplacement_date
        CHECK ((remplace_par_id IS NULL) = (remplace_le IS NULL)),
    ADD CONSTRAINT documents_joints_pas_remplace_par_lui_meme
        CHECK (remplace_par_id IS DISTINCT FROM id),
    -- Only ARTCI hides a document from the company; a company's own upload is its own.
    ADD CONSTRAINT documents_joints_masque_par_l_artci
        CHECK (visible_entreprise OR depose_par_user_id IS NOT NULL);
COMMENT ON COLUMN documents_joints.remplace_par_id IS
    'Le document qui remplace celui-ci (gardé pour l''historique).';
COMMENT ON COLUMN documents_joints.visible_entreprise IS
    'Faux pour un document de l''ARTCI que l''entreprise ne voit pas.';
-- The current documents of a dossier, by type (the required documents' check).
CREATE INDEX idx_documents_joints_courants ON documents_joints (entite_id, type_document)
    WHERE remplace_par_id IS NULL;
CREATE INDEX idx_documents_joints_remplace_par_id ON documents_joints (remplace_par_id);
