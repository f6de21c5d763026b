"""Topic and stance analysis of Japanese newspaper editorials.

>>> import analysis
>>> analysis.__version__
'0.1.0'

Stages (each one module and one CLI command): ``ingest`` -> ``tokenize`` -> ``topics`` /
``stance`` -> ``figures``; ``analysis run`` chains them. Heavy libraries (BERTopic, torch) are
imported only inside the functions that use them, so ``import analysis`` stays light.
"""

__version__ = "0.1.0"
