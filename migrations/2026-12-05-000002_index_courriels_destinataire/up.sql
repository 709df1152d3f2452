-- "Was this mail already queued for this address today?" (the existing-address sign-up
-- mail, the wrong-password notice: once a day at most): one index probe instead of a scan
-- of the outbox.
CREATE INDEX idx_courriels_sortants_destinataire_modele
    ON courriels_sortants (destinataire, modele, created_at);
