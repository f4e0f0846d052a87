import pytest
from django.core.exceptions import ValidationError

from wangge.accounts.models import User


def test_a_user_has_one_name_field_and_no_first_or_last_name(db):
    user = User.objects.create(username="li", name="李小红")

    assert str(user) == "李小红"
    assert user.get_full_name() == "李小红"
    assert not hasattr(user, "first_name") or user.first_name is None


def test_a_bad_mobile_number_is_refused(db):
    user = User(username="li", name="李小红", mobile="12345")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "mobile" in error.value.message_dict
