"""What the report says, as pure functions: input in, display values and XHTML markup out.

No WeasyPrint, no database, no Flask. ``engine.fingerprint.template_hash`` covers every file of
this package, so a change anywhere here renders stored reports anew.
"""
from .input import ReportInput

__all__ = ["ReportInput"]
