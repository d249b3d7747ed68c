-- What a catalogue entry implies (files:write implies files:read; admin implies *): holding the entry
-- holds these too, for agents, people, delegations and tokens alike.
alter table permission_entry add column implies text[] not null default '{}';
alter table permission_entry add column updated_at timestamptz;
