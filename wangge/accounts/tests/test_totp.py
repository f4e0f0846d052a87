"""The code algorithm against the published test vectors, its window, and the check of the
required-roles setting. No database."""

import pytest

from wangge.accounts import totp

# RFC 4226, Appendix D: the ASCII secret "12345678901234567890", counters 0 to 9.
RFC4226_SECRET = b"12345678901234567890"
RFC4226_CODES = [
    "755224", "287082", "359152", "969429", "338314",
    "254676", "287922", "162583", "399871", "520489",
]  # fmt: skip

# RFC 6238, Appendix B: 8-digit codes, each algorithm with its own ASCII seed.
RFC6238_SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize("counter", range(10))
def test_hotp_gives_the_rfc_4226_codes(counter):
    assert totp.hotp(RFC4226_SECRET, counter) == RFC4226_CODES[counter]


@pytest.mark.parametrize("vector", RFC6238_VECTORS, ids=lambda vector: str(vector[0]))
@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "sha512"])
def test_totp_gives_the_rfc_6238_codes(vector, algorithm):
    unix_time, *codes = vector
    expected = codes[["sha1", "sha256", "sha512"].index(algorithm)]

    code = totp.totp(RFC6238_SEEDS[algorithm], unix_time, digits=8, algorithm=algorithm)

    assert code == expected


def test_the_six_digit_code_is_the_last_six_digits_of_the_rfc_vector():
    assert totp.totp(RFC6238_SEEDS["sha1"], 59) == "287082"


def test_a_code_of_the_step_before_or_after_is_accepted_but_not_two_away():
    secret = totp.secret_new()
    key, now = totp.secret_key(secret), 1_800_000_015.0
    step = totp.time_step(now)

    def code_at(offset: int) -> str:
        return totp.hotp(key, step + offset)

    assert totp.matching_step(secret, code_at(0), now) == step
    assert totp.matching_step(secret, code_at(-1), now) == step - 1
    assert totp.matching_step(secret, code_at(1), now) == step + 1
    assert totp.matching_step(secret, code_at(-2), now) is None
    assert totp.matching_step(secret, code_at(2), now) is None


def test_a_new_secret_is_160_random_bits_in_base32():
    first, second = totp.secret_new(), totp.secret_new()

    assert len(totp.secret_key(first)) == 20
    assert len(first) == 32 and first.isalnum() and first.isupper()
    assert first != second


def test_a_secret_typed_in_groups_and_lower_case_reads_the_same():
    secret = totp.secret_new()
    grouped = totp.secret_grouped(secret)

    assert grouped.split() == [secret[start : start + 4] for start in range(0, 32, 4)]
    assert totp.secret_key(grouped.lower()) == totp.secret_key(secret)


def test_the_provisioning_uri_names_the_issuer_account_and_secret():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="zhang san", issuer="wangge")

    assert uri.startswith("otpauth://totp/wangge:zhang%20san?")
    assert "secret=JBSWY3DPEHPK3PXP" in uri and "issuer=wangge" in uri
    assert "digits=6" in uri and "period=30" in uri and "algorithm=SHA1" in uri


def test_the_default_required_roles_are_the_two_administrator_roles(settings):
    from wangge.accounts.checks import totp_required_roles_check

    assert sorted(settings.WANGGE_TOTP_REQUIRED_ROLES) == ["district_admin", "system_admin"]
    assert totp_required_roles_check() == []


def test_a_misspelt_required_role_stops_the_system_checks(settings):
    from wangge.accounts.checks import totp_required_roles_check

    settings.WANGGE_TOTP_REQUIRED_ROLES = ["district_admn", "system_admin"]

    errors = totp_required_roles_check()

    assert [error.id for error in errors] == ["accounts.E001"]
    assert "district_admn" in errors[0].msg
