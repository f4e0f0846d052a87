"""The staff API: the same gate as the pages, masked mobiles, paging, the error shape."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wangge.accounts.models import User


def test_a_dispatcher_lists_the_staff_of_their_township_with_masked_mobiles(signed_in, dispatcher):
    User.objects.filter(username="gridworker").update(mobile="13812345678")

    response = signed_in(dispatcher).get("/api/v1/staff", {"text": "gridworker"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["mobile_masked"] == "138****5678"
    assert "13812345678" not in response.content.decode()
    assert item["posts"][0]["unit_code"] == "620502001001001"


def test_the_list_is_paged_in_a_fixed_number_of_queries(signed_in, district_admin):
    client = signed_in(district_admin)
    client.get("/api/v1/staff", {"limit": 5})

    with CaptureQueriesContext(connection) as small:
        small_page = client.get("/api/v1/staff", {"limit": 5}).json()
    with CaptureQueriesContext(connection) as large:
        large_page = client.get("/api/v1/staff", {"limit": 100}).json()

    assert len(small_page["items"]) == 5
    assert len(large_page["items"]) == 100
    assert len(small) == len(large)


def test_one_persons_reach_and_the_refusals(signed_in, dispatcher, grid_worker_a, outsider):
    client = signed_in(dispatcher)

    reach = client.get(f"/api/v1/staff/{grid_worker_a.pk}").json()
    assert reach["region_codes"] == ["620502001001001"]
    assert reach["capabilities"]

    missing = client.get(f"/api/v1/staff/{outsider.pk}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_strangers_and_the_unentitled_are_refused(client, signed_in, grid_worker_a):
    assert client.get("/api/v1/staff").status_code == 401

    response = signed_in(grid_worker_a).get("/api/v1/staff")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_bad_paging_input_is_refused_clearly(signed_in, dispatcher):
    response = signed_in(dispatcher).get("/api/v1/staff", {"limit": "many"})

    assert response.status_code == 422
    assert "limit" in response.json()["fields"]
