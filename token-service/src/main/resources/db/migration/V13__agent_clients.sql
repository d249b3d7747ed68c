-- What the browser flows need of an agent: its name and owner for the consent page, and its OAuth client
-- settings (null client_type: the agent signs nobody in).
alter table agent_projection
    add column name                text,
    add column owner_email         text,
    add column client_type         text,
    add column redirect_uris       text[] not null default '{}',
    add column logo_uri            text,
    add column client_auth_method  text;
