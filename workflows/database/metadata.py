"""The complete table metadata: importing each domain's models registers its tables on the one Base.

Alembic's environment and the tests that compare or truncate the schema need every table; the engine and
the domains import only the models they use.
"""
from __future__ import annotations

from workflows.audit import models as _audit  # noqa: F401
from workflows.cases import models as _cases  # noqa: F401
from workflows.complaints import models as _complaints  # noqa: F401
from workflows.database.base import Base
from workflows.engine import models as _engine  # noqa: F401
from workflows.jobs import models as _jobs  # noqa: F401
from workflows.ledgers import models as _ledgers  # noqa: F401
from workflows.notices import models as _notices  # noqa: F401
from workflows.online_clues import models as _online_clues  # noqa: F401
from workflows.penalties import models as _penalties  # noqa: F401
from workflows.operations import models as _operations  # noqa: F401
from workflows.org import models as _org  # noqa: F401
from workflows.pyramid_free import models as _pyramid_free  # noqa: F401
from workflows.seizures import models as _seizures  # noqa: F401
from workflows.substitutes import models as _substitutes  # noqa: F401
from workflows.sweeps import models as _sweeps  # noqa: F401
from workflows.assessment import models as _assessment  # noqa: F401
from workflows.office_records import models as _office_records  # noqa: F401
from workflows.statistics import models as _statistics  # noqa: F401

metadata = Base.metadata
