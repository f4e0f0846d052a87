"""Legal aid personas on top of the shared ones: an officer of the district's legal aid
centre, and one posted in a single township (the outsider for applications elsewhere)."""

import pytest

from conftest import DISTRICT, TOWNSHIP, make_persona


@pytest.fixture
def officer(db):  # type: ignore[no-untyped-def]
    return make_persona("t_legalaid", "legal_aid_officer", region=DISTRICT)


@pytest.fixture
def township_officer(db):  # type: ignore[no-untyped-def]
    return make_persona("t_legalaid_township", "legal_aid_officer", region=TOWNSHIP)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
