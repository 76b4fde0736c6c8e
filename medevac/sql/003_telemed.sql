-- Telemedicine: specialists and rosters, consults, offers, attachments, chat and signalling.

CREATE TABLE specialists (
    id uuid PRIMARY KEY,
    mission_id uuid NOT NULL REFERENCES missions (id),
    -- the user who signs in with a specialist token and answers this specialist's offers
    user_id text NOT NULL UNIQUE REFERENCES users (id),
    name text NOT NULL,
    specialty text NOT NULL,
    facility_id uuid REFERENCES facilities (id),
    languages text[] NOT NULL DEFAULT '{}',
    -- partner hospitals and Level III specialists often answer for more than one mission
    serves_missions uuid[] NOT NULL DEFAULT '{}',
    load_limit integer NOT NULL CHECK (load_limit >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX specialists_specialty ON specialists (specialty);

-- On-call shifts and one-off overrides; "unavailable" beats everything, "available" adds time.
CREATE TABLE specialist_windows (
    id uuid PRIMARY KEY,
    specialist_id uuid NOT NULL REFERENCES specialists (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('on_call', 'available', 'unavailable')),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    note text,
    CHECK (ends_at > starts_at)
);
CREATE INDEX specialist_windows_by_specialist ON specialist_windows (specialist_id, ends_at);

-- One row per open connection; a replica that dies leaves rows that go stale (seen_at).
CREATE TABLE specialist_presence (
    connection_id uuid PRIMARY KEY,
    specialist_id uuid NOT NULL REFERENCES specialists (id) ON DELETE CASCADE,
    seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX specialist_presence_by_specialist ON specialist_presence (specialist_id, seen_at);

-- Per-mission answer targets and offer timeouts (seconds by urgency); absent = defaults.
CREATE TABLE telemed_policies (
    mission_id uuid PRIMARY KEY REFERENCES missions (id),
    answer_targets jsonb NOT NULL,
    offer_timeouts jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consults (
    id uuid PRIMARY KEY,
    mission_id uuid NOT NULL REFERENCES missions (id),
    requested_by text NOT NULL REFERENCES users (id),
    specialty text NOT NULL,
    urgency text NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'routine')),
    language text,
    question text NOT NULL,
    summary jsonb NOT NULL,              -- MIST-AT: the parties' eyes only, never in events
    casualty_ref text,
    evacuation_request_id uuid,          -- link to an evac request (issue 4's table)
    status text NOT NULL CHECK (status IN
        ('unmatched', 'offered', 'broadcast', 'accepted', 'closed', 'cancelled')),
    specialist_id uuid REFERENCES specialists (id),
    ranking jsonb NOT NULL DEFAULT '{}', -- the matcher's latest ranking, with reasons
    answer_due_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    first_offer_at timestamptz,
    broadcast_at timestamptz,
    accepted_at timestamptz,
    first_specialist_message_at timestamptz,
    closed_at timestamptz,
    cancelled_at timestamptz,
    outcome text CHECK (outcome IN
        ('advice_given', 'evacuation_recommended', 'referred', 'no_action_needed')),
    outcome_note text,
    last_seq integer NOT NULL DEFAULT 0, -- chat sequence allocator (row lock = gapless order)
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX consults_mission ON consults (mission_id, id);
CREATE INDEX consults_specialist ON consults (specialist_id) WHERE status = 'accepted';
CREATE INDEX consults_unmatched ON consults (created_at) WHERE status = 'unmatched';

CREATE TABLE consult_offers (
    id uuid PRIMARY KEY,
    consult_id uuid NOT NULL REFERENCES consults (id),
    specialist_id uuid NOT NULL REFERENCES specialists (id),
    mode text NOT NULL CHECK (mode IN ('single', 'broadcast')),
    status text NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'expired', 'withdrawn')),
    offered_at timestamptz NOT NULL,
    expires_at timestamptz,              -- NULL for broadcast offers: they wait for anyone
    answered_at timestamptz,
    decline_reason text
);
CREATE INDEX consult_offers_due ON consult_offers (expires_at) WHERE status = 'open';
CREATE INDEX consult_offers_by_consult ON consult_offers (consult_id);
CREATE UNIQUE INDEX consult_offers_one_open ON consult_offers (consult_id, specialist_id)
    WHERE status = 'open';

-- Stored in the database, not on disk: replicas share no filesystem, an attachment commits
-- (and is backed up) with its consult, and the size limit keeps rows modest.
CREATE TABLE consult_attachments (
    id uuid PRIMARY KEY,
    consult_id uuid NOT NULL REFERENCES consults (id),
    uploaded_by text NOT NULL REFERENCES users (id),
    media_type text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    filename text,
    size_bytes integer NOT NULL,
    sha256 bytea NOT NULL,
    content bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consult_attachments_by_consult ON consult_attachments (consult_id);

CREATE TABLE consult_messages (
    consult_id uuid NOT NULL REFERENCES consults (id),
    seq integer NOT NULL,
    client_id text NOT NULL,
    sender text NOT NULL REFERENCES users (id),
    sender_role text NOT NULL CHECK (sender_role IN ('clinician', 'specialist')),
    text text NOT NULL DEFAULT '',
    attachment_id uuid REFERENCES consult_attachments (id),
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consult_id, seq),
    UNIQUE (consult_id, client_id)
);

CREATE TABLE consult_reads (
    consult_id uuid NOT NULL REFERENCES consults (id),
    party text NOT NULL CHECK (party IN ('clinician', 'specialist')),
    read_seq integer NOT NULL,
    read_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consult_id, party)
);

-- WebRTC signalling in flight between the two parties; short-lived, pruned by the sweeper.
CREATE TABLE consult_signals (
    id bigserial PRIMARY KEY,
    consult_id uuid NOT NULL REFERENCES consults (id),
    to_party text NOT NULL CHECK (to_party IN ('clinician', 'specialist')),
    body jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consult_signals_by_consult ON consult_signals (consult_id, id);

-- Evacuation recommended: the draft request, linked both ways. Kept here until the
-- evacuation workflow (issue 4) can take drafts in its own table.
CREATE TABLE consult_evacuation_drafts (
    id uuid PRIMARY KEY,
    consult_id uuid NOT NULL UNIQUE REFERENCES consults (id),
    mission_id uuid NOT NULL REFERENCES missions (id),
    recommended_by text NOT NULL REFERENCES users (id),
    precedence text CHECK (precedence IN ('A', 'B', 'C', 'D', 'E')),
    destination_facility_id uuid REFERENCES facilities (id),
    note text,
    summary jsonb NOT NULL,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'discarded')),
    created_at timestamptz NOT NULL DEFAULT now()
);
