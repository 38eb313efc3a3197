-- Schema version 1 of the 支部台账 ledger file, frozen as released. Never edit this file:
-- later versions are reached by the steps in desktop/store/migrations/__init__.py.
-- (Version 2 added the tables meeting_draft and agenda_template and the column member.job_title.)

CREATE TABLE committee (
	name VARCHAR(200) NOT NULL,
	unit_name VARCHAR(200) NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_committee PRIMARY KEY (id)
);

CREATE TABLE setting (
	"key" VARCHAR(100) NOT NULL,
	value TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_setting PRIMARY KEY (id),
	CONSTRAINT uq_setting_key UNIQUE ("key")
);

CREATE TABLE branch (
	committee_id VARCHAR(36) NOT NULL,
	name VARCHAR(200) NOT NULL,
	sort_order INTEGER NOT NULL,
	has_committee BOOLEAN NOT NULL,
	has_groups BOOLEAN NOT NULL,
	lecture_frequency VARCHAR(20) NOT NULL,
	lecture_custom_per_year INTEGER,
	theme_day_of_month INTEGER,
	established_on DATE,
	notes TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_branch PRIMARY KEY (id),
	CONSTRAINT fk_branch_committee_id_committee FOREIGN KEY(committee_id) REFERENCES committee (id)
);

CREATE INDEX ix_branch_committee_id ON branch (committee_id);

CREATE TABLE birthday_event (
	branch_id VARCHAR(36),
	date DATE NOT NULL,
	title VARCHAR(300) NOT NULL,
	place VARCHAR(200) NOT NULL,
	activities TEXT NOT NULL,
	notes TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_birthday_event PRIMARY KEY (id),
	CONSTRAINT fk_birthday_event_branch_id_branch FOREIGN KEY(branch_id) REFERENCES branch (id)
);

CREATE INDEX ix_birthday_event_branch_id ON birthday_event (branch_id);

CREATE TABLE party_group (
	branch_id VARCHAR(36) NOT NULL,
	name VARCHAR(200) NOT NULL,
	sort_order INTEGER NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_party_group PRIMARY KEY (id),
	CONSTRAINT fk_party_group_branch_id_branch FOREIGN KEY(branch_id) REFERENCES branch (id)
);

CREATE INDEX ix_party_group_branch_id ON party_group (branch_id);

CREATE TABLE campaign (
	name VARCHAR(300) NOT NULL,
	year INTEGER NOT NULL,
	branch_id VARCHAR(36),
	start_date DATE,
	end_date DATE,
	description TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_campaign PRIMARY KEY (id),
	CONSTRAINT fk_campaign_branch_id_branch FOREIGN KEY(branch_id) REFERENCES branch (id)
);

CREATE TABLE meeting (
	branch_id VARCHAR(36) NOT NULL,
	group_id VARCHAR(36),
	kind VARCHAR(20) NOT NULL,
	number INTEGER NOT NULL,
	title VARCHAR(300) NOT NULL,
	date DATE NOT NULL,
	start_time TIME,
	end_time TIME,
	place VARCHAR(200) NOT NULL,
	host VARCHAR(100) NOT NULL,
	recorder VARCHAR(100) NOT NULL,
	lecturer VARCHAR(100) NOT NULL,
	lecturer_title VARCHAR(200) NOT NULL,
	lecture_title VARCHAR(300) NOT NULL,
	summary TEXT NOT NULL,
	theme VARCHAR(300) NOT NULL,
	required_actions TEXT NOT NULL,
	followup TEXT NOT NULL,
	content TEXT NOT NULL,
	resolution TEXT NOT NULL,
	is_election BOOLEAN NOT NULL,
	state VARCHAR(10) NOT NULL,
	finalized_at DATETIME,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_meeting PRIMARY KEY (id),
	CONSTRAINT fk_meeting_branch_id_branch FOREIGN KEY(branch_id) REFERENCES branch (id),
	CONSTRAINT fk_meeting_group_id_party_group FOREIGN KEY(group_id) REFERENCES party_group (id)
);

CREATE INDEX ix_meeting_branch_date ON meeting (branch_id, date);

CREATE INDEX ix_meeting_kind ON meeting (kind);

CREATE TABLE member (
	name VARCHAR(100) NOT NULL,
	gender VARCHAR(4) NOT NULL,
	ethnicity VARCHAR(20) NOT NULL,
	birth_date DATE,
	education VARCHAR(40) NOT NULL,
	id_number VARCHAR(18) NOT NULL,
	phone VARCHAR(40) NOT NULL,
	branch_id VARCHAR(36),
	group_id VARCHAR(36),
	party_post VARCHAR(100) NOT NULL,
	category VARCHAR(10) NOT NULL,
	status VARCHAR(10) NOT NULL,
	join_date DATE,
	full_date DATE,
	notes TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_member PRIMARY KEY (id),
	CONSTRAINT fk_member_branch_id_branch FOREIGN KEY(branch_id) REFERENCES branch (id),
	CONSTRAINT fk_member_group_id_party_group FOREIGN KEY(group_id) REFERENCES party_group (id)
);

CREATE INDEX ix_member_branch_id ON member (branch_id);

CREATE INDEX ix_member_name ON member (name);

CREATE TABLE rect_category (
	campaign_id VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	name VARCHAR(100) NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_rect_category PRIMARY KEY (id),
	CONSTRAINT fk_rect_category_campaign_id_campaign FOREIGN KEY(campaign_id) REFERENCES campaign (id)
);

CREATE INDEX ix_rect_category_campaign_id ON rect_category (campaign_id);

CREATE TABLE celebrant (
	event_id VARCHAR(36) NOT NULL,
	member_id VARCHAR(36) NOT NULL,
	message TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_celebrant PRIMARY KEY (id),
	CONSTRAINT fk_celebrant_event_id_birthday_event FOREIGN KEY(event_id) REFERENCES birthday_event (id),
	CONSTRAINT fk_celebrant_member_id_member FOREIGN KEY(member_id) REFERENCES member (id)
);

CREATE INDEX ix_celebrant_member_id ON celebrant (member_id);

CREATE UNIQUE INDEX ix_celebrant_event_member ON celebrant (event_id, member_id);

CREATE TABLE agenda_item (
	meeting_id VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	text TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_agenda_item PRIMARY KEY (id),
	CONSTRAINT fk_agenda_item_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id)
);

CREATE INDEX ix_agenda_item_meeting_id ON agenda_item (meeting_id);

CREATE TABLE speech (
	meeting_id VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	section VARCHAR(100) NOT NULL,
	speaker VARCHAR(100) NOT NULL,
	text TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_speech PRIMARY KEY (id),
	CONSTRAINT fk_speech_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id)
);

CREATE INDEX ix_speech_meeting_id ON speech (meeting_id);

CREATE TABLE motion (
	meeting_id VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	title TEXT NOT NULL,
	yes INTEGER NOT NULL,
	no INTEGER NOT NULL,
	abstain INTEGER NOT NULL,
	is_election BOOLEAN NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_motion PRIMARY KEY (id),
	CONSTRAINT fk_motion_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id)
);

CREATE INDEX ix_motion_meeting_id ON motion (meeting_id);

CREATE TABLE attendance (
	meeting_id VARCHAR(36) NOT NULL,
	member_id VARCHAR(36) NOT NULL,
	status VARCHAR(10) NOT NULL,
	reason VARCHAR(200) NOT NULL,
	category VARCHAR(10) NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_attendance PRIMARY KEY (id),
	CONSTRAINT fk_attendance_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id),
	CONSTRAINT fk_attendance_member_id_member FOREIGN KEY(member_id) REFERENCES member (id)
);

CREATE INDEX ix_attendance_member_id ON attendance (member_id);

CREATE UNIQUE INDEX ix_attendance_meeting_member ON attendance (meeting_id, member_id);

CREATE TABLE guest (
	meeting_id VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	name VARCHAR(100) NOT NULL,
	title VARCHAR(200) NOT NULL,
	role VARCHAR(10) NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_guest PRIMARY KEY (id),
	CONSTRAINT fk_guest_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id)
);

CREATE INDEX ix_guest_meeting_id ON guest (meeting_id);

CREATE TABLE attachment (
	meeting_id VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	filename VARCHAR(260) NOT NULL,
	mime VARCHAR(100) NOT NULL,
	size INTEGER NOT NULL,
	data BLOB NOT NULL,
	caption VARCHAR(300) NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_attachment PRIMARY KEY (id),
	CONSTRAINT fk_attachment_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id)
);

CREATE INDEX ix_attachment_meeting_id ON attachment (meeting_id);

CREATE TABLE reopening (
	meeting_id VARCHAR(36) NOT NULL,
	at DATETIME NOT NULL,
	reason TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_reopening PRIMARY KEY (id),
	CONSTRAINT fk_reopening_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id)
);

CREATE INDEX ix_reopening_meeting_id ON reopening (meeting_id);

CREATE TABLE membership (
	member_id VARCHAR(36) NOT NULL,
	branch_id VARCHAR(36) NOT NULL,
	group_id VARCHAR(36),
	start_date DATE NOT NULL,
	end_date DATE,
	start_reason VARCHAR(20) NOT NULL,
	end_reason VARCHAR(20) NOT NULL,
	notes TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_membership PRIMARY KEY (id),
	CONSTRAINT fk_membership_member_id_member FOREIGN KEY(member_id) REFERENCES member (id),
	CONSTRAINT fk_membership_branch_id_branch FOREIGN KEY(branch_id) REFERENCES branch (id),
	CONSTRAINT fk_membership_group_id_party_group FOREIGN KEY(group_id) REFERENCES party_group (id)
);

CREATE INDEX ix_membership_member_id ON membership (member_id);

CREATE INDEX ix_membership_branch_id ON membership (branch_id);

CREATE TABLE post_holding (
	branch_id VARCHAR(36) NOT NULL,
	group_id VARCHAR(36),
	member_id VARCHAR(36) NOT NULL,
	post VARCHAR(20) NOT NULL,
	start_date DATE NOT NULL,
	end_date DATE,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_post_holding PRIMARY KEY (id),
	CONSTRAINT fk_post_holding_branch_id_branch FOREIGN KEY(branch_id) REFERENCES branch (id),
	CONSTRAINT fk_post_holding_group_id_party_group FOREIGN KEY(group_id) REFERENCES party_group (id),
	CONSTRAINT fk_post_holding_member_id_member FOREIGN KEY(member_id) REFERENCES member (id)
);

CREATE INDEX ix_post_holding_member_id ON post_holding (member_id);

CREATE INDEX ix_post_holding_branch_id ON post_holding (branch_id);

CREATE TABLE problem (
	category_id VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	description TEXT NOT NULL,
	source VARCHAR(20) NOT NULL,
	is_key BOOLEAN NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_problem PRIMARY KEY (id),
	CONSTRAINT fk_problem_category_id_rect_category FOREIGN KEY(category_id) REFERENCES rect_category (id)
);

CREATE INDEX ix_problem_category_id ON problem (category_id);

CREATE TABLE measure (
	problem_id VARCHAR(36) NOT NULL,
	seq INTEGER NOT NULL,
	content TEXT NOT NULL,
	target TEXT NOT NULL,
	leader VARCHAR(100) NOT NULL,
	owner VARCHAR(200) NOT NULL,
	deadline DATE,
	type VARCHAR(10) NOT NULL,
	status VARCHAR(20) NOT NULL,
	evidence TEXT NOT NULL,
	closed_on DATE,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_measure PRIMARY KEY (id),
	CONSTRAINT fk_measure_problem_id_problem FOREIGN KEY(problem_id) REFERENCES problem (id)
);

CREATE INDEX ix_measure_problem_id ON measure (problem_id);

CREATE TABLE progress_entry (
	measure_id VARCHAR(36) NOT NULL,
	date DATE NOT NULL,
	text TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_progress_entry PRIMARY KEY (id),
	CONSTRAINT fk_progress_entry_measure_id_measure FOREIGN KEY(measure_id) REFERENCES measure (id)
);

CREATE INDEX ix_progress_entry_measure_id ON progress_entry (measure_id);
