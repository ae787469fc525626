"""Migrations on an empty database produce exactly the schema of the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from diagnosis.extensions import db


def test_migrations_on_an_empty_database_match_the_models(app):
    db.drop_all()
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_existing_providers_shares_and_reviews_are_carried_into_organizations_and_back(app):
    """0009 on a database with data: each provider organization name becomes one approved
    organization, shares move to it (one per organization), opinions become published versions; a
    downgrade gives each share back to the organization's first provider user."""
    from flask_migrate import downgrade
    from flask_migrate import upgrade as upgrade_to
    from sqlalchemy import text

    from diagnosis.reference.services import load_reference_data

    db.drop_all()
    upgrade_to(revision="0008")
    load_reference_data(app.extensions["questionnaires"])
    now = "2026-11-01 08:00:00"
    with db.engine.begin() as conn:
        run = lambda sql, **values: conn.execute(text(sql), values)  # noqa: E731
        area_id = conn.execute(text("SELECT MIN(id) FROM area")).scalar()
        run("INSERT INTO enterprise (id, name, credit_code, area_id, industry_code, above_scale, contact_name, "
            "contact_phone, created_at) VALUES (1, '迁移测试企业', '91411000MA45XC8D1W', :a, '34', true, '张三', '138', :t)",
            a=area_id, t=now)
        for uid, role, org in ((1, "enterprise", ""), (2, "provider", "中原智能咨询"), (3, "provider", "中原智能咨询"),
                               (4, "provider", "另一家服务商")):
            run("INSERT INTO user_account (id, email, name, password_hash, role, enterprise_id, organization, active, "
                "session_token, created_at) VALUES (:id, :email, '用户', 'x', :role, :ent, :org, true, :tok, :t)",
                id=uid, email=f"u{uid}@example.com", role=role, ent=1 if role == "enterprise" else None, org=org,
                tok=f"{uid:032d}", t=now)
        run("INSERT INTO diagnosis (id, enterprise_id, created_by_id, questionnaire_key, status, profile, answers, "
            "created_at, updated_at, submitted_at, version, field_versions) VALUES "
            "(1, 1, 1, 'zhizao-2024', 'submitted', '{}', '{}', :t, :t, :t, 1, '{}')", t=now)
        for sid, provider in ((1, 2), (2, 3), (3, 4)):
            run("INSERT INTO diagnosis_share (id, diagnosis_id, provider_id, created_at) VALUES (:id, 1, :p, :t)",
                id=sid, p=provider, t=now)
        for rid, provider in ((1, 2), (2, 4)):
            run("INSERT INTO diagnosis_review (id, diagnosis_id, provider_id, opinion, created_at) "
                "VALUES (:id, 1, :p, '意见', :t)", id=rid, p=provider, t=now)
    upgrade_to()
    with db.engine.connect() as conn:
        orgs = dict(conn.execute(text("SELECT name, id FROM provider_organization WHERE status = 'approved'")).all())
        assert set(orgs) == {"中原智能咨询", "另一家服务商"}
        members = dict(conn.execute(text("SELECT id, provider_organization_id FROM user_account")).all())
        assert members == {1: None, 2: orgs["中原智能咨询"], 3: orgs["中原智能咨询"], 4: orgs["另一家服务商"]}
        shares = conn.execute(text("SELECT organization_id FROM diagnosis_share ORDER BY organization_id")).scalars()
        assert sorted(shares) == sorted(orgs.values())
        versions = conn.execute(text("SELECT id, version, status, organization_id FROM diagnosis_review ORDER BY id")).all()
        assert [tuple(v) for v in versions] == [(1, 1, "published", orgs["中原智能咨询"]),
                                                (2, 2, "published", orgs["另一家服务商"])]
    downgrade(revision="0008")
    with db.engine.connect() as conn:
        shares = conn.execute(text("SELECT provider_id FROM diagnosis_share ORDER BY provider_id")).scalars().all()
        assert shares == [2, 4]                 # each organization's first provider user
