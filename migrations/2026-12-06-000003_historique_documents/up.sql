-- ARTCI's review of a dossier's documents (validated or rejected, with the reason) is part
-- of the dossier's history. Its own migration: a value added to an enum cannot be used in
-- the transaction that adds it.
ALTER TYPE objet_historique ADD VALUE 'document';
