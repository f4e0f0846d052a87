"""One-time codes from an authenticator app: HOTP (RFC 4226) and TOTP (RFC 6238).

Standard library only. The defaults are what every authenticator app uses: SHA-1, 6 digits,
30-second steps counted from the Unix epoch.
"""

import base64
import hashlib
import hmac
import secrets
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
# One step either side absorbs a phone clock that is a little off and the time spent typing.
WINDOW_STEPS = 1
SECRET_BYTES = 20  # 160 bits, the length RFC 4226 recommends for HMAC-SHA-1


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226 section 5.3: HMAC of the 8-byte counter, dynamically truncated."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), getattr(hashlib, algorithm)).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def totp(key: bytes, unix_time: float, *, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """RFC 6238 section 4: HOTP with the number of steps since the epoch as the counter."""
    return hotp(key, time_step(unix_time), digits=digits, algorithm=algorithm)


def secret_new() -> str:
    """A random secret in base32 without padding, as authenticator apps expect to type it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode().rstrip("=")


def secret_key(secret: str) -> bytes:
    """The key bytes of a base32 secret; spaces and lower case are accepted, padding restored."""
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def secret_grouped(secret: str) -> str:
    """`JBSW Y3DP EHPK 3PXP`: easier to copy by hand into an app."""
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def matching_step(secret: str, code: str, unix_time: float) -> int | None:
    """The time step within the window whose code is `code`, or None. Compared in constant
    time, so a wrong code takes as long as a right one."""
    key = secret_key(secret)
    now = time_step(unix_time)
    found = None
    for step in range(now - WINDOW_STEPS, now + WINDOW_STEPS + 1):
        if hmac.compare_digest(hotp(key, step), code):
            found = step
    return found


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// address a QR code carries (Google Authenticator's key URI format)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
