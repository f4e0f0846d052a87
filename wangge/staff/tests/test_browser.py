"""The staff pages in the real Chromium, as a district administrator and a dispatcher."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import demo_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")


sign_in = demo_sign_in


def test_a_district_administrator_assigns_a_grid_worker_and_sees_the_history(page, site_url):
    sign_in(page, site_url, "districtadmin")

    page.get_by_role("navigation").get_by_role("link", name="人员").click()
    page.get_by_label("姓名或用户名").fill("gridworker")
    page.get_by_role("button", name="筛选").click()
    page.locator("table").get_by_role("link").first.click()
    assert page.get_by_role("heading", name=re.compile("gridworker")).is_visible()
    page.get_by_role("link", name="分配网格").click()
    page.get_by_label("网格编码").fill("620502001001002")
    page.get_by_label("网格角色").select_option("part_time")
    page.get_by_role("button", name="保存").click()

    assert page.get_by_text("已分配网格").is_visible()
    history = page.locator("section", has_text="网格分配及历史").locator("tbody tr")
    assert history.count() == 2
    assert "620502001001002" in history.first.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "staff-detail.png", full_page=True)


def test_a_district_administrator_imports_staff_from_a_sheet(page, site_url, tmp_path):
    workbook = Workbook()
    workbook.active.append(["用户名", "姓名", "手机号", "岗位", "单位代码", "起始日期", "网格角色"])
    workbook.active.append(
        ["zhou07", "周七", "13900000007", "网格员", "620502001001003", "", "专职网格员"]
    )
    workbook.active.append(["wu08", "吴八", "12", "网格员", "620502999001001", "", ""])
    bad = tmp_path / "bad.xlsx"
    workbook.save(bad)
    sign_in(page, site_url, "districtadmin")

    page.goto(site_url + "/staff/import/")
    page.get_by_label("人员表（.xlsx）").set_input_files(bad)
    page.get_by_role("button", name="导入").click()

    alert = page.get_by_role("alert")
    assert "第 3 行" in alert.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "staff-import-refused.png", full_page=True)

    workbook.active.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    page.get_by_label("人员表（.xlsx）").set_input_files(
        {"name": "good.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}
    )
    page.get_by_role("button", name="导入").click()
    assert page.get_by_role("cell", name="zhou07").is_visible()


def test_a_dispatcher_sees_only_the_staff_of_their_township(page, site_url):
    sign_in(page, site_url, "dispatcher")

    page.goto(site_url + "/staff/?region=620502103")
    assert page.locator("table").count() == 0
    page.goto(site_url + "/staff/?region=620502001&role=grid_worker")
    assert page.locator("tbody tr").count() >= 10
    assert page.get_by_role("link", name="新建账号").count() == 0
    response = page.goto(site_url + "/staff/departments/police-620502103/")
    assert response.status == 404
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(site_url + "/staff/?region=620502001&role=grid_worker")
    page.screenshot(path=SHOTS / "staff-list-dispatcher.png", full_page=True)


def test_a_district_administrator_creates_an_account_gives_a_post_and_edits_a_department(
    page, site_url
):
    sign_in(page, site_url, "districtadmin")

    page.goto(site_url + "/staff/new/")
    page.get_by_label("用户名").fill("newcomer01")
    page.get_by_label("姓名").fill("新来的")
    page.get_by_role("button", name="创建").click()
    assert page.get_by_role("heading", name="账号已创建").is_visible()
    assert page.get_by_role("cell", name="newcomer01").is_visible()

    page.goto(site_url + "/staff/?text=newcomer01")
    page.locator("table").get_by_role("link").first.click()
    page.get_by_role("link", name="分配岗位").click()
    page.get_by_label("岗位").select_option("grid_worker")
    page.get_by_label("单位").fill("620502999001001")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("您的管辖范围内没有这个单位").is_visible()  # nothing saved
    page.get_by_label("单位").fill("620502001001003")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("岗位已分配。").is_visible()

    page.get_by_role("link", name="设置新密码").click()
    page.get_by_label("新密码", exact=True).fill("Abcdefgh1234")
    page.get_by_label("再次输入新密码").fill("Abcdefgh1234")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("密码已设置").is_visible()

    page.goto(site_url + "/staff/departments/")
    page.get_by_role("link", name="大城派出所").click()
    page.get_by_label("承办的事项类别").fill("220 230")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("部门已保存。").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "staff-department.png", full_page=True)
