-- What a human may lend, read again at every token exchange of a grant the human made.
alter table human_projection add column permissions text[] not null default '{}';
