"""r2kit: a research and teaching toolkit on safe and dignified return and sustainable reintegration.

`r2kit.datasets()` lists the knowledge base, `r2kit.load(name)` returns one dataset as a DataFrame,
`r2kit.Assessment` reads, builds and validates checklist self-assessments. Heavy libraries (Altair,
ipywidgets, papermill) load only when a chart, widget or notebook run is first asked for.
"""

from .data import data_dictionary, datasets, load
from .errors import R2kitError, UnknownNameError

__version__ = "0.1.0"

__all__ = ["Assessment", "R2kitError", "UnknownNameError", "data_dictionary", "datasets", "load", "__version__"]


def __getattr__(name: str):
    # PEP 562: `r2kit.Assessment` is imported on first use so that `import r2kit` stays cheap.
    if name == "Assessment":
        from .assessment import Assessment

        return Assessment
    raise AttributeError(f"module 'r2kit' has no attribute {name!r}")
