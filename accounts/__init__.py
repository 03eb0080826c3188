"""The people who sign in: the user, staff roles, access rules, MFA enforcement, demo
accounts."""
