"""The stance methods the CLI offers, and the default (light: no heavy imports).

``syntax`` is the default: on the frozen test part of the project's editorial sentences it beats
the morpheme rules on every construction class it was built for (README, "Stance: measured").
"""

METHODS = ("syntax", "rules", "rules+tohoku", "supervised", "lss")
DEFAULT_METHOD = "syntax"
