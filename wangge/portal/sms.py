"""Text messages to residents' mobiles, through a pluggable gateway (`WANGGE_SMS_BACKEND`).

`ConsoleBackend` (the demo's and the default) writes the message to the log, where the demo's
operator reads the one-time code; `WebhookBackend` posts it as JSON to the government SMS
gateway's address on the intranet (`WANGGE_SMS_WEBHOOK_URL`). Tests use `OutboxBackend`,
which keeps the messages in memory. A gateway is never an internet service.
"""

import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from wangge.core.masking import mask_mobile

log = logging.getLogger("wangge.sms")


class SmsFailed(Exception):
    pass


class Backend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Logs the text with the number masked (the demo has no gateway)."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", mask_mobile(phone), text)


# Messages `OutboxBackend` sent, newest last: (phone, text).
outbox: list[tuple[str, str]] = []


class OutboxBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


class WebhookBackend:
    def __init__(self, url: str | None = None):
        self.url = url if url is not None else settings.WANGGE_SMS_WEBHOOK_URL

    def send(self, phone: str, text: str) -> None:
        if not self.url:
            raise SmsFailed("WANGGE_SMS_WEBHOOK_URL is not set")
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status >= 300:
                    raise SmsFailed(f"gateway answered {response.status}")
        except OSError as error:
            raise SmsFailed(str(error)) from error


def backend() -> Backend:
    return import_string(settings.WANGGE_SMS_BACKEND)()  # type: ignore[no-any-return]


def send(phone: str, text: str) -> bool:
    """Send one message; a gateway failure is logged and reported as False, never raised."""
    try:
        backend().send(phone, text)
    except SmsFailed as error:
        log.warning("SMS to %s failed: %s", mask_mobile(phone), error)
        return False
    return True
