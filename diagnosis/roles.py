"""Role-gated views: ``role_required`` wraps ``login_required`` with a role check.

Another role gets the same 404 as a page that does not exist: an area is not revealed to those who
may not use it. Anonymous users are sent to the login page first.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def role_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)
        return wrapped
    return decorator
