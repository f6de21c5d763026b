"""The stance methods the CLI offers, and the default (light: no heavy imports).

``syntax`` is the default: on the frozen test part of the project's editorial sentences it beats
the morpheme rules overall and on 14 of the 16 construction classes (not on hedged stances or two
targets in one sentence), and on whole editorials (README, "Stance: measured").
"""

#: syntax: the dependency-path reading (voice, negation scope, concession, questions, references)
#: whose sentence values come from a logistic model trained on the bundled editorial set with that
#: reading as features; structural: the same reading without the learned model.
METHODS = ("syntax", "structural", "rules", "rules+tohoku", "supervised")
# Latent Semantic Scaling ("lss") was dropped: on the frozen test part of the editorial sentences
# it scored macro_f 0.413 against 0.381 for its own predictions shuffled (95th percentile 0.455),
# i.e. no better than chance, and 0.16 on the held-out editorial sentences (issue 11).
DEFAULT_METHOD = "syntax"
