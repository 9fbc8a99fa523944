"""Each Alembic revision upgrades a small populated database without losing a row, and downgrades."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from storage.db import _MIGRATIONS, sync_url

ROWS = [
    "INSERT INTO data_key (id, master_version, wrapped, created_at) VALUES ('k1', 1, :blob, :now)",
    "INSERT INTO unit (code, name, is_province, parent_code, telegram_chat_id) VALUES ('01', 'Hà Nội', :t, NULL, -100)",
    "INSERT INTO officer (id, name, unit_code, role, active) VALUES ('o1', 'Lan', '01', 'officer', :t)",
    "INSERT INTO officer_identity (handle, officer_id, channel) VALUES ('h1', 'o1', 'telegram')",
    "INSERT INTO report_case (id, code, key_id, unit_code, place_code, category, urgent, age_band, sex, channel,"
    " reporter_kind, status, received_at, reporter_handle, contact_allowed, body_ct)"
    " VALUES ('c1', 'TE-ABCDE', 'k1', '01', NULL, 'physical', :t, '6-10', 'girl', 'telegram', 'adult',"
    " 'received', :now, 'h2', :f, :blob)",
]


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["database_url"] = sync_url(url)
    return config


def test_upgrade_from_each_revision_keeps_the_data(empty_database_url: str) -> None:
    database_url = empty_database_url
    config = _config(database_url)
    command.upgrade(config, "0001")
    engine = create_engine(sync_url(database_url))
    params = {"blob": b"\x01sealed", "now": datetime.now(UTC), "t": True, "f": False}
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement), params)
    command.upgrade(config, "head")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT code FROM report_case")).scalar_one() == "TE-ABCDE"
        assert connection.execute(text("SELECT address_ct FROM officer_identity")).scalar_one() is None
        connection.execute(text("INSERT INTO inbound_seen (channel, message_id, seen_at) VALUES ('zalo', 'm1', :now)"), params)
    command.downgrade(config, "0001")
    command.upgrade(config, "head")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM officer_identity")).scalar_one() == 1
    engine.dispose()


def test_the_newest_revision_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from storage.db import _newest_revision

    assert _newest_revision() == ScriptDirectory.from_config(_config("sqlite://")).get_current_head()


def test_a_start_on_an_up_to_date_database_does_not_import_alembic(tmp_path, empty_database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Alembic and mako cost about 12 MB in every process; only a start with something to migrate pays it."""
    import subprocess
    import sys

    script = (
        "import sys; from storage.db import run_migrations; run_migrations(sys.argv[1]);"
        " print('alembic' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", script, empty_database_url], capture_output=True, text=True, check=True) for _ in range(2)]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]  # migrated, then already at the head
