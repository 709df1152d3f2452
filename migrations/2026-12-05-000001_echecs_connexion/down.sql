DROP TABLE echecs_connexion;
