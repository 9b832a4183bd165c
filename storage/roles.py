"""Who is an admin and who is a volunteer: the added admins, the allow-list and its mode."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.admin_models import Admin, AdminSetting, Volunteer

VOLUNTEERS_KEY = "volunteers"
VOLUNTEER_MODES = ("all", "list")


def added_admins(session: Session) -> list[Admin]:
    """Admins added from the chat, oldest first."""
    return list(session.scalars(select(Admin).order_by(Admin.added_at, Admin.user_id)))


def is_added_admin(session: Session, user_id: int) -> bool:
    """Whether this user was added as an admin."""
    return session.get(Admin, user_id) is not None


def _add_user(session: Session, model, user_id: int, added_by: int | None) -> bool:
    """Add a row for this user to an admins-like table; False if it is there already."""
    if session.get(model, user_id) is not None:
        return False
    session.add(model(user_id=user_id, added_by=added_by))
    session.flush()
    return True


def _remove_user(session: Session, model, user_id: int) -> bool:
    """Delete this user's row from an admins-like table; False if there was none."""
    row = session.get(model, user_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def add_admin(session: Session, user_id: int, added_by: int | None) -> bool:
    """Add an admin; False if already added."""
    return _add_user(session, Admin, user_id, added_by)


def remove_admin(session: Session, user_id: int) -> bool:
    """Remove an added admin; False if there was none."""
    return _remove_user(session, Admin, user_id)


def volunteer_mode(session: Session) -> str:
    """'all' (everyone is a volunteer, the default) or 'list' (only the allow-list)."""
    row = session.get(AdminSetting, VOLUNTEERS_KEY)
    return row.value if row is not None and row.value in VOLUNTEER_MODES else "all"


def set_volunteer_mode(session: Session, mode: str) -> str:
    """Set the mode; return the previous one."""
    if mode not in VOLUNTEER_MODES:
        raise ValueError(f"volunteer mode must be one of {', '.join(VOLUNTEER_MODES)}")
    previous = volunteer_mode(session)
    session.merge(AdminSetting(key=VOLUNTEERS_KEY, value=mode))
    session.flush()
    return previous


def listed_volunteers(session: Session) -> list[Volunteer]:
    """The allow-list, oldest first."""
    return list(session.scalars(select(Volunteer).order_by(Volunteer.added_at, Volunteer.user_id)))


def add_volunteer(session: Session, user_id: int, added_by: int | None) -> bool:
    """Put a user on the allow-list; False if already there."""
    return _add_user(session, Volunteer, user_id, added_by)


def remove_volunteer(session: Session, user_id: int) -> bool:
    """Take a user off the allow-list; False if not on it."""
    return _remove_user(session, Volunteer, user_id)


def is_volunteer(session: Session, user_id: int, admin_ids: Iterable[int] = ()) -> bool:
    """Whether the user may use the volunteer commands (admins always may)."""
    if user_id in set(admin_ids) or is_added_admin(session, user_id):
        return True
    return volunteer_mode(session) == "all" or session.get(Volunteer, user_id) is not None
