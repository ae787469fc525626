"""Contrasting enterprises: weak, mid and strong plants of both production types, an SME-only
diagnosis without a profile, and a plant with inflated self-ratings. (a)-(d) are the four diagnoses of
issue 10. Each is a complete ``score_payload`` input; tests state what each must and must not get."""
from __future__ import annotations

from diagnosis.instruments import load_library

LIB = load_library()
CMMM = LIB["cmmm"].data
SME = LIB["sme-digital-2024"].data
WORKER_FIELDS = ("manual_handling_workers", "palletizing_workers", "loading_workers", "welding_cutting_workers",
                 "packaging_workers", "inspection_workers")


def manual(**workers) -> dict:
    return {**{k: 0 for k in WORKER_FIELDS}, **workers}


def cmmm_answers(ratings: dict[int, float], per_subdomain: dict[str, dict[int, float]] | None = None,
                 na: tuple[str, ...] = ()) -> dict:
    """Every item of the levels in ``ratings`` rated so; ``per_subdomain`` overrides a sub-domain's
    rating at a level; sub-domains in ``na`` are answered "not applicable"."""
    per_subdomain = per_subdomain or {}
    answers = {}
    for sd in CMMM["subdomains"]:
        for level, items in sd["levels"].items():
            level = int(level)
            if level not in ratings:
                continue
            value = None if sd["key"] in na else per_subdomain.get(sd["key"], {}).get(level, ratings[level])
            for item in items:
                answers[item["id"]] = value
    return answers


def scenes(default: int, **levels) -> dict:
    return {f"S{n:02d}": levels.get(f"S{n:02d}", default) for n in range(1, 17)}


# (a) a small food plant, process type: 85 staff, 3 of 40 machines digital, none networked, NC 1 of 6.
FOOD_PLANT = {
    "questionnaire": "zhizao-2024", "industry": "14",
    "profile": {"revenue": 5200, "headcount": 85, "industry_type": "process", "equipment_total": 40,
                "equipment_digitized": 3, "equipment_networked": 0, "key_processes_total": 6, "key_processes_nc": 1,
                "robots": 0, "smart_lines": 0, "smart_workshops": 0, "cloud_layers": [], "lianghua_status": "none",
                **manual(manual_handling_workers=12, palletizing_workers=8, packaging_workers=16, inspection_workers=6)},
    "answers": {
        "Q01": ["A"], "Q02": "A", "Q03": "A", "Q04": ["N"], "Q05": "B", "Q06": ["B"], "Q07": ["A"], "Q08": "B",
        "Q09": ["A"], "Q10": ["B"], "Q11": "A", "Q11.amount": 30, "Q12": "B", "Q12.energy_last_year": 1800,
        "Q12.energy_prev_year": 1790, "Q13": "B", "Q13.pass_rate": 97.5, "Q14": "B", "Q14.revenue_prev_year": 5150,
        "Q14.headcount_prev_year": 84, "Q15": "B", "Q15.cost_last_year": 4300, "Q15.cost_prev_year": 4260,
        **scenes(1, S01=0, S02=1, S05=1, S06=1, S07=1, S08=1, S10=0, S12=1, S13=2, S16=0),
        **cmmm_answers({1: 0.5}),
    },
}

# (b) a mid-size machinery plant: NC 63%, 8 robots, MES (S06=2) and WMS (S12=2) in use; maturity
# level 2, every sub-domain at or above it.
MACHINERY_PLANT = {
    "questionnaire": "zhizao-2024", "industry": "35",
    "profile": {"revenue": 42000, "headcount": 520, "industry_type": "discrete", "equipment_total": 260,
                "equipment_digitized": 150, "equipment_networked": 90, "key_processes_total": 24, "key_processes_nc": 15,
                "robots": 8, "smart_lines": 1, "smart_workshops": 0, "cloud_layers": ["infrastructure"],
                "lianghua_status": "benchmarked",
                **manual(manual_handling_workers=24, loading_workers=18, welding_cutting_workers=15, packaging_workers=6,
                         inspection_workers=10)},
    "answers": {
        "Q01": ["B", "C"], "Q02": "D", "Q03": "C", "Q04": ["B", "C", "F", "G", "H", "I", "L", "M", "N"], "Q05": "C",
        "Q06": ["B", "C"], "Q07": ["B", "C"], "Q08": "D", "Q09": ["B", "C"], "Q10": ["B", "C", "D"], "Q11": "A",
        "Q11.amount": 680, "Q12": "C", "Q12.energy_last_year": 6100, "Q12.energy_prev_year": 6400, "Q13": "C",
        "Q13.pass_rate": 98.6, "Q14": "C", "Q14.revenue_prev_year": 39000, "Q14.headcount_prev_year": 530,
        "Q15": "B", "Q15.cost_last_year": 34500, "Q15.cost_prev_year": 32100,
        **scenes(2, S04=1, S08=2, S10=1, S14=2, S16=2),
        **cmmm_answers({1: 1.0, 2: 0.8, 3: 0.5},
                       {"data": {2: 0.8, 3: 0.0}, "energy": {3: 0.0}, "logistics": {3: 0.0},
                        "product_service": {3: 0.5}}),
    },
}

# (c) a highly automated electrical-equipment maker: NC 96%, 215 robots, all cloud layers,
# 两化融合 certified, APS running (S05=4); maturity level 4, 数据 at 4.0.
ELECTRICAL_LEADER = {
    "questionnaire": "zhizao-2024", "industry": "38",
    "profile": {"revenue": 268000, "headcount": 1850, "industry_type": "discrete", "equipment_total": 1200,
                "equipment_digitized": 1150, "equipment_networked": 1080, "key_processes_total": 50,
                "key_processes_nc": 48, "robots": 215, "smart_lines": 12, "smart_workshops": 3,
                "cloud_layers": ["infrastructure", "business", "equipment"], "lianghua_status": "certified",
                **manual(manual_handling_workers=20, inspection_workers=15, packaging_workers=12)},
    "answers": {
        "Q01": ["B", "C", "E"], "Q02": "E", "Q03": "E", "Q04": list("BCDEFGHIJKLMNO"), "Q05": "D",
        "Q06": ["B", "C", "D", "E"], "Q07": ["B", "C", "D", "E"], "Q08": "F", "Q09": ["B", "C", "D", "E"],
        "Q10": ["B", "C", "D", "E", "F"], "Q11": "A", "Q11.amount": 5200, "Q12": "C",
        "Q12.energy_last_year": 21000, "Q12.energy_prev_year": 22400, "Q13": "C", "Q13.pass_rate": 99.6,
        "Q14": "C", "Q14.revenue_prev_year": 241000, "Q14.headcount_prev_year": 1900, "Q15": "C",
        "Q15.cost_last_year": 201000, "Q15.cost_prev_year": 188000,
        **scenes(3, S05=4, S06=3, S07=3, S08=3, S13=4, S15=4),
        **cmmm_answers({1: 1.0, 2: 1.0, 3: 1.0, 4: 0.8, 5: 0.5},
                       {"data": {5: 0.0}, "integration": {5: 0.0}, "product_service": {5: 0.0},
                        "procurement": {5: 0.0}, "logistics": {5: 0.5}}),
    },
}

# (d) an SME-only diagnosis with weak answers and no profile at all.
SME_ONLY_WEAK = {
    "questionnaire": "sme-digital-2024",
    "profile": {},
    "answers": {
        "Q01": ["A"], "Q02": "B", "Q03": "A", "Q04": ["A"], "Q05": "B", "Q06": ["A"], "Q07": ["A"], "Q08": "B",
        "Q09": ["A"], "Q10": ["A"], "Q11": "A", "Q12": "B", "Q13": "B", "Q14": "B", "Q15": "B",
        **scenes(1, S03=0, S04=0, S16=0),
    },
}

# A small metal-products plant, discrete, weak: manual welding, NC 20%.
METAL_WORKSHOP = {
    "questionnaire": "zhizao-2024", "industry": "33",
    "profile": {"revenue": 8600, "headcount": 160, "industry_type": "discrete", "equipment_total": 70,
                "equipment_digitized": 12, "equipment_networked": 4, "key_processes_total": 10, "key_processes_nc": 2,
                "robots": 1, "smart_lines": 0, "smart_workshops": 0, "cloud_layers": [], "lianghua_status": "none",
                **manual(manual_handling_workers=14, welding_cutting_workers=22, loading_workers=9, packaging_workers=5)},
    "answers": {
        "Q01": ["B"], "Q02": "B", "Q03": "A", "Q04": ["N", "O"], "Q05": "B", "Q06": ["B"], "Q07": ["C"],
        "Q08": "C", "Q09": ["C"], "Q10": ["B"], "Q11": "A", "Q11.amount": 60, "Q12": "B",
        "Q12.energy_last_year": 900, "Q12.energy_prev_year": 905, "Q13": "B", "Q13.pass_rate": 96,
        "Q14": "B", "Q14.revenue_prev_year": 8500, "Q14.headcount_prev_year": 158, "Q15": "B",
        "Q15.cost_last_year": 7300, "Q15.cost_prev_year": 7200,
        **scenes(1, S01=1, S13=2, S15=2),
        **cmmm_answers({1: 0.8, 2: 0.5}, {"equipment": {2: 0.0}, "network": {2: 0.0}}),
    },
}

# A mid-size chemical plant, process type: DCS on most key processes, energy system in use.
CHEMICAL_PLANT = {
    "questionnaire": "zhizao-2024", "industry": "26",
    "profile": {"revenue": 56000, "headcount": 430, "industry_type": "process", "equipment_total": 320,
                "equipment_digitized": 250, "equipment_networked": 180, "key_processes_total": 20,
                "key_processes_nc": 15, "robots": 2, "smart_lines": 1, "smart_workshops": 0,
                "cloud_layers": ["infrastructure", "business"], "lianghua_status": "benchmarked",
                **manual(manual_handling_workers=10, packaging_workers=18, palletizing_workers=8, inspection_workers=6)},
    "answers": {
        "Q01": ["B", "C"], "Q02": "E", "Q03": "D", "Q04": ["F", "G", "H", "I", "J", "K", "L", "M", "N"], "Q05": "C",
        "Q06": ["B", "C", "D"], "Q07": ["B", "C"], "Q08": "D", "Q09": ["B", "C", "D"], "Q10": ["B", "C", "D"],
        "Q11": "A", "Q11.amount": 900, "Q12": "C", "Q12.energy_last_year": 48000, "Q12.energy_prev_year": 50500,
        "Q13": "B", "Q13.pass_rate": 99.1, "Q14": "C", "Q14.revenue_prev_year": 52000,
        "Q14.headcount_prev_year": 440, "Q15": "B", "Q15.cost_last_year": 47000, "Q15.cost_prev_year": 43600,
        **scenes(2, S03=2, S04=1, S09=2, S10=2, S16=1),
        **cmmm_answers({1: 1.0, 2: 0.8, 3: 0.5}, {"energy": {3: 0.8}, "hse": {3: 0.8}}, na=("product_service",)),
    },
}

# A strong process plant (paper): DCS everywhere, maturity level 4.
PAPER_LEADER = {
    "questionnaire": "zhizao-2024", "industry": "22",
    "profile": {"revenue": 185000, "headcount": 980, "industry_type": "process", "equipment_total": 600,
                "equipment_digitized": 590, "equipment_networked": 560, "key_processes_total": 30,
                "key_processes_nc": 30, "robots": 60, "smart_lines": 6, "smart_workshops": 2,
                "cloud_layers": ["infrastructure", "business", "equipment"], "lianghua_status": "certified",
                **manual(packaging_workers=12, inspection_workers=8)},
    "answers": {
        "Q01": ["B", "C", "D", "E"], "Q02": "E", "Q03": "E", "Q04": list("BCDEFGHIJKLMNO"), "Q05": "D",
        "Q06": ["B", "C", "D", "E"], "Q07": ["B", "C", "D", "E"], "Q08": "E", "Q09": ["B", "C", "D", "E"],
        "Q10": ["B", "C", "D", "E"], "Q11": "A", "Q11.amount": 3000, "Q12": "C", "Q12.energy_last_year": 160000,
        "Q12.energy_prev_year": 171000, "Q13": "C", "Q13.pass_rate": 99.2, "Q14": "C",
        "Q14.revenue_prev_year": 176000, "Q14.headcount_prev_year": 1000, "Q15": "B",
        "Q15.cost_last_year": 150000, "Q15.cost_prev_year": 142700,
        **scenes(3, S01=2, S04=2, S05=3, S10=4),
        **cmmm_answers({1: 1.0, 2: 1.0, 3: 0.8, 4: 0.8, 5: 0.5}, {"energy": {5: 0.8}}, na=("product_service",)),
    },
}

# Inflated self-ratings: every maturity item "mostly satisfied" in a 40-machine plant with 5 of 40
# machines networked; Q11 "over 60%" with 600 of 38,000 (1.6%); Q14 "increased" while revenue fell.
INFLATED = {
    "questionnaire": "zhizao-2024", "industry": "34",
    "profile": {"revenue": 38000, "headcount": 300, "industry_type": "discrete", "equipment_total": 40,
                "equipment_digitized": 12, "equipment_networked": 5, "key_processes_total": 8, "key_processes_nc": 3,
                "robots": 2, "smart_lines": 0, "smart_workshops": 0, "cloud_layers": ["infrastructure"],
                "lianghua_status": "none", **manual(manual_handling_workers=20, loading_workers=12)},
    "answers": {
        "Q01": ["B"], "Q02": "C", "Q03": "B", "Q04": ["G", "N"], "Q05": "B", "Q06": ["B"], "Q07": ["C"], "Q08": "C",
        "Q09": ["C"], "Q10": ["B"], "Q11": "E", "Q11.amount": 600, "Q12": "B", "Q12.energy_last_year": 2000,
        "Q12.energy_prev_year": 2150, "Q13": "B", "Q13.pass_rate": 97, "Q14": "C",
        "Q14.revenue_prev_year": 41000, "Q14.headcount_prev_year": 300, "Q15": "B", "Q15.cost_last_year": 33000,
        "Q15.cost_prev_year": 35600,
        **scenes(1, S06=2, S13=2),
        **cmmm_answers({1: 0.8, 2: 0.8, 3: 0.8, 4: 0.8, 5: 0.8}),
    },
}

ISSUE_FOUR = {"(a) food plant": FOOD_PLANT, "(b) machinery plant": MACHINERY_PLANT,
              "(c) electrical leader": ELECTRICAL_LEADER, "(d) SME-only, no profile": SME_ONLY_WEAK}
