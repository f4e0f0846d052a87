"""`wangge portal_sweep`: remove rate-limit counters older than two days and one-time codes
that expired more than a day ago. Run it daily (cron or a systemd timer)."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from wangge.portal import throttle
from wangge.portal.models import OneTimeCode


class Command(BaseCommand):
    help = "Remove old rate-limit counters and expired one-time codes."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        counters = throttle.sweep(now=now)
        codes, _ = OneTimeCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
        self.stdout.write(f"{counters} rate-limit counters and {codes} one-time codes removed")
