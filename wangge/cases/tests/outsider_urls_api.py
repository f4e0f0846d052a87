"""Scoped routes of the case engine for the route-coverage test (api): name → (persona
fixture, url for a record outside the persona's scope)."""

from typing import Any

OUTSIDER_URLS: dict[str, Any] = {}
