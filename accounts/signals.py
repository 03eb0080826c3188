"""Every change to what an account may do replaces its access stamp (``User.access_stamp``)
in the transaction that makes it, whoever makes it (the admin, allauth's pages, services,
loaders): its groups, its own permissions, its groups' permissions, what they are named,
and its authenticators. A change that sends no signal (a queryset's ``update()``, rows
added through the membership tables directly, SQL by hand) must call
``services.access_changed`` itself."""

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import services
from .models import User


def _holders(permissions) -> Q:
    """The accounts holding any of ``permissions`` (a queryset or ids), themselves or
    through a group."""
    return Q(user_permissions__in=permissions) | Q(groups__permissions__in=permissions)


def _changed(users_filter: Q, instance=None) -> None:
    # An UPDATE across relations is made one by id: no account counted twice.
    stamp = services.access_changed(User.objects.filter(users_filter))
    if isinstance(instance, User):
        # The copy in hand follows too, as it would once read again.
        instance.access_stamp = stamp
        for name in ("access", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            instance.__dict__.pop(name, None)


def _membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """User.groups and User.user_permissions: the account (forward), or the accounts added
    or removed, or every member before a clear (from the group's or permission's side)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        _changed(Q(pk=instance.pk), instance)
    elif action == "pre_clear":
        side = "groups" if isinstance(instance, Group) else "user_permissions"
        _changed(Q(**{side: instance}))
    else:
        _changed(Q(pk__in=pk_set))


def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Group.permissions: the group's members (forward), or the members of the groups
    given or losing the permission (from the permission's side)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        _changed(Q(groups=instance))
    elif action == "pre_clear":
        _changed(Q(groups__permissions=instance))
    else:
        _changed(Q(groups__in=pk_set))


def _group_changed(sender, instance, **kwargs):
    # Renamed (roles are group names) or deleted (its memberships go without a signal).
    _changed(Q(groups=instance))


def _permission_changed(sender, instance, **kwargs):
    _changed(_holders([instance.pk]))


def _content_type_changed(sender, instance, **kwargs):
    # Permissions are named after their model's app: renamed or gone with it.
    _changed(_holders(Permission.objects.filter(content_type=instance)))


def _authenticator_moving(sender, instance, **kwargs):
    # Given to another account (the admin can): the account it leaves loses it too.
    if instance.pk is not None:
        before = Authenticator.objects.filter(pk=instance.pk).values_list("user_id", flat=True)
        moved_from = before.first()
        if moved_from is not None and moved_from != instance.user_id:
            _changed(Q(pk=moved_from))


def _authenticator_changed(sender, instance, update_fields=None, **kwargs):
    # Each use records when it was last used: nothing the account may do changes.
    if update_fields is not None and set(update_fields) <= {"last_used_at"}:
        return
    _changed(Q(pk=instance.user_id))


def connect() -> None:
    m2m_changed.connect(_membership_changed, sender=User.groups.through, weak=False)
    m2m_changed.connect(_membership_changed, sender=User.user_permissions.through, weak=False)
    m2m_changed.connect(_group_permissions_changed, sender=Group.permissions.through, weak=False)
    for model, receiver in (
        (Group, _group_changed),
        (Permission, _permission_changed),
        (ContentType, _content_type_changed),
    ):
        post_save.connect(receiver, sender=model, weak=False)
        pre_delete.connect(receiver, sender=model, weak=False)
    pre_save.connect(_authenticator_moving, sender=Authenticator, weak=False)
    post_save.connect(_authenticator_changed, sender=Authenticator, weak=False)
    post_delete.connect(_authenticator_changed, sender=Authenticator, weak=False)
