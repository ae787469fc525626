"""The admin's writes on accounts: create, deactivate or reactivate, reset a password, change role
and area. Each records an audit event in the same transaction as the change."""
from __future__ import annotations

from ..accounts.models import Role, User
from ..accounts.reset import set_password
from ..accounts.services import AccountError, create_user, end_all_sessions
from ..audit.services import record, register_actions
from ..extensions import db
from ..reference.models import Area

register_actions(**{"user.create": "创建用户", "user.deactivate": "停用用户", "user.activate": "启用用户",
                    "user.reset_password": "重置用户密码", "user.change_role": "修改用户角色或区域",
                    "round.save": "设置诊断轮次"})

STAFF_ROLES = (Role.PROVIDER, Role.BUREAU, Role.ADMIN)


def _area(area_id: int | None, role: Role) -> Area | None:
    if role != Role.BUREAU or area_id is None:
        return None
    area = db.session.get(Area, area_id)
    if area is None:
        raise AccountError("area_id", "未知的县（市、区）")
    return area


def create_staff_user(admin: User, email: str, name: str, role: Role, password: str, organization: str = "",
                      area_id: int | None = None, ip: str = "") -> User:
    """A provider, bureau or admin account (enterprises register themselves)."""
    if role not in STAFF_ROLES:
        raise AccountError("role", "管理员只能创建服务商、主管部门或管理员账号")
    if not email.strip():
        raise AccountError("email", "必填")
    user = create_user(email, password, role, name=name.strip(), organization=organization.strip(),
                       area=_area(area_id, role))
    record(admin, "user.create", target=user, ip=ip, email=user.email, role=role.value)
    db.session.commit()
    return user


def set_active(admin: User, user: User, active: bool, ip: str = "") -> None:
    if user.id == admin.id and not active:
        raise AccountError("user", "不能停用自己的账号")
    user.active = active
    record(admin, "user.activate" if active else "user.deactivate", target=user, ip=ip, email=user.email)
    end_all_sessions(user)               # commits; a deactivated user is signed out everywhere


def reset_password(admin: User, user: User, password: str, ip: str = "") -> None:
    """Give ``user`` a new password chosen by the admin; every session and token of the user ends."""
    record(admin, "user.reset_password", target=user, ip=ip, email=user.email)
    set_password(user, password)         # checks the password rules, ends sessions, commits


def change_role(admin: User, user: User, role: Role, area_id: int | None, ip: str = "") -> None:
    if user.id == admin.id and role != Role.ADMIN:
        raise AccountError("role", "不能取消自己的管理员角色")
    if role == Role.ENTERPRISE and user.enterprise_id is None:
        raise AccountError("role", "没有关联企业的账号不能设为企业用户")
    if user.role == Role.ENTERPRISE and role != Role.ENTERPRISE:
        raise AccountError("role", "企业用户不能改为其他角色，请另建账号")
    before = {"role": user.role.value, "area_id": user.area_id}
    area = _area(area_id, role)
    user.role, user.area = role, area
    record(admin, "user.change_role", target=user, ip=ip, before=before,
           after={"role": role.value, "area_id": area.id if area else None})
    end_all_sessions(user)               # commits; the new scope applies from the next login
