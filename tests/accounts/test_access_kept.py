"""What an account may do (its groups, second factor and permissions) is read once per
access stamp in each process, and every change to it, whichever way it is made, takes
effect on the very next page."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts import roles
from accounts.models import User
from accounts.services import user_reset_mfa
from tests.conftest import make_user

PAGE = reverse("consultation_staff:list")  # commission staff, with consultation.view_response
VIEW_RESPONSES = "view_response"


@pytest.fixture
def staff_group(db):
    return Group.objects.get(name=roles.COMMISSION_STAFF)


@pytest.fixture
def view_responses(db):
    return Permission.objects.get(codename=VIEW_RESPONSES, content_type__app_label="consultation")


@pytest.fixture
def staff_page(client_for):
    """``staff_page(user)``: the status of the staff page for ``user``, signed in."""

    def status(user):
        return client_for(user).get(PAGE).status_code

    return status


def test_a_staff_page_reads_what_the_account_may_do_once(
    client_for, commission_staff, django_assert_num_queries
):
    client = client_for(commission_staff)
    client.get(PAGE)
    with django_assert_num_queries(3) as first_again:
        assert client.get(PAGE).status_code == 200
    # The session, the account and the page's own list: no groups, authenticator or
    # permissions.
    assert not any("auth_group" in q["sql"] for q in first_again.captured_queries)
    assert not any("mfa_authenticator" in q["sql"] for q in first_again.captured_queries)


def test_a_role_given_or_taken_counts_on_the_next_page(staff_page, member, staff_group):
    assert staff_page(member) == 403
    member.groups.add(staff_group)
    assert staff_page(member) == 302  # a staff role now: sent to set up a second factor
    member.groups.remove(staff_group)
    assert staff_page(member) == 403


def test_a_role_given_or_taken_from_the_groups_side_counts(
    staff_page, commission_staff, member, staff_group
):
    assert staff_page(commission_staff) == 200
    staff_group.user_set.remove(commission_staff)
    assert staff_page(commission_staff) == 403
    staff_group.user_set.add(commission_staff)
    assert staff_page(commission_staff) == 200
    staff_group.user_set.clear()
    assert staff_page(commission_staff) == 403


def test_every_role_cleared_counts(staff_page, commission_staff):
    assert staff_page(commission_staff) == 200
    commission_staff.groups.clear()
    assert staff_page(commission_staff) == 403


def test_a_permission_taken_from_the_group_counts(
    staff_page, commission_staff, staff_group, view_responses
):
    assert staff_page(commission_staff) == 200
    staff_group.permissions.remove(view_responses)
    assert staff_page(commission_staff) == 403
    view_responses.group_set.add(staff_group)
    assert staff_page(commission_staff) == 200
    view_responses.group_set.remove(staff_group)
    assert staff_page(commission_staff) == 403
    staff_group.permissions.add(view_responses)
    assert staff_page(commission_staff) == 200
    view_responses.group_set.clear()
    assert staff_page(commission_staff) == 403


def test_every_permission_of_the_group_cleared_counts(staff_page, commission_staff, staff_group):
    assert staff_page(commission_staff) == 200
    staff_group.permissions.clear()
    assert staff_page(commission_staff) == 403


def test_an_account_s_own_permission_counts(staff_page, commission_staff, staff_group):
    view_responses = Permission.objects.get(codename=VIEW_RESPONSES)
    staff_group.permissions.remove(view_responses)
    assert staff_page(commission_staff) == 403
    commission_staff.user_permissions.add(view_responses)
    assert staff_page(commission_staff) == 200
    view_responses.user_set.clear()
    assert staff_page(commission_staff) == 403
    view_responses.user_set.add(commission_staff)
    assert staff_page(commission_staff) == 200
    commission_staff.user_permissions.clear()
    assert staff_page(commission_staff) == 403


def test_a_group_renamed_or_deleted_counts(staff_page, commission_staff, staff_group):
    assert staff_page(commission_staff) == 200
    staff_group.name = "Former commission staff"
    staff_group.save()
    assert staff_page(commission_staff) == 403
    staff_group.name = roles.COMMISSION_STAFF
    staff_group.save()
    assert staff_page(commission_staff) == 200
    staff_group.delete()
    assert staff_page(commission_staff) == 403


def test_a_permission_deleted_counts(staff_page, commission_staff, view_responses):
    assert staff_page(commission_staff) == 200
    view_responses.delete()
    # The page's rule names a permission no one holds any more.
    assert staff_page(commission_staff) == 403


def test_permissions_of_an_app_renamed_count(staff_page, commission_staff):
    assert staff_page(commission_staff) == 200
    content_type = ContentType.objects.get(app_label="consultation", model="response")
    content_type.app_label = "renamed"
    content_type.save()
    ContentType.objects.clear_cache()
    assert staff_page(commission_staff) == 403


def test_a_second_factor_removed_or_added_counts(staff_page, commission_staff):
    assert staff_page(commission_staff) == 200
    Authenticator.objects.filter(user=commission_staff).delete()
    assert staff_page(commission_staff) == 302  # sent to set one up
    user_reset_mfa(user=commission_staff)
    assert staff_page(commission_staff) == 200


def test_admin_rights_given_count(staff_page, member):
    assert staff_page(member) == 403
    user_reset_mfa(user=member)
    assert staff_page(member) == 403
    # A flag on the account's own row, saved with it: no stamp replaced.
    User.objects.filter(pk=member.pk).update(is_superuser=True)
    assert staff_page(member) == 200


def test_a_copy_read_before_a_change_and_saved_keeps_the_new_stamp(
    staff_page, commission_staff, staff_group
):
    stale = User.objects.get(pk=commission_staff.pk)
    assert staff_page(commission_staff) == 200
    staff_group.user_set.remove(commission_staff)
    stale.full_name = "Renamed"
    stale.save()
    # Saved whole, the old copy would bring back the stamp the role was kept under.
    assert staff_page(commission_staff) == 403


def test_the_copy_in_hand_follows_its_own_change(commission_staff, staff_group):
    assert commission_staff.has_perm(f"consultation.{VIEW_RESPONSES}")
    commission_staff.groups.remove(staff_group)
    assert not commission_staff.is_commission_staff
    assert not commission_staff.has_perm(f"consultation.{VIEW_RESPONSES}")


def test_an_account_made_with_the_id_of_one_deleted_shares_nothing(staff_page, db):
    gone = make_user("gone@example.org", groups=(roles.COMMISSION_STAFF,), mfa=True)
    assert staff_page(gone) == 200
    pk = gone.pk
    gone.delete()
    newcomer = User.objects.create_user(email="newcomer@example.org", pk=pk)
    assert staff_page(newcomer) == 403


def test_an_authenticator_given_to_another_account_leaves_the_first_without_it(
    staff_page, commission_staff, member
):
    assert staff_page(commission_staff) == 200
    for authenticator in Authenticator.objects.filter(user=commission_staff):
        authenticator.user = member  # the admin's authenticator page can
        authenticator.save()
    assert staff_page(commission_staff) == 302  # sent to set one up


def test_using_a_second_factor_keeps_what_the_account_may_do(commission_staff):
    stamp = User.objects.get(pk=commission_staff.pk).access_stamp
    Authenticator.objects.filter(user=commission_staff).first().record_usage()
    assert User.objects.get(pk=commission_staff.pk).access_stamp == stamp


def test_an_account_switched_back_on_has_its_permissions_at_once(commission_staff):
    User.objects.filter(pk=commission_staff.pk).update(is_active=False)
    inactive = User.objects.get(pk=commission_staff.pk)
    assert inactive.has_staff_role  # what it may do read while it is switched off
    assert not inactive.has_perm(f"consultation.{VIEW_RESPONSES}")
    inactive.is_active = True
    inactive.save()  # a plain save: no stamp replaced
    assert User.objects.get(pk=commission_staff.pk).has_perm(f"consultation.{VIEW_RESPONSES}")
