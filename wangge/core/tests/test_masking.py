from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from wangge.core.masking import mask_address, mask_identity_number, mask_mobile, mask_name


def test_identity_number_keeps_area_code_and_last_four():
    assert mask_identity_number("620502199001010019") == "620502********0019"
    assert mask_identity_number("62050219900101001X") == "620502********001X"


def test_mobile_keeps_prefix_and_last_four():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("138 1234 5678") == "138****5678"


def test_address_hides_the_house():
    masked = mask_address("甘肃省天水市秦州区大城街道进步巷12号3单元501")
    assert masked == "甘肃省天水市******" and "12号" not in masked


def test_names_show_the_surname_only():
    assert mask_name("张三丰") == "张**"


def test_empty_values_stay_empty():
    assert [f(None) for f in (mask_identity_number, mask_mobile, mask_address, mask_name)] == [
        "",
        "",
        "",
        "",
    ]


@given(st.text(alphabet="0123456789X", min_size=11, max_size=18))
def test_a_masked_identity_number_never_shows_the_birth_date(value):
    masked = mask_identity_number(value)
    assert len(masked) == len(value)
    assert masked[6:-4] == "*" * (len(value) - 10)


def test_templates_mask_with_filters():
    rendered = Template("{% load masking %}{{ id|mask_id }} {{ phone|mask_mobile }}").render(
        Context({"id": "620502199001010019", "phone": "13812345678"})
    )
    assert rendered == "620502********0019 138****5678"
