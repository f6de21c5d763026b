"""``analysis topics-select``: NPMI, diversity and stability over a range of k (see topics.cli)."""

from analysis.topics.cli import add_select_arguments as add_arguments  # noqa: F401
from analysis.topics.cli import run_select as run  # noqa: F401
