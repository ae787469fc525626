"""Imports every model module, so metadata (and Alembic autogenerate) sees all tables."""
from .accounts.models import ApiToken, Enterprise, ProviderOrganization, User  # noqa: F401
from .assessments.models import Diagnosis, DiagnosisResult, QuestionnaireVersion, Review, Share  # noqa: F401
from .reference.models import Area, Industry  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .reports.web.models import StoredReport  # noqa: F401
from .bureau.models import DiagnosisRound, DiagnosisSummary, PeerSnapshot, RosterEntry  # noqa: F401
from .notifications.models import Notification  # noqa: F401
