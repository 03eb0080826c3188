import pytest
from django.contrib.auth import get_user_model

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_ids_no_integer_column_can_hold_match_nothing_rather_than_fail():
    someone = make_user("someone@example.org")
    users = get_user_model().objects
    assert list(users.filter(pk__in=[10**20, someone.pk])) == [someone]
    assert list(users.filter(pk__in=[10**20, -(10**20)])) == []
    assert list(users.exclude(pk__in=[10**20])) == [someone]
