-- Les compteurs des numéros que l'ARTCI délivre à la validation d'un dossier : récépissés
-- (déclaration préalable, dispense) et autorisations, numérotés à partir de 1 chaque année
-- (RCP-2026-000001, AUT-2026-000001). Un numéro se prend par
-- INSERT … ON CONFLICT DO UPDATE SET dernier = dernier + 1 RETURNING dernier, dans la
-- transaction de la validation : deux validations simultanées n'obtiennent jamais le même
-- numéro, et une validation annulée ne consomme le sien que si elle est validée.
CREATE TABLE numeros_delivres (
    annee integer NOT NULL CHECK (annee BETWEEN 2000 AND 9999),
    nature text NOT NULL CHECK (nature IN ('recepisse', 'autorisation')),
    dernier integer NOT NULL CHECK (dernier BETWEEN 1 AND 999999),
    PRIMARY KEY (annee, nature)
);
COMMENT ON TABLE numeros_delivres IS
    'Dernier numéro de récépissé ou d''autorisation délivré, par année.';

-- Les deux numéros sont uniques depuis la v2.1 (index uq_entites_workflow_numero_*), créés
-- ici au cas où une base les aurait perdus.
CREATE UNIQUE INDEX IF NOT EXISTS uq_entites_workflow_numero_recepisse
    ON entites_workflow (numero_recepisse) WHERE numero_recepisse IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS uq_entites_workflow_numero_autorisation_artci
    ON entites_workflow (numero_autorisation_artci) WHERE numero_autorisation_artci IS NOT NULL;
