-- L'ordre d'écriture des lignes de l'historique : plusieurs lignes écrites par une même
-- transaction portent le même instant (celui de l'horloge du service), et l'historique se
-- relit dans l'ordre où elles ont été écrites (par exemple une resoumission puis la
-- réassignation automatique qui la suit). Les lignes existantes sont numérotées dans l'ordre
-- de la table, l'historique étant en ajout seul.
ALTER TABLE historique_statuts ADD COLUMN numero bigint GENERATED ALWAYS AS IDENTITY;
COMMENT ON COLUMN historique_statuts.numero IS
    'Ordre d''écriture des lignes (départage les lignes d''un même instant).';
