-- A rotated API key keeps working until expires_at (the grace period), then stops by itself.
alter table credential add column expires_at timestamptz;
