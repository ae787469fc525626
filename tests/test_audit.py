"""The audit trail: events are recorded with the change they describe and read within scope."""
import pytest
from conftest import submit_demo

from diagnosis import access
from diagnosis.audit.services import record
from diagnosis.extensions import db


def test_an_event_is_kept_with_the_enterprise_and_area_of_its_diagnosis(enterprise_user):
    diagnosis = submit_demo(enterprise_user, "sme-2024-only")
    event = record(enterprise_user, "diagnosis.view", diagnosis=diagnosis, target=diagnosis, ip="127.0.0.1")
    db.session.commit()
    assert (event.enterprise_id, event.area_id, event.diagnosis_id) == (
        diagnosis.enterprise_id, diagnosis.enterprise.area_id, diagnosis.id)
    assert (event.actor_role, event.target_type, event.target_id) == ("enterprise", "diagnosis", diagnosis.id)


def test_an_unknown_action_is_refused(enterprise_user):
    with pytest.raises(ValueError, match="unknown audit action"):
        record(enterprise_user, "diagnosis.viewed")


def test_each_role_reads_only_the_events_in_its_scope(enterprise_user, other_enterprise_user, provider_user,
                                                     bureau_user, city_bureau_user):
    mine = submit_demo(enterprise_user, "sme-2024-only")        # 经济技术开发区
    theirs = submit_demo(other_enterprise_user, "sme-2024-only")  # 长葛市
    record(provider_user, "diagnosis.view", diagnosis=mine)
    record(other_enterprise_user, "diagnosis.view", diagnosis=theirs)
    db.session.commit()

    def seen(user):
        return {(e.actor_id, e.diagnosis_id) for e in db.session.scalars(access.visible_events(user))}

    assert seen(enterprise_user) == {(provider_user.id, mine.id)}
    assert seen(other_enterprise_user) == {(other_enterprise_user.id, theirs.id)}
    assert seen(bureau_user) == {(provider_user.id, mine.id)}
    assert seen(city_bureau_user) == seen(enterprise_user) | seen(other_enterprise_user)
    assert seen(provider_user) == {(provider_user.id, mine.id)}
