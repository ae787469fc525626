"""What the API accepts, shared by the views that enforce it and the OpenAPI document that states it."""
from ..accounts.models import User

BODY_MAX = 256 * 1024    # bytes of a JSON request body; a complete diagnosis is about 15 KB
EMAIL_MAX = User.__table__.c.email.type.length
