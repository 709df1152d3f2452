-- ARTCI decides within one month of a submission, once extendable by one month with reasons
-- given to the applicant. Both markers hold the `date_soumission` they were made for, so a
-- new submission allows a new extension and a new alert.
ALTER TABLE entites_workflow
    ADD COLUMN delai_prolonge_pour timestamptz,
    ADD COLUMN motif_prolongation text
        CHECK (btrim(motif_prolongation) <> '' AND char_length(motif_prolongation) <= 5000),
    ADD COLUMN alerte_delai_depasse_pour timestamptz;
COMMENT ON COLUMN entites_workflow.delai_prolonge_pour IS
    'Date de soumission dont le délai de décision a été prolongé (une fois par soumission).';
COMMENT ON COLUMN entites_workflow.alerte_delai_depasse_pour IS
    'Date de soumission pour laquelle les administrateurs ont été alertés du délai dépassé.';
-- The job and the staff list's `delaiDepasse` filter read
-- idx_entites_workflow_a_verifier_date_limite (the dossiers awaiting a decision, by deadline).
