"""Bureau dashboard benchmark (issue 13): 20,000 roster enterprises, 100,000 diagnoses, three rounds.

Empties and migrates its own PostgreSQL database, then:
  1. imports a roster of 20,000 rows through the bureau's upload page (timed: the import target);
  2. seeds, in bulk SQL, 16,000 registered enterprises matched to the roster by credit code and
     100,000 diagnoses spread over the rounds 2024, 2025 and 2026 (about 5% drafts), with the
     per-submission summary rows the dashboards aggregate (what ``submit`` writes);
  3. times, through the app in-process (Flask test client, a signed-in city bureau), the dashboard
     page, the coverage API, the paginated enterprise list with a search, and the XLSX export of
     all 20,000 enterprises; then re-imports the roster with 1,000 rows changed.

Diagnosis answers and result documents are not seeded (the bureau's pages read the summary rows,
never the answers). Printed: p50/p95 per request against the targets; nothing is asserted.

Usage: .venv/bin/python bench/dashboard.py [DATABASE_URL] [--runs 30]
       DASHBOARD_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/zhizao_dashboard)
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/zhizao_dashboard"
ROSTER_SIZE = 20_000
REGISTERED_EVERY = 5          # one roster enterprise in five has not registered
DIAGNOSES = 100_000
PASSWORD = "bench-dashboard-pass-1"
TARGETS = {"dashboard page": 0.200, "coverage API": 0.200, "list with search": 0.200}


def empty_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(database="postgres").render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{parsed.database}"')
    with psycopg.connect(parsed.render_as_string(hide_password=False).replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def roster_file(changed: int = 0) -> bytes:
    """20,000 valid rows over the nine areas and the manufacturing divisions; ``changed`` rows renamed."""
    from diagnosis.accounts.credit_code import check_character
    from diagnosis.bureau.roster import COLUMNS
    from diagnosis.extensions import db
    from diagnosis.reference.models import Area, Industry

    areas = [a.name for a in db.session.query(Area).order_by(Area.position)]
    industries = [i.code for i in db.session.query(Industry).order_by(Industry.code)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in COLUMNS])
    for n in range(ROSTER_SIZE):
        first = f"91411000MA{n:07d}"
        name = f"许昌规上企业{n:05d}有限公司" + ("（更名）" if n < changed else "")
        writer.writerow([first + check_character(first), name, areas[n % len(areas)],
                         industries[n % len(industries)], f"联系人{n % 97}", f"138{n:08d}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


SEED_SQL = [
    # Registered enterprises: four in five roster rows, same credit code, area and industry.
    """INSERT INTO enterprise (name, credit_code, area_id, industry_code, above_scale, contact_name, contact_phone, created_at)
       SELECT name, credit_code, area_id, industry_code, true, contact_name, contact_phone, now()
       FROM roster_entry WHERE id % {every} <> 0 ORDER BY id""",
    # 100,000 diagnoses over three calendar-year rounds, about 5% still drafts.
    """INSERT INTO diagnosis (enterprise_id, created_by_id, questionnaire_key, status, profile, answers,
                              created_at, updated_at, submitted_at, version, field_versions)
       SELECT e.id, {user_id}, 'zhizao-2024', CASE WHEN g % 20 = 0 THEN 'draft' ELSE 'submitted' END,
              '{{}}', '{{}}', e.t, e.t, CASE WHEN g % 20 = 0 THEN NULL ELSE e.t END, 1, '{{}}'
       FROM generate_series(1, {diagnoses}) AS g
       CROSS JOIN (SELECT min(id) AS lo, count(*) AS n FROM enterprise) AS bounds
       CROSS JOIN LATERAL (SELECT bounds.lo + (g * 7919) % bounds.n AS id,
                           make_timestamptz(2024 + g % 3, 1 + (g / 7) % 12, 1 + (g / 3) % 28, 9, 0, 0, 'UTC') AS t) AS e""",
    # What ``submit`` writes for each submission; the newest per enterprise is its latest.
    """INSERT INTO diagnosis_summary (diagnosis_id, enterprise_id, submitted_at, is_latest, sme_grade, sme_label,
                                      cmmm_level, cmmm_label, key_processes_total, key_processes_nc, equipment_total,
                                      equipment_networked, robots, smart_lines, smart_workshops, on_cloud, lianghua_status)
       SELECT d.id, d.enterprise_id, d.submitted_at,
              row_number() OVER (PARTITION BY d.enterprise_id ORDER BY d.submitted_at DESC, d.id DESC) = 1,
              (d.id + d.enterprise_id) % 5, (ARRAY['未达一级','一级','二级','三级','四级'])[(d.id + d.enterprise_id) % 5 + 1],
              (d.id + d.enterprise_id) % 6, (ARRAY['未达一级','一级','二级','三级','四级','五级'])[(d.id + d.enterprise_id) % 6 + 1],
              20 + (d.id + d.enterprise_id) % 10, 10 + (d.id + d.enterprise_id) % 10, 100 + (d.id + d.enterprise_id) % 50, 40 + (d.id + d.enterprise_id) % 50, (d.id + d.enterprise_id) % 7, (d.id + d.enterprise_id) % 2, (d.id + d.enterprise_id) % 3 / 2,
              (d.id + d.enterprise_id) % 3 = 0, (ARRAY['none','benchmarked','certified'])[(d.id + d.enterprise_id) % 3 + 1]
       FROM diagnosis AS d WHERE d.status = 'submitted'""",
    "ANALYZE",
]


def timed(call, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def report(name: str, seconds: list[float], target: float | None) -> None:
    p50 = statistics.median(seconds)
    p95 = sorted(seconds)[max(int(len(seconds) * 0.95) - 1, 0)]
    verdict = "" if target is None else ("  OK" if p50 <= target else "  ABOVE TARGET")
    print(f"{name:<34} p50 {p50 * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms   runs {len(seconds):3d}"
          + (f"   target p50 <= {target * 1000:.0f} ms{verdict}" if target is not None else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", nargs="?", default=os.environ.get("DASHBOARD_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import text

    from diagnosis import create_app
    from diagnosis.accounts.credit_code import check_character
    from diagnosis.accounts.models import Role
    from diagnosis.accounts.services import Registration, create_user, issue_token, register_enterprise
    from diagnosis.extensions import db
    from diagnosis.reference.models import Area
    from diagnosis.reference.services import load_reference_data

    empty_database(args.url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "REDIS_URL": None, "SECRET_KEY": "bench-dashboard",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        load_reference_data(app.extensions["questionnaires"])
        city = create_user("city@bench.zhizao.cn", PASSWORD, Role.BUREAU, name="市工信局")
        token = issue_token(city, hours=2)[0]
        first = "91411000MB0000000"
        owner = register_enterprise(Registration(     # creates the diagnoses' author, off the roster
            enterprise_name="压测录入企业", credit_code=first + check_character(first),
            area_id=db.session.query(Area).first().id, industry_code="34", above_scale=True, contact_name="压测",
            contact_phone="13800000000", email="author@bench.zhizao.cn", password=PASSWORD))
        files = roster_file(), roster_file(changed=1000)
        user_id = owner.id
        db.session.remove()

    client = app.test_client()
    response = client.post("/login", data={"email": "city@bench.zhizao.cn", "password": PASSWORD})
    assert response.status_code == 302, "cannot log in"

    def upload(data: bytes):
        response = client.post("/bureau/roster", data={"file": (io.BytesIO(data), "roster.csv")})
        assert response.status_code == 200, response.status_code

    print(f"PostgreSQL {args.url.rsplit('/', 1)[-1]}: roster {ROSTER_SIZE:,}, diagnoses {DIAGNOSES:,} over 2024-2026")
    print("-" * 100)
    first_import = timed(lambda: upload(files[0]), 1)
    with app.app_context():
        start = time.perf_counter()
        for statement in SEED_SQL:
            db.session.execute(text(statement.format(every=REGISTERED_EVERY, user_id=user_id, diagnoses=DIAGNOSES)))
        db.session.commit()
        counts = db.session.execute(text(
            "SELECT (SELECT count(*) FROM enterprise), (SELECT count(*) FROM diagnosis), "
            "(SELECT count(*) FROM diagnosis_summary)")).one()
        seeded = time.perf_counter() - start
        db.session.remove()
    print(f"seeded in {seeded:.1f} s: {counts[0]:,} enterprises, {counts[1]:,} diagnoses, {counts[2]:,} summaries")

    def get(url, **kwargs):
        def call():
            response = client.get(url, **kwargs)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    get("/bureau/")()                                            # warm up (templates, connections)
    report("dashboard page GET /bureau/", timed(get("/bureau/"), args.runs), TARGETS["dashboard page"])
    report("coverage API GET /api/v1/coverage", timed(get("/api/v1/coverage", headers={
        "Authorization": f"Bearer {token}"}), args.runs), TARGETS["coverage API"])
    report("list, search, page 2", timed(get("/bureau/enterprises?q=规上企业1&page=2&sort=submitted"), args.runs),
           TARGETS["list with search"])
    report("list, status filter, page 40", timed(get("/bureau/enterprises?status=todo&page=40"), args.runs),
           TARGETS["list with search"])
    report("levels page GET /bureau/levels", timed(get("/bureau/levels"), max(args.runs // 3, 3)), None)
    export = timed(get("/bureau/export/enterprises.xlsx"), 3)
    report("XLSX export of all 20,000", export, None)
    print(f"{'':<34} target <= 5 s: {'OK' if statistics.median(export) <= 5 else 'ABOVE TARGET'}")
    report("roster import, 20,000 new rows", first_import, None)
    reimport = timed(lambda: upload(files[1]), 1)
    report("roster re-import, 1,000 changed", reimport, None)
    worst = max(first_import + reimport)
    print(f"{'':<34} target <= 15 s: {'OK' if worst <= 15 else 'ABOVE TARGET'}")


if __name__ == "__main__":
    main()
