"""Scoring benchmarks (issue 3). Prints figures; asserts nothing.

1. Full combined diagnoses (zhizao-2024: validation, SME, maturity, consistency checks, fitted and
   costed recommendations, policy hooks) scored per second on one core, over 500 distinct random
   answer sets with random industries. Target >= 2,000/s.
2. `diagnosis rescore` over N stored diagnoses on PostgreSQL (default 100,000), twice: rules
   unchanged (nothing to write) and rules changed (a new result row for every diagnosis).
   Target <= 120 s.

Usage: .venv/bin/python bench/scoring.py [--count 100000] [--skip-rescore]
       BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/zhizao_bench)
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diagnosis.demo import demo_payload  # noqa: E402
from diagnosis.instruments import load_library  # noqa: E402
from diagnosis.scoring import score_payload  # noqa: E402

SCALE = [0, 0.5, 0.8, 1]


def random_payload(lib, rng: random.Random) -> dict:
    """A valid, complete combined diagnosis with random answers around a random maturity."""
    payload = demo_payload(lib)
    sme = lib["sme-digital-2024"].data
    answers = {}
    for q in sme["questions"]:
        keys = [o["key"] for o in q["options"]]
        if q["type"] == "single":
            answers[q["id"]] = rng.choice(keys)
        else:
            picked = sorted(rng.sample(keys[1:], rng.randint(0, len(keys) - 1)))
            answers[q["id"]] = picked or ["A"]
    for g in sme["scene_groups"]:
        for s in g["scenes"]:
            answers[s["id"]] = rng.randint(0, 4)
    target = rng.randint(0, 5)
    for sd in lib["cmmm"].data["subdomains"]:
        for level, items in sd["levels"].items():
            for item in items:
                if int(level) <= target:
                    answers[item["id"]] = rng.choice([0.8, 1, 1, 0.5])
                elif int(level) == target + 1:
                    answers[item["id"]] = rng.choice(SCALE)
    profile = dict(payload["profile"])
    profile["key_processes_nc"] = rng.randint(0, profile["key_processes_total"])
    profile["equipment_networked"] = rng.randint(0, profile["equipment_total"])
    profile["robots"] = rng.randint(0, 60)
    profile["cloud_layers"] = sorted(rng.sample(["infrastructure", "business", "equipment"], rng.randint(0, 3)))
    profile["lianghua_status"] = rng.choice(["none", "benchmarked", "certified"])
    profile["industry_type"] = rng.choice(["discrete", "process"])
    industry = rng.choice([i["code"] for i in lib.single("industries").data["industries"]
                           if i["cmmm_profile"] == profile["industry_type"]])
    # The industry fits the catalog (web and rescore pass the enterprise's; here it goes with the payload).
    return {"questionnaire": "zhizao-2024", "industry": industry, "profile": profile, "answers": answers}


def bench_scoring(lib) -> None:
    # One process, one thread: one core. (Not pinned: another process may own a given core.)
    rng = random.Random(7)
    payloads = [random_payload(lib, rng) for _ in range(500)]
    for p in payloads[:50]:
        score_payload(p, lib)                                            # warm caches
    rates = []
    for _ in range(5):
        started = time.perf_counter()
        for p in payloads:
            score_payload(p, lib)
        rates.append(len(payloads) / (time.perf_counter() - started))
    recs = statistics.mean(len(score_payload(p, lib)["recommendations"]) for p in payloads)
    print(f"combined diagnoses scored per second, one core: median {statistics.median(rates):,.0f}/s "
          f"(runs: {', '.join(f'{r:,.0f}' for r in rates)}; target >= 2,000/s; "
          f"{recs:.1f} recommendations per diagnosis on average)")


def bench_rescore(lib, count: int) -> None:
    from sqlalchemy import insert, text

    from diagnosis import catalog, create_app
    from diagnosis.accounts.models import Enterprise, Role
    from diagnosis.accounts.services import create_user
    from diagnosis.assessments.models import Diagnosis, diagnosis_instruments
    from diagnosis.extensions import db
    from diagnosis.reference.services import load_reference_data

    url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/zhizao_bench")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    from sqlalchemy import create_engine
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        name = url.rsplit("/", 1)[1]
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname=:n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        from flask_migrate import upgrade
        upgrade()                                    # the real schema, with its storage settings
        load_reference_data(catalog.library())
        ent = Enterprise(name="基准测试企业", credit_code="91411000MA45XC8D1W", area_id=1, industry_code="34",
                         above_scale=True, contact_name="测", contact_phone="13800000000")
        db.session.add(ent)
        db.session.commit()
        user = create_user("bench@example.com", "scoring-run-2026", Role.ENTERPRISE, enterprise=ent)
        pins = [catalog.pin(catalog.library()[k]) for k in ("zhizao-2024", "profile", "sme-digital-2024", "cmmm")]
        db.session.commit()
        pin_ids = [p.id for p in pins]
        rng = random.Random(11)
        templates = [random_payload(lib, rng) for _ in range(200)]
        started = time.perf_counter()
        chunk = 5000
        for start in range(0, count, chunk):
            n = min(chunk, count - start)
            rows = [{"enterprise_id": ent.id, "created_by_id": user.id, "questionnaire_key": "zhizao-2024",
                     "status": "submitted", "profile": templates[(start + i) % 200]["profile"],
                     "answers": templates[(start + i) % 200]["answers"]} for i in range(n)]
            ids = db.session.scalars(insert(Diagnosis).returning(Diagnosis.id), rows).all()
            db.session.execute(insert(diagnosis_instruments),
                               [{"diagnosis_id": d, "questionnaire_version_id": v} for d in ids for v in pin_ids])
            db.session.commit()
        print(f"  (loaded {count:,} submitted diagnoses in {time.perf_counter() - started:.0f} s)")
        db.session.remove()

    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "diagnosis"}
    exe = str(Path(sys.executable).with_name("diagnosis"))
    for label in ("no stored result yet: every diagnosis gets a result row",
                  "rules unchanged: nothing to write"):
        started = time.perf_counter()
        done = subprocess.run([exe, "rescore"], env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        print(f"diagnosis rescore, {count:,} diagnoses on PostgreSQL, {label}: {elapsed:.1f} s "
              f"(target <= 120 s) -- {done.stdout.strip() or done.stderr.strip()[-300:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--skip-rescore", action="store_true")
    args = parser.parse_args()
    lib = load_library()
    bench_scoring(lib)
    if not args.skip_rescore:
        bench_rescore(lib, args.count)


if __name__ == "__main__":
    main()
