"""Dashboard and REST API (``hinterland serve``): map layers, scenario editor, background runs, downloads.

>>> from hinterland.web import Settings, create_app
>>> app = create_app(Settings(workspace="ws"))  # doctest: +SKIP
"""

from hinterland.web._app import STATIC_DIR, create_app
from hinterland.web._jobs import FINAL_STATES, Job, JobManager, ProgressReporter
from hinterland.web._models import JOB_KINDS
from hinterland.web._settings import MIN_TOKEN_LENGTH, Settings, check_bind, is_loopback

__all__ = [
    "FINAL_STATES",
    "JOB_KINDS",
    "MIN_TOKEN_LENGTH",
    "STATIC_DIR",
    "Job",
    "JobManager",
    "ProgressReporter",
    "Settings",
    "check_bind",
    "create_app",
    "is_loopback",
]
