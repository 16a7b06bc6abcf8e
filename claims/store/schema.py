"""Append-only numbered migrations. An applied migration is never edited:
add a new one at the end. ``PRAGMA user_version`` holds the number applied."""
from __future__ import annotations

# Columns every synchronisable row carries.
_COMMON = """
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    site_id TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1"""

M001_BASE = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

CREATE TABLE platforms ({_COMMON},
    name TEXT NOT NULL UNIQUE,
    credit_code TEXT NOT NULL DEFAULT '',
    credit_override TEXT NOT NULL DEFAULT '',
    industries TEXT NOT NULL DEFAULT '[]',
    tier TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '');

CREATE TABLE stations ({_COMMON},
    platform_id TEXT NOT NULL REFERENCES platforms(id),
    name TEXT NOT NULL,
    district TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    manager TEXT NOT NULL DEFAULT '',
    UNIQUE (platform_id, name));

CREATE TABLE workers ({_COMMON},
    id_number TEXT NOT NULL UNIQUE,
    id_rev TEXT NOT NULL,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    phone TEXT NOT NULL,
    phone_rev TEXT NOT NULL,
    bank_card TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    emergency_contact TEXT NOT NULL DEFAULT '',
    emergency_phone TEXT NOT NULL DEFAULT '');
CREATE INDEX workers_id_rev ON workers(id_rev);
CREATE INDEX workers_phone ON workers(phone);
CREATE INDEX workers_phone_rev ON workers(phone_rev);
CREATE INDEX workers_name ON workers(name);
-- Chinese given names are one or two characters: FTS tokenizers miss them, so
-- search goes through an index of single characters and character pairs.
CREATE TABLE worker_name_grams (gram TEXT NOT NULL, worker_rowid INTEGER NOT NULL,
    PRIMARY KEY (gram, worker_rowid)) WITHOUT ROWID;

CREATE TABLE enrollments ({_COMMON},
    worker_id TEXT NOT NULL REFERENCES workers(id),
    platform_id TEXT NOT NULL REFERENCES platforms(id),
    station_id TEXT REFERENCES stations(id),
    industry TEXT NOT NULL,
    start_on TEXT NOT NULL,
    end_on TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    source TEXT NOT NULL DEFAULT 'manual',
    UNIQUE (worker_id, platform_id, industry, start_on));
CREATE INDEX enrollments_platform ON enrollments(platform_id, station_id, industry, status, worker_id);
CREATE INDEX enrollments_station ON enrollments(station_id, worker_id);

CREATE TABLE other_cover ({_COMMON},
    worker_id TEXT NOT NULL REFERENCES workers(id),
    kind TEXT NOT NULL, name TEXT NOT NULL,
    insurer TEXT NOT NULL DEFAULT '', policy_no TEXT NOT NULL DEFAULT '',
    start_on TEXT, end_on TEXT);
CREATE INDEX other_cover_worker ON other_cover(worker_id);

CREATE TABLE orders ({_COMMON},
    platform_id TEXT NOT NULL REFERENCES platforms(id),
    order_no TEXT NOT NULL,
    industry TEXT NOT NULL,
    worker_id TEXT NOT NULL REFERENCES workers(id),
    accepted_at TEXT NOT NULL,
    finished_at TEXT,
    region TEXT NOT NULL,
    UNIQUE (platform_id, order_no));
CREATE INDEX orders_worker_time ON orders(worker_id, accepted_at, finished_at, platform_id);

CREATE TABLE daily_counts (
    worker_id TEXT NOT NULL REFERENCES workers(id),
    platform_id TEXT NOT NULL REFERENCES platforms(id),
    industry TEXT NOT NULL,
    region TEXT NOT NULL,
    day TEXT NOT NULL,
    orders INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT 'derived',
    PRIMARY KEY (worker_id, platform_id, industry, day)) WITHOUT ROWID;
CREATE INDEX daily_counts_month ON daily_counts(platform_id, region, day, industry, orders);

CREATE TABLE fee_rates ({_COMMON},
    industry TEXT NOT NULL, region TEXT NOT NULL, tier TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL, valid_to TEXT,
    amount_units INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT '', status TEXT NOT NULL);

CREATE TABLE declarations ({_COMMON},
    number TEXT NOT NULL UNIQUE,
    platform_id TEXT NOT NULL REFERENCES platforms(id),
    region TEXT NOT NULL, month TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    declared_on TEXT, declarant TEXT NOT NULL DEFAULT '',
    amount_due_fen INTEGER NOT NULL DEFAULT 0,
    amount_paid_fen INTEGER NOT NULL DEFAULT 0,
    lines TEXT NOT NULL DEFAULT '[]',
    UNIQUE (platform_id, region, month));

CREATE TABLE fee_payments ({_COMMON},
    declaration_id TEXT NOT NULL REFERENCES declarations(id),
    paid_on TEXT NOT NULL, amount_fen INTEGER NOT NULL, reference TEXT NOT NULL DEFAULT '');
CREATE INDEX fee_payments_decl ON fee_payments(declaration_id);

CREATE TABLE cases ({_COMMON},
    number TEXT NOT NULL UNIQUE,
    worker_id TEXT NOT NULL REFERENCES workers(id),
    platform_id TEXT NOT NULL REFERENCES platforms(id),
    station_id TEXT REFERENCES stations(id),
    industry TEXT NOT NULL,
    order_no TEXT NOT NULL DEFAULT '',
    accident_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
    body_parts TEXT NOT NULL DEFAULT '', hospital TEXT NOT NULL DEFAULT '',
    case_type TEXT NOT NULL DEFAULT 'injury',
    reporter_name TEXT NOT NULL DEFAULT '', reporter_relation TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL DEFAULT 'counter',
    reported_at TEXT NOT NULL,
    state TEXT NOT NULL, state_since TEXT NOT NULL, due_on TEXT,
    clock_left INTEGER);
CREATE INDEX cases_worker ON cases(worker_id, accident_at);
CREATE INDEX cases_state ON cases(state, due_on);
CREATE INDEX cases_station ON cases(station_id);
CREATE INDEX cases_order ON cases(platform_id, order_no);

CREATE TABLE case_events ({_COMMON},
    case_id TEXT NOT NULL REFERENCES cases(id), seq INTEGER NOT NULL,
    from_state TEXT, to_state TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', UNIQUE (case_id, seq));

CREATE TABLE case_documents ({_COMMON},
    case_id TEXT NOT NULL REFERENCES cases(id), doc_type TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '', content_hash TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL DEFAULT 0, received_on TEXT);
CREATE INDEX case_documents_case ON case_documents(case_id);

CREATE TABLE decisions ({_COMMON},
    case_id TEXT NOT NULL REFERENCES cases(id), kind TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE, decided_on TEXT NOT NULL,
    situation_code TEXT NOT NULL DEFAULT '', reasons TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '', decided_by TEXT NOT NULL DEFAULT '');
CREATE INDEX decisions_case ON decisions(case_id);

CREATE TABLE appraisals ({_COMMON},
    case_id TEXT NOT NULL REFERENCES cases(id), grade INTEGER, care_level TEXT,
    conclusion_no TEXT NOT NULL, concluded_on TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'initial', current INTEGER NOT NULL DEFAULT 1);
CREATE INDEX appraisals_case ON appraisals(case_id);

CREATE TABLE assessments ({_COMMON},
    case_id TEXT NOT NULL REFERENCES cases(id), number TEXT NOT NULL UNIQUE,
    rule_set TEXT NOT NULL, once_total_fen INTEGER NOT NULL, monthly_total_fen INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft', prepared_by TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '', result_json TEXT NOT NULL DEFAULT '{{}}');
CREATE INDEX assessments_case ON assessments(case_id);

CREATE TABLE benefit_payments ({_COMMON},
    number TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL REFERENCES cases(id),
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    kind TEXT NOT NULL, period_month TEXT NOT NULL DEFAULT '',
    amount_fen INTEGER NOT NULL, payee TEXT NOT NULL, account TEXT NOT NULL DEFAULT '',
    due_on TEXT, paid_on TEXT, reference TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'prepared',
    prepared_by TEXT NOT NULL DEFAULT '', approved_by TEXT NOT NULL DEFAULT '');
CREATE INDEX benefit_payments_case ON benefit_payments(case_id);
CREATE INDEX benefit_payments_status ON benefit_payments(status);

CREATE TABLE parameters ({_COMMON},
    name TEXT NOT NULL, region TEXT NOT NULL,
    valid_from TEXT NOT NULL, valid_to TEXT, stat_year INTEGER,
    value TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '', label TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '', status TEXT NOT NULL);
CREATE INDEX parameters_lookup ON parameters(name, region, valid_from);

CREATE TABLE users ({_COMMON},
    username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, role TEXT NOT NULL,
    platform_id TEXT REFERENCES platforms(id), station_id TEXT REFERENCES stations(id),
    password_hash TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0, locked_until TEXT);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    table_name TEXT NOT NULL, record_id TEXT NOT NULL,
    changes TEXT NOT NULL, row_digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_record ON audit_log(table_name, record_id, seq);

CREATE TABLE printed_documents (
    code TEXT PRIMARY KEY, doc_code TEXT NOT NULL, record_key TEXT NOT NULL,
    digest TEXT NOT NULL, printed_by TEXT NOT NULL, printed_at TEXT NOT NULL,
    site_id TEXT NOT NULL);

CREATE TABLE import_runs ({_COMMON},
    kind TEXT NOT NULL, file_name TEXT NOT NULL, dry_run INTEGER NOT NULL,
    total INTEGER NOT NULL, new INTEGER NOT NULL, updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL, rejected INTEGER NOT NULL, actor TEXT NOT NULL);

CREATE TABLE import_mappings (platform TEXT NOT NULL, kind TEXT NOT NULL,
    mapping TEXT NOT NULL, PRIMARY KEY (platform, kind));
"""

# One-time notices of missing documents (补正材料一次性告知): a table rather than
# JSON in case_events.note, because a notice is a record of its own — it has a
# number printed on it, a due date, a status (open until the case leaves
# 材料待补, or superseded by a later notice when new requirements appear) and
# is queried by the checklist, the printouts and the second-notice guard.
M002_MISSING_NOTICES = f"""
CREATE TABLE missing_notices ({_COMMON},
    case_id TEXT NOT NULL REFERENCES cases(id),
    number TEXT NOT NULL UNIQUE,
    issued_on TEXT NOT NULL,
    due_on TEXT,
    issued_by TEXT NOT NULL DEFAULT '',
    items TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'open',
    closed_on TEXT);
CREATE INDEX missing_notices_case ON missing_notices(case_id, status);
"""

# 运行分析 aggregates (claims/store/stats.py): derived data, rebuilt from
# daily_counts and enrollments, never synchronised between sites (so no UUID
# keys). Triggers mark what changed in stats_dirty (a month, or '*' for all);
# readers refresh what is dirty first, so the figures are never stale. The
# indexes serve the case, decision and payment figures by date.
M003_STATS = """
CREATE TABLE stats_cells (id INTEGER PRIMARY KEY,
    platform_id TEXT NOT NULL, industry TEXT NOT NULL, station_id TEXT NOT NULL,
    pool TEXT NOT NULL, district TEXT NOT NULL,
    UNIQUE (platform_id, industry, station_id, pool, district));
CREATE TABLE stats_activity (month TEXT NOT NULL, cell_id INTEGER NOT NULL,
    workers INTEGER NOT NULL, orders INTEGER NOT NULL, days INTEGER NOT NULL,
    PRIMARY KEY (month, cell_id)) WITHOUT ROWID;
CREATE TABLE stats_active_sets (month TEXT NOT NULL, cells TEXT NOT NULL, workers INTEGER NOT NULL,
    PRIMARY KEY (month, cells)) WITHOUT ROWID;
CREATE TABLE stats_enrolled_sets (pattern TEXT PRIMARY KEY, workers INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE stats_dirty (kind TEXT NOT NULL, month TEXT NOT NULL, PRIMARY KEY (kind, month)) WITHOUT ROWID;
INSERT INTO stats_dirty (kind, month) VALUES ('activity', '*'), ('enrollments', '*');
CREATE TRIGGER stats_daily_ins AFTER INSERT ON daily_counts BEGIN
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('activity', substr(NEW.day, 1, 7));
END;
CREATE TRIGGER stats_daily_upd AFTER UPDATE ON daily_counts BEGIN
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('activity', substr(NEW.day, 1, 7));
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('activity', substr(OLD.day, 1, 7));
END;
CREATE TRIGGER stats_daily_del AFTER DELETE ON daily_counts BEGIN
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('activity', substr(OLD.day, 1, 7));
END;
CREATE TRIGGER stats_enrollment_ins AFTER INSERT ON enrollments BEGIN
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('enrollments', '*');
END;
CREATE TRIGGER stats_enrollment_upd AFTER UPDATE OF worker_id, platform_id, station_id, industry, start_on, end_on
    ON enrollments BEGIN
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('enrollments', '*');
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('activity', '*');
END;
CREATE TRIGGER stats_enrollment_del AFTER DELETE ON enrollments BEGIN
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('enrollments', '*');
END;
CREATE TRIGGER stats_station_upd AFTER UPDATE OF district, platform_id ON stations BEGIN
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('enrollments', '*');
    INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('activity', '*');
END;
CREATE INDEX stats_cases_reported ON cases(reported_at);
CREATE INDEX stats_decisions_decided ON decisions(decided_on, case_id);
CREATE INDEX stats_payments_paid ON benefit_payments(status, paid_on);
"""

# The station of a worker's orders is looked up per (worker, platform,
# industry) when the 统计 aggregates are refreshed: a covering index makes that
# an index-only search (13 s -> 2 s for 1,000,000 workers).
M004_STATS_STATION = """
CREATE INDEX stats_enrollment_station ON enrollments(worker_id, platform_id, industry, start_on, station_id);
"""

# Decisions that hold up (issue 14): a decision keeps what it was issued with
# (the rule set, the situation's wording and article as they then stood, the
# facts as printed, an override reason when the records did not support the
# conclusion, the day it was served); the case carries the windows for
# administrative review and lawsuit that run from that day, and the case it
# is a relapse (复发) of; a case document can carry a note (who signed a
# written waiver of review and lawsuit).
M_DECISION_RECORD = """
ALTER TABLE decisions ADD COLUMN rule_set TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN situation_text TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN facts TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN served_on TEXT;
ALTER TABLE cases ADD COLUMN review_until TEXT;
ALTER TABLE cases ADD COLUMN lawsuit_until TEXT;
ALTER TABLE cases ADD COLUMN relapse_of TEXT REFERENCES cases(id);
ALTER TABLE case_documents ADD COLUMN note TEXT NOT NULL DEFAULT '';
"""

# Rules an administrator corrects (audited like every row): the holiday
# calendar per year over the shipped file, and the wording of the situations
# a decision cites, per rule set, over the shipped list.
M_RULE_TEXTS = f"""
CREATE TABLE holiday_calendar ({_COMMON},
    year INTEGER NOT NULL UNIQUE,
    status TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    holidays TEXT NOT NULL DEFAULT '[]',
    workdays TEXT NOT NULL DEFAULT '[]');
CREATE TABLE situation_texts ({_COMMON},
    rule_set TEXT NOT NULL,
    code TEXT NOT NULL,
    wording TEXT NOT NULL,
    article TEXT NOT NULL,
    status TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    UNIQUE (rule_set, code));
"""

# A platform's accident report imported in bulk (import-reports) is stored
# once: its own number, unique per platform.
M_REPORT_NO = """
ALTER TABLE cases ADD COLUMN report_no TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX cases_report_no ON cases(platform_id, report_no) WHERE report_no != '';
"""

# Death cases and who claims (rules.md §6): the death and its cause, the end of
# the treatment period (医疗终结: a death before it is a death of the injury),
# and the claimant (申请人) to whom notices and payments are addressed, with the
# account the one-off death benefits are paid to.
M_DEATH_CLAIMANT = """
ALTER TABLE cases ADD COLUMN death_date TEXT;
ALTER TABLE cases ADD COLUMN death_cause TEXT;
ALTER TABLE cases ADD COLUMN treatment_end_on TEXT;
ALTER TABLE cases ADD COLUMN claimant_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN claimant_relation TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN claimant_id_number TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN claimant_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN claimant_address TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN claimant_bank TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN claimant_account TEXT NOT NULL DEFAULT '';
"""

# Dependants (供养亲属) are people of their own on a case: each has a payee and
# an end of entitlement, and gets a series of monthly payments. Advances
# (先行支付/垫付): money a platform, employer or other paid ahead, deducted from
# the worker's payment and paid back to the advancer.
M_DEPENDANTS_ADVANCES = f"""
CREATE TABLE dependants ({_COMMON},
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    id_number TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    basis TEXT NOT NULL DEFAULT '',
    lone_elder INTEGER NOT NULL DEFAULT 0,
    orphan INTEGER NOT NULL DEFAULT 0,
    payee_name TEXT NOT NULL DEFAULT '',
    payee_bank TEXT NOT NULL DEFAULT '',
    payee_account TEXT NOT NULL DEFAULT '',
    end_on TEXT,
    end_reason TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1);
CREATE INDEX dependants_case ON dependants(case_id, seq);
CREATE TABLE advances ({_COMMON},
    case_id TEXT NOT NULL REFERENCES cases(id),
    advancer_kind TEXT NOT NULL,
    advancer_name TEXT NOT NULL,
    advanced_on TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    payee_name TEXT NOT NULL DEFAULT '',
    payee_bank TEXT NOT NULL DEFAULT '',
    payee_account TEXT NOT NULL DEFAULT '',
    evidence_document_id TEXT REFERENCES case_documents(id),
    note TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1);
CREATE INDEX advances_case ON advances(case_id);
"""

# Payments say which series they belong to (the worker's monthly items, or one
# dependant's pension), carry the payee's bank, what they pay (items), and, for
# the repayment of an advance, which advance. Workers get a bank name.
M_PAYMENT_SERIES = """
ALTER TABLE benefit_payments ADD COLUMN payee_bank TEXT NOT NULL DEFAULT '';
ALTER TABLE benefit_payments ADD COLUMN series TEXT NOT NULL DEFAULT '';
ALTER TABLE benefit_payments ADD COLUMN dependant_id TEXT REFERENCES dependants(id);
ALTER TABLE benefit_payments ADD COLUMN advance_id TEXT REFERENCES advances(id);
ALTER TABLE benefit_payments ADD COLUMN pay_items TEXT NOT NULL DEFAULT '[]';
ALTER TABLE benefit_payments ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX benefit_payments_series ON benefit_payments(case_id, series, period_month);
ALTER TABLE workers ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
"""

# What printed documents need from the records (issue #16): the platform's legal
# company name beside its brand, the worker's account on the platform, the date
# of the first diagnosis; and each document as first issued — its number in the
# office's style (counted per kind and year), when and by whom it was first
# printed, and the office details it was printed with (a reprint shows them).
M_DOCUMENT_RECORDS = f"""
ALTER TABLE platforms ADD COLUMN legal_name TEXT NOT NULL DEFAULT '';
ALTER TABLE enrollments ADD COLUMN platform_account TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN diagnosed_on TEXT;
CREATE TABLE issued_documents ({_COMMON},
    doc_code TEXT NOT NULL,
    instance TEXT NOT NULL,
    record_key TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    year INTEGER,
    seq INTEGER,
    issued_on TEXT NOT NULL,
    first_printed_at TEXT,
    first_printed_by TEXT NOT NULL DEFAULT '',
    office TEXT NOT NULL DEFAULT '{{}}',
    UNIQUE (doc_code, instance));
CREATE INDEX issued_documents_key ON issued_documents(record_key);
"""

# Workers' names as pinyin (full and initials), so lists sort by pinyin and a name is
# found by "zhangwei" or "zw" through an index. Existing rows are filled here by the
# SQL functions the store registers on its connection (claims/pinyin.py).
M_NAME_PINYIN = """
ALTER TABLE workers ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT '';
ALTER TABLE workers ADD COLUMN name_initials TEXT NOT NULL DEFAULT '';
ALTER TABLE workers ADD COLUMN name_sort TEXT NOT NULL DEFAULT '';
UPDATE workers SET name_pinyin = zbt_pinyin(name), name_initials = zbt_initials(name), name_sort = zbt_pinyin_sort(name);
CREATE INDEX workers_pinyin ON workers(name_pinyin);
CREATE INDEX workers_initials ON workers(name_initials);
CREATE INDEX workers_name_sort ON workers(name_sort);
"""

# Maker-checker both ways: a reviewer returns an assessment or a payment to its
# maker with the reason, instead of only approving it. A returned assessment has
# the status 'returned'; a returned payment is cancelled (so every sum that leaves
# cancelled payments out leaves it out) and says who returned it.
M_RETURNS = """
ALTER TABLE assessments ADD COLUMN returned_by TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN return_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE benefit_payments ADD COLUMN returned_by TEXT NOT NULL DEFAULT '';
"""

# The account holder (户名) of every payee's account: a worker's and a claimant's
# (dependants and advancers have their payee name already). Empty: the person themself.
M_PAYEE_HOLDER = """
ALTER TABLE workers ADD COLUMN bank_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN claimant_holder TEXT NOT NULL DEFAULT '';
"""

# Derived search keys: not part of a record, so never part of its audit digest.
DERIVED_COLUMNS = frozenset({"name_pinyin", "name_initials", "name_sort"})

# The exchange between sites (claims/store/exchange/): every committed action's
# changeset (SQLite's session extension) in an outbox, this site's and those
# received (relayed on), in the order this site applied them; the sites it
# knows, with their keys and what each acknowledged; the packages sent and
# applied (a replay is a no-op); other sites' audit chains and signed heads;
# per-field stamps of the last change (for last-writer-wins merges, the same on
# every site); conflicts and probable duplicates for a person to decide (these
# two travel: a decision flows back). A case is handled by one site (empty:
# the site that created it).
M_EXCHANGE = """
CREATE TABLE exchange_outbox (
    origin TEXT NOT NULL, seq INTEGER NOT NULL,
    local_seq INTEGER NOT NULL UNIQUE,
    at TEXT NOT NULL, actor TEXT NOT NULL, schema_version INTEGER NOT NULL,
    changeset BLOB NOT NULL,
    refused TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (origin, seq)) WITHOUT ROWID;
CREATE TABLE exchange_sites (
    site TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', role TEXT NOT NULL DEFAULT 'field',
    public_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    trusted INTEGER NOT NULL DEFAULT 0, via TEXT NOT NULL DEFAULT '',
    trusted_at TEXT, trusted_by TEXT NOT NULL DEFAULT '',
    acked TEXT NOT NULL DEFAULT '{}',
    sent_seq INTEGER NOT NULL DEFAULT 0, sent_hash TEXT NOT NULL DEFAULT '', sent_at TEXT,
    received_seq INTEGER NOT NULL DEFAULT 0, received_at TEXT,
    folder TEXT NOT NULL DEFAULT '');
CREATE TABLE exchange_packages (
    id TEXT PRIMARY KEY, direction TEXT NOT NULL, peer TEXT NOT NULL, seq INTEGER NOT NULL,
    hash TEXT NOT NULL, at TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '{}');
CREATE INDEX exchange_packages_peer ON exchange_packages(peer, direction, seq);
CREATE TABLE exchange_audit (
    origin TEXT NOT NULL, seq INTEGER NOT NULL,
    at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    table_name TEXT NOT NULL, record_id TEXT NOT NULL,
    changes TEXT NOT NULL, row_digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (origin, seq)) WITHOUT ROWID;
CREATE TABLE exchange_heads (origin TEXT PRIMARY KEY, database TEXT NOT NULL, seq INTEGER NOT NULL,
    hash TEXT NOT NULL, signature TEXT NOT NULL);
CREATE TABLE exchange_stamps (tbl TEXT NOT NULL, pk TEXT NOT NULL, col TEXT NOT NULL, stamp TEXT NOT NULL,
    PRIMARY KEY (tbl, pk, col)) WITHOUT ROWID;
CREATE TABLE exchange_conflicts (
    id TEXT PRIMARY KEY, table_name TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL,
    value_a TEXT, site_a TEXT NOT NULL, value_b TEXT, site_b TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open', decision TEXT, decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT);
CREATE INDEX exchange_conflicts_open ON exchange_conflicts(status, table_name, record_id);
CREATE TABLE exchange_duplicates (
    id TEXT PRIMARY KEY, worker_a TEXT NOT NULL, worker_b TEXT NOT NULL, reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open', kept TEXT, decided_by TEXT NOT NULL DEFAULT '', decided_at TEXT);
ALTER TABLE cases ADD COLUMN handled_by TEXT NOT NULL DEFAULT '';
"""

# Industries are data (issue 19): from 2027 an administrator adds industries;
# the table is seeded from resources/rules/industries.json (the four pilot
# industries and the 2025 merger of 外卖 into 即时配送). Policy what-if
# scenarios (政策测算) are saved by name; running one writes nothing.
M_INDUSTRIES_SCENARIOS = f"""
CREATE TABLE industries ({_COMMON},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    since TEXT NOT NULL,
    merged_into TEXT NOT NULL DEFAULT '',
    merged_on TEXT NOT NULL DEFAULT '',
    documents TEXT NOT NULL DEFAULT '[]',
    seq INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'confirmed',
    source TEXT NOT NULL DEFAULT '');
CREATE TABLE whatif_scenarios ({_COMMON},
    name TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '');
"""

# Columns added to tables that already had rows, with their defaults: a row's
# audit digest leaves such a column out while it holds its default, so rows
# written before the column existed still match what the audit log recorded.
ADDED_COLUMN_DEFAULTS: dict[str, object] = {
    "death_date": None, "death_cause": None, "treatment_end_on": None, "claimant_name": "",
    "claimant_relation": "", "claimant_id_number": "", "claimant_phone": "", "claimant_address": "",
    "claimant_bank": "", "claimant_account": "",
    "payee_bank": "", "series": "", "dependant_id": None, "advance_id": None, "pay_items": "[]", "cancel_reason": "",
    "bank_name": "", "returned_by": "", "return_reason": "", "bank_holder": "", "claimant_holder": "",
    # decisions that keep what they were issued with, review windows, relapse, imported reports
    "situation_text": "", "facts": "", "override_reason": "", "served_on": None, "review_until": None,
    "lawsuit_until": None, "relapse_of": None, "note": "", "report_no": "", "rule_set": "",
    # printed documents (issue #16)
    "legal_name": "", "platform_account": "", "diagnosed_on": None,
    "handled_by": "",  # the exchange: a case handled by another site than the one that created it
}

# Search by any part of the ID number or mobile (claims/store/worker_search.py):
# an FTS5 index whose document for a worker is every run of four characters of
# the two numbers, and the last three of each, as words ("3101 1010 0104 …").
# Four digits are one word; three are the words they begin (prefix='3' keeps
# an index of those too); longer runs are words they are made of, checked
# against the numbers. Contentless (content=''), without positions or sizes
# (detail='none', columnsize=0): about 65 MB for 1,000,000 workers, 25 of
# them the three-digit prefixes. Triggers keep it in step with every write to
# workers, the bulk paths (imports, the demo generator) included. Numbers are
# indexed up to 24 characters (they are 18 and 11). A bulk path (an import's
# batch, the demo generator) writes the words itself, a batch at a time, which
# costs a fifth of the trigger's ~50 µs a row: it marks that in bulk_write for
# the length of its INSERT, inside its transaction (WorkerSearchMixin.
# _insert_workers_bulk), and the insert triggers stand aside. This text is
# generated once from _digit_words and must never change: a new one needs a
# new migration.
def _digit_words(row: str) -> str:
    return " || ' ' || ".join(f"substr({row}.{col}, {k}, 4 * (length({row}.{col}) >= {k + 2}))"
                              for col in ("id_number", "phone") for k in range(1, 25))


M_WORKER_DIGITS = f"""
CREATE VIRTUAL TABLE worker_digits USING fts5(words, content='', detail='none', columnsize=0, tokenize='ascii',
    prefix='3');
INSERT INTO worker_digits (rowid, words) SELECT rowid, {_digit_words('workers')} FROM workers;
CREATE TABLE bulk_write (what TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TRIGGER worker_digits_ins AFTER INSERT ON workers WHEN NOT EXISTS (SELECT 1 FROM bulk_write) BEGIN
    INSERT INTO worker_digits (rowid, words) VALUES (NEW.rowid, {_digit_words('NEW')});
END;
CREATE TRIGGER worker_digits_del AFTER DELETE ON workers BEGIN
    INSERT INTO worker_digits (worker_digits, rowid, words) VALUES ('delete', OLD.rowid, {_digit_words('OLD')});
END;
CREATE TRIGGER worker_digits_upd AFTER UPDATE OF id_number, phone ON workers BEGIN
    INSERT INTO worker_digits (worker_digits, rowid, words) VALUES ('delete', OLD.rowid, {_digit_words('OLD')});
    INSERT INTO worker_digits (rowid, words) VALUES (NEW.rowid, {_digit_words('NEW')});
END;
"""

# How many workers there are, kept by triggers: the home screen shows it the
# moment the window is up, and count(*) reads a whole index of a million rows
# (~40 ms) to say it. Derived data, like the 统计 tables: never synchronised.
# A bulk insert adds its rows itself (bulk_write, above).
M_ROW_COUNTS = """
CREATE TABLE row_counts (table_name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO row_counts (table_name, n) SELECT 'workers', count(*) FROM workers;
CREATE TRIGGER row_counts_workers_ins AFTER INSERT ON workers WHEN NOT EXISTS (SELECT 1 FROM bulk_write) BEGIN
    UPDATE row_counts SET n = n + 1 WHERE table_name = 'workers';
END;
CREATE TRIGGER row_counts_workers_del AFTER DELETE ON workers BEGIN
    UPDATE row_counts SET n = n - 1 WHERE table_name = 'workers';
END;
"""

# (number, description, SQL). Append only.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "基础表结构", M001_BASE),
    (2, "补正材料一次性告知", M002_MISSING_NOTICES),
    (3, "统计汇总表", M003_STATS),
    (4, "统计：参保站点覆盖索引", M004_STATS_STATION),
    (5, "结论书的事实、依据与复议诉讼期限", M_DECISION_RECORD),
    (6, "节假日与确认情形的更正", M_RULE_TEXTS),
    (7, "平台报案编号", M_REPORT_NO),
    (8, "死亡、申请人与医疗终结", M_DEATH_CLAIMANT),
    (9, "供养亲属与垫付", M_DEPENDANTS_ADVANCES),
    (10, "支付系列与收款银行", M_PAYMENT_SERIES),
    (11, "文书：平台法定名称、平台账号、初诊日期、出具记录与文号", M_DOCUMENT_RECORDS),
    (12, "姓名拼音", M_NAME_PINYIN),
    (13, "核定与支付的退回", M_RETURNS),
    (14, "收款户名", M_PAYEE_HOLDER),
    (15, "人员号码任意几位检索", M_WORKER_DIGITS),
    (16, "人员总数", M_ROW_COUNTS),
    (17, "站点间数据交换", M_EXCHANGE),
    (18, "行业数据与政策测算方案", M_INDUSTRIES_SCENARIOS),
]

HEAD = MIGRATIONS[-1][0]
EXCHANGE_VERSION = next(n for n, d, _ in MIGRATIONS if d == "站点间数据交换")  # never a number in code: the lead renumbers
