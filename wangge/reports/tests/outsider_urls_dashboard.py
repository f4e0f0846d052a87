"""Scoped routes of the dashboard pages for the route-coverage test."""

from typing import Any

OUTSIDER_URLS: dict[str, Any] = {}
