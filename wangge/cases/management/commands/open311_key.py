"""`wangge open311_key USERNAME --name NAME`: an Open311 api_key whose requests are reported
in the name of USERNAME's account. The key is printed once; only its SHA-256 is kept."""

import hashlib
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from wangge.accounts.models import User
from wangge.audit.services import record
from wangge.cases.models import ApiClient


class Command(BaseCommand):
    help = "Create an Open311 API client for an account and print its api_key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the account its requests are reported by")
        parser.add_argument("--name", required=True, help="who the client is, e.g. 12345 热线")

    def handle(self, *args: Any, **options: Any) -> None:
        account = User.objects.filter(username=options["username"], is_active=True).first()
        if account is None:
            raise CommandError(f"no active account {options['username']!r}")
        key = secrets.token_urlsafe(32)
        with transaction.atomic():
            client = ApiClient.objects.create(
                name=options["name"][:100],
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                account=account,
            )
            record(actor=None, action="cases.api_client_create", target=client)
        self.stdout.write(key)
        self.stderr.write(
            f"API client {client.pk} ({client.name}) for {account.username}: "
            "keep the key above; it is not shown again."
        )
