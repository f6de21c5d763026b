"""``analysis topics-validate``: NMI/ARI vs livedoor categories and demo themes (see topics.cli)."""

from analysis.topics.cli import add_validate_arguments as add_arguments  # noqa: F401
from analysis.topics.cli import run_validate as run  # noqa: F401
