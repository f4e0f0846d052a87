import os
import subprocess
import sys

import pytest
from django.test import override_settings

from wangge.core.checks import production_settings_check
from wangge.settings import database_from_url, development_secret_key


@override_settings(DEBUG=False, SECRET_KEY_IS_DEVELOPMENT=True, ALLOWED_HOSTS=["grid.example"])
def test_production_refuses_the_development_secret_key():
    assert [error.id for error in production_settings_check()] == ["wangge.E001"]


@override_settings(DEBUG=False, SECRET_KEY_IS_DEVELOPMENT=False, ALLOWED_HOSTS=[])
def test_production_refuses_empty_allowed_hosts():
    assert [error.id for error in production_settings_check()] == ["wangge.E002"]


@override_settings(DEBUG=False, SECRET_KEY_IS_DEVELOPMENT=False, ALLOWED_HOSTS=["grid.example"])
def test_a_proper_production_configuration_passes():
    assert production_settings_check() == []


@override_settings(DEBUG=True, SECRET_KEY_IS_DEVELOPMENT=True, ALLOWED_HOSTS=[])
def test_development_is_not_held_to_production_rules():
    assert production_settings_check() == []


def test_the_check_stops_a_real_command_with_debug_off(tmp_path):
    env = {**os.environ, "WANGGE_DEBUG": "false", "WANGGE_DATA_DIR": str(tmp_path)}
    env.pop("WANGGE_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "wangge", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "wangge.E001" in result.stderr and "wangge.E002" in result.stderr


def test_a_development_secret_is_made_once_and_kept(tmp_path):
    first = development_secret_key(tmp_path)
    assert len(first) > 40
    assert development_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_becomes_a_postgresql_entry():
    entry = database_from_url("postgres://grid:p%40ss@db.local:5433/wangge")
    assert (entry["USER"], entry["PASSWORD"], entry["HOST"], entry["PORT"], entry["NAME"]) == (
        "grid",
        "p@ss",
        "db.local",
        "5433",
        "wangge",
    )


def test_database_url_of_another_engine_is_refused():
    with pytest.raises(ValueError, match="postgres://"):
        database_from_url("mysql://root@localhost/wangge")


def test_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_database_options_fit_the_engine(db, settings):
    from django.db import connection

    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    else:
        assert connection.vendor == "postgresql"
        assert database["CONN_MAX_AGE"] == 600 and database["CONN_HEALTH_CHECKS"]
