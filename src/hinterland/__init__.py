"""hinterland: decision support for planning China's national strategic hinterland (国家战略腹地).

Layers (imports point one way only, checked by import-linter)::

    errors, config  <-  containers  <-  datasets, figures, evaluate, economy, network, locate, backup
                    <-  plan  <-  report  <-  cli, web
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
