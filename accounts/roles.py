"""The portal's roles. Signed-in roles beyond "member" are Django groups; admins are superusers.

Group names are part of the data (created by a data migration), so they are plain strings
here rather than translated text.
"""

COMMISSION_STAFF = "Commission staff"
NETWORK_COORDINATORS = "Network coordinators"

STAFF_GROUPS = (COMMISSION_STAFF, NETWORK_COORDINATORS)


def grant_model_permissions(apps, group_name, app_label, model_names, actions):
    """Give ``group_name`` the ``actions`` permissions on the named models of ``app_label``.

    For data migrations: each app grants its own models' permissions to the roles that
    manage them, so a role's permissions live next to the models they are about.
    """
    # Only data migrations call this; django.contrib.auth's management module is not
    # needed anywhere else.
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations have run; create this app's
    # now. create_permissions skips an app whose historical config claims no models.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    codenames = [f"{action}_{model}" for model in model_names for action in actions]
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    group.permissions.add(*permissions)
