import pytest


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    """Sign a persona in: `signed_in(persona)` returns the client."""

    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in
