DROP FUNCTION registre_public_reconstruire();
DROP FUNCTION registre_public_rafraichir(uuid);
DROP FUNCTION registre_public_lignes(uuid[]);
DROP FUNCTION grappes_carte_ajuster(geography, integer);
DROP FUNCTION grappes_carte_taille(integer);
DROP TABLE grappes_carte;
DROP TABLE registre_public;
