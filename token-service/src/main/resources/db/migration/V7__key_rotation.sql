-- Key rotation: a key signs from activates_at on (it is published in JWKS before that); a key
-- replaced by a newer one is PASSIVE from retired_at and leaves JWKS once every token it signed expired.
alter table signing_key add column activates_at timestamptz;
alter table signing_key add column retired_at timestamptz;
update signing_key set activates_at = created_at;
alter table signing_key alter column activates_at set not null;
