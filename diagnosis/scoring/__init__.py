"""The scoring engine: pure functions over an instrument and answers. No Flask import.

``score_payload`` is the contract shared by ``diagnosis score FILE`` and ``POST /api/v1/score``.
"""
from .errors import ScoreInputError
from .engine import SCORING_VERSION, score_answers, score_payload

__all__ = ["SCORING_VERSION", "ScoreInputError", "score_answers", "score_payload"]
