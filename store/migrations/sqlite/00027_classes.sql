-- The portal's training calendar: classes an organiser unit runs, the
-- enterprises registered to each (one registration a tax code), and their
-- attendees, whom the organiser marks present. A class with anyone present
-- is an activity (activity_id, Ref portal-class-<id>), kept in step by the
-- store in the same transaction as the attendance. activity_id has no
-- foreign key: the store clears it in the transaction that deletes the
-- activity, and a class finding its activity gone writes a new one.

-- +goose Up
CREATE TABLE classes (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id           INTEGER NOT NULL REFERENCES programmes (id),
    unit_id                INTEGER NOT NULL REFERENCES org_units (id),
    title                  TEXT NOT NULL,
    topic                  TEXT NOT NULL DEFAULT '',
    task_group             TEXT NOT NULL,
    starts_on              TEXT NOT NULL,
    ends_on                TEXT NOT NULL,
    place                  TEXT NOT NULL DEFAULT '',
    online_link            TEXT NOT NULL DEFAULT '',
    capacity               INTEGER NOT NULL CHECK (capacity > 0),
    registration_closes_on TEXT,
    description            TEXT NOT NULL DEFAULT '',
    registered             INTEGER NOT NULL DEFAULT 0,
    activity_id            INTEGER,
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
-- The calendar's order, upcoming and past, a page at a time.
CREATE INDEX classes_by_start ON classes (programme_id, starts_on, id);

CREATE TABLE class_registrations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id        INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    tax_code        TEXT NOT NULL,
    enterprise_name TEXT NOT NULL,
    contact_name    TEXT NOT NULL DEFAULT '',
    contact_email   TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    UNIQUE (class_id, tax_code)
);

CREATE TABLE class_attendees (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id        INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES class_registrations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    position        TEXT NOT NULL DEFAULT '',
    present         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX class_attendees_by_class ON class_attendees (class_id, registration_id, id);
CREATE INDEX class_attendees_by_registration ON class_attendees (registration_id);

-- +goose Down
DROP TABLE class_attendees;
DROP TABLE class_registrations;
DROP TABLE classes;
