-- Wrong passwords counted per (address, client) rather than per account: after
-- LOGIN_MAX_FAILURES of them, that client waits before it may try this address again, a wait
-- that doubles with each further failure (capped at LOGIN_LOCKOUT_MINUTES). Someone else's
-- failures thus never lock the owner out, nor end the owner's sessions. The key is a hash of
-- the normalised address and of the client's address, the same whether an account exists
-- or not (nothing tells which), and never the address itself.
CREATE TABLE echecs_connexion (
    cle text PRIMARY KEY CHECK (cle ~ '^[0-9a-f]{32}:[0-9a-f]{32}$'),
    echecs integer NOT NULL CHECK (echecs > 0),
    retarde_jusqu_a timestamptz,
    mis_a_jour timestamptz NOT NULL
);

CREATE INDEX idx_echecs_connexion_mis_a_jour ON echecs_connexion (mis_a_jour);

-- The per-account lock is gone: a lock still running when this migration lands is lifted.
UPDATE comptes_entreprises
SET verrouille_jusqu_a = NULL, tentatives_connexion_echouees = 0
WHERE verrouille_jusqu_a IS NOT NULL OR tentatives_connexion_echouees <> 0;
UPDATE users
SET verrouille_jusqu_a = NULL, tentatives_connexion_echouees = 0
WHERE verrouille_jusqu_a IS NOT NULL OR tentatives_connexion_echouees <> 0;
COMMENT ON TABLE echecs_connexion IS 'Mots de passe erronés par adresse et par client, et l''attente qui en découle.';
