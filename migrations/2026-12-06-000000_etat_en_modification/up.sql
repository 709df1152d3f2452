-- Amending an approved dossier (déclaration modificative): while the company edits its
-- approved dossier, the workflow is `en_modification`. Its own migration: a value added to
-- an enum cannot be used in the transaction that adds it.
ALTER TYPE statut_workflow ADD VALUE 'en_modification' AFTER 'publie';
