from conftest import GRID_A, TEST_PASSWORD
from wangge.accounts.tests.factories import totp_enrolled


def test_my_access_needs_signing_in(client, db):
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_grid_worker_sees_their_grid_and_capabilities(client, grid_worker_a):
    client.login(username="worker_a", password=TEST_PASSWORD)

    html = client.get("/accounts/me/").content.decode()

    assert GRID_A in html and "进步巷社区第1网格" in html
    assert "620502001001002" not in html


def test_a_dispatcher_sees_the_township(client, dispatcher):
    client.force_login(dispatcher)

    response = client.get("/accounts/me/")

    assert [r.code for r in response.context["regions"]] == ["620502001"]
    assert response.context["capabilities"]


def test_a_resident_without_a_post_is_told_so(client, resident):
    client.force_login(resident)

    response = client.get("/accounts/me/")

    assert list(response.context["posts"]) == []
    assert not response.context["regions"]


def test_my_access_page_runs_few_queries(client, district_admin, django_assert_max_num_queries):
    totp_enrolled(district_admin)  # administrators must have a second factor to see pages
    client.force_login(district_admin)
    with django_assert_max_num_queries(12):
        assert client.get("/accounts/me/").status_code == 200
