-- Checkpoints and purge markers vouch for the chain: the service appends them and never changes or
-- removes one, so its runtime role may not either.
revoke update, delete, truncate on audit_checkpoint, audit_purge from "${runtime_user}";
