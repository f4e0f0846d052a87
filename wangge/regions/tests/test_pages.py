import pytest


@pytest.mark.parametrize("url", ["/", "/regions/map/", "/regions/620502/"])
def test_pages_need_signing_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sign_in_page_is_in_chinese_by_default(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_a_wrong_password_says_so_and_signs_nobody_in(client, staff_user):
    response = client.post("/accounts/login/", {"username": "staff", "password": "nope"})

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_leads_to_the_map(staff_client):
    assert staff_client.get("/")["Location"] == "/regions/map/"


def test_map_page_carries_what_its_script_needs_and_no_inline_script(staff_client):
    response = staff_client.get("/regions/map/?focus=620502001")
    html = response.content.decode()

    assert 'data-root="620502"' in html
    assert 'data-focus="620502001"' in html
    assert "/static/leaflet/leaflet.js" in html
    assert "Vonng/adcode" in html and "CC BY 4.0" in html
    assert "<script>" not in html  # only src= scripts and application/json data
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "http://" not in html.replace("http://testserver", "")


def test_region_page_lists_children_with_counts_in_few_queries(
    staff_client, django_assert_max_num_queries
):
    # Session, user, posts, permissions (for the menu), the unread notifications (the
    # header's count) and session save: 8; the page: 6, whatever the number of children.
    with django_assert_max_num_queries(14):
        response = staff_client.get("/regions/620502/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "大城街道" in html and "620502001" in html
    assert response.context["children"][0].grid_count > 0
    assert response.context["children"][0].worker_count > 0


def test_grid_page_names_its_workers(staff_client):
    response = staff_client.get("/regions/620502001001001/")

    assert response.status_code == 200
    assert "网格长" in response.content.decode()
    assert [a.role for a in response.context["workers"]] == ["leader", "full_time", "part_time"]


def test_unknown_region_page_is_404(staff_client):
    assert staff_client.get("/regions/620502999/").status_code == 404


def test_english_is_available(staff_client):
    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/regions/620502/"})
    html = staff_client.get("/regions/620502/").content.decode()

    assert "Grid workers" in html
