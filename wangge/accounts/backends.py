"""Capabilities from the roles of a user's current posts (plus Django's own grants)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from wangge.accounts.roles import ROLE_PERMISSIONS


class MembershipBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_wangge_role_perms"):
            from wangge.accounts.selectors import roles_held

            granted: set[str] = set()
            for role in roles_held(user_obj):
                granted |= ROLE_PERMISSIONS.get(role, frozenset())
            user_obj._wangge_role_perms = granted
        return set(user_obj._wangge_role_perms) | super().get_all_permissions(user_obj, obj)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        """Asked many times a request: the union is made once per user object."""
        if not user_obj.is_active or obj is not None:
            return False
        every: frozenset[str] | None = getattr(user_obj, "_wangge_all_perms", None)
        if every is None:
            every = frozenset(self.get_all_permissions(user_obj))
            user_obj._wangge_all_perms = every
        return perm in every
