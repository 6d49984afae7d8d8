-- Seed vocabularies of PRODUCT.md. Admins edit them afterwards (rename, reorder, retire).
INSERT INTO themes (slug, label, position) VALUES
  ('service-usager', 'Service à l''usager', 1),
  ('innovation-manageriale', 'Innovation managériale', 2),
  ('innovation-territoriale', 'Innovation territoriale', 3),
  ('design-politiques-publiques', 'Design des politiques publiques', 4),
  ('participation-citoyenne', 'Participation et engagement citoyen', 5),
  ('transition-ecologique', 'Services écoresponsables et transition écologique', 6),
  ('coproduction', 'Coproduction', 7),
  ('sciences-comportementales', 'Sciences comportementales', 8),
  ('gouvernement-ouvert', 'Gouvernement ouvert', 9),
  ('inclusion-numerique', 'Inclusion numérique', 10),
  ('simplification', 'Simplification des démarches', 11),
  ('donnees-numerique-ia', 'Données, numérique et IA', 12);

INSERT INTO formats (slug, label, position) VALUES
  ('presentation-initiatives', 'Présentation d''initiatives', 1),
  ('atelier-participatif', 'Atelier participatif', 2),
  ('table-ronde', 'Table ronde', 3),
  ('session-creative', 'Session créative', 4),
  ('demonstration-outil', 'Démonstration d''outil', 5),
  ('exposition', 'Exposition', 6),
  ('visite', 'Visite', 7),
  ('webinaire', 'Webinaire', 8),
  ('conference', 'Conférence', 9),
  ('conference-debat', 'Conférence-débat', 10),
  ('podcast', 'Podcast', 11),
  ('module-formation', 'Module de formation', 12),
  ('hackathon', 'Hackathon / simplificathon', 13);

INSERT INTO organizer_types (slug, label, position) VALUES
  ('administration-centrale', 'Administration centrale', 1),
  ('service-deconcentre', 'Service déconcentré de l''État', 2),
  ('collectivite-territoriale', 'Collectivité territoriale', 3),
  ('operateur', 'Opérateur / établissement public', 4),
  ('laboratoire-innovation', 'Laboratoire d''innovation', 5),
  ('sanitaire-social', 'Établissement sanitaire ou social', 6),
  ('association-ess', 'Association / ESS', 7),
  ('autre', 'Autre', 8);

INSERT INTO audiences (slug, label, position) VALUES
  ('agents-publics', 'Agents publics', 1),
  ('managers', 'Managers', 2),
  ('elus', 'Élus', 3),
  ('usagers-grand-public', 'Usagers et grand public', 4),
  ('tous-publics', 'Tous publics', 5);

INSERT INTO lab_types (slug, label, position) VALUES
  ('ministeriel', 'Laboratoire ministériel', 1),
  ('territorial-etat', 'Laboratoire territorial de l''État', 2),
  ('collectivite', 'Laboratoire de collectivité', 3),
  ('operateur', 'Laboratoire d''opérateur', 4),
  ('sante', 'Laboratoire hospitalier ou de santé', 5),
  ('universitaire', 'Laboratoire universitaire ou de recherche', 6),
  ('associatif', 'Laboratoire associatif ou tiers-lieu', 7);
