DROP TABLE limites_debit;
DROP TABLE courriels_sortants;
DROP TABLE jetons_rafraichissement;
DROP TABLE sessions;
