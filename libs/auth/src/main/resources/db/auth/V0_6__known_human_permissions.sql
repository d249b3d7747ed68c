-- A human's permissions bound what it may delegate (delegation-service).
alter table known_human add column permissions text not null default '';
