-- A rotated key's end of grace: after it, the key is refused without any further event.
alter table credential_projection add column expires_at timestamptz;
