-- When the password last changed: every service refuses the human's tokens issued before it.
alter table human add column password_changed_at timestamptz;
